/**
 * Ties the simulator worker's lifetime to an element: started when the element is
 * connected, terminated when it is disconnected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DeviceInfo } from '../worker/simulator-api.ts';
import { SimulatorClient } from '../worker/simulator-client.ts';

/** Owns one {@link SimulatorClient} for its host and fetches the device info once per worker. */
export class SimulatorController implements ReactiveController {
  /** The live client, undefined while the host is disconnected. */
  client: SimulatorClient | undefined;
  /** The adapter the worker sees; undefined until the worker answers. */
  deviceInfo: DeviceInfo | undefined;
  /** Why the worker could not answer, if it could not. */
  failure: string | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #listeners = new Set<(client: SimulatorClient) => void>();

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  /** Calls `listener` with each new client (now, if one is live); returns an unsubscribe function. */
  onClient(listener: (client: SimulatorClient) => void): () => void {
    this.#listeners.add(listener);
    if (this.client) listener(this.client);
    return () => this.#listeners.delete(listener);
  }

  hostConnected(): void {
    const client = new SimulatorClient();
    this.client = client;
    this.deviceInfo = undefined;
    this.failure = undefined;
    client.deviceInfo().then(
      (info) => {
        if (this.client !== client) return;
        this.deviceInfo = info;
        this.#host.requestUpdate();
      },
      (error: Error) => {
        if (this.client !== client) return;
        this.failure = error.message;
        this.#host.requestUpdate();
      },
    );
    for (const listener of this.#listeners) listener(client);
  }

  hostDisconnected(): void {
    this.client?.dispose();
    this.client = undefined;
  }
}
