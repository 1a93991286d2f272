/**
 * Soaks the scenario in the simulator worker and keeps what the soak panel shows: whether
 * a soak is in flight, its samples so far, and the report it ended with.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SoakSample } from '../engine/index.ts';
import type { SoakReply, SoakSettings } from '../worker/simulator-api.ts';
import type { SimulatorController } from './simulator-controller.ts';

/** One soak at a time: {@link SoakController.start}, {@link SoakController.cancel}, and what came back. */
export class SoakController implements ReactiveController {
  running = false;
  cancelling = false;
  /** Samples of the soak in flight (or the last one), a new array on each batch. */
  samples: readonly SoakSample[] = [];
  /** The reply of the last soak that ended. */
  reply: SoakReply | undefined;
  /** Why the last soak got no reply (the worker died), if it did. */
  failure: string | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #simulator: SimulatorController;
  #sequence = 0;

  constructor(host: ReactiveControllerHost, simulator: SimulatorController) {
    this.#host = host;
    this.#simulator = simulator;
    host.addController(this);
  }

  /** Starts a soak of `scenarioJson`; ignored while one is in flight. */
  async start(scenarioJson: unknown, settings: SoakSettings): Promise<void> {
    const client = this.#simulator.client;
    if (!client || this.running) return;
    const sequence = ++this.#sequence;
    Object.assign(this, { running: true, cancelling: false, samples: [], reply: undefined, failure: undefined });
    this.#host.requestUpdate();
    try {
      const reply = await client.soak(scenarioJson, settings, (samples) => {
        if (sequence !== this.#sequence || !this.running) return;
        this.samples = this.samples.concat(samples);
        this.#host.requestUpdate();
      });
      if (sequence !== this.#sequence) return;
      this.reply = reply;
      // The reply holds every sample; the last batch may still be on its way.
      if (reply.ok) this.samples = reply.soak.cycles;
    } catch (error) {
      if (sequence === this.#sequence) this.failure = (error as Error).message;
    } finally {
      if (sequence === this.#sequence) {
        this.running = false;
        this.cancelling = false;
        this.#host.requestUpdate();
      }
    }
  }

  /** Asks the worker to stop the soak; it ends after the current phase, finished cycles kept. */
  cancel(): void {
    const client = this.#simulator.client;
    if (!client || !this.running) return;
    this.cancelling = true;
    this.#host.requestUpdate();
    client.cancel().catch(() => {});
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#sequence++;
    this.running = false;
    this.cancelling = false;
  }
}
