/**
 * Plans the scenario being edited, in the worker, as the user types.
 *
 * Requests are debounced so a burst of keystrokes costs one plan, and a reply that
 * arrives after a newer request was sent is dropped: the view never shows the plan of
 * a scenario the user has already changed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PlanReply } from '../worker/simulator-api.ts';
import type { SimulatorClient } from '../worker/simulator-client.ts';
import type { SimulatorController } from './simulator-controller.ts';

/** Milliseconds of quiet before a changed scenario is planned. */
export const kPlanDebounceMs = 120;

/** Keeps `reply` the plan of the latest scenario given to {@link PlanController.plan}. */
export class PlanController implements ReactiveController {
  /** The latest plan reply, or undefined before the first one. */
  reply: PlanReply | undefined;
  /** True while a newer scenario than `reply`'s is waiting or being planned. */
  pending = false;
  /** Why planning failed (the worker died), if it did. */
  failure: string | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #simulator: SimulatorController;
  #scenarioJson: unknown;
  #hasScenario = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sequence = 0;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, simulator: SimulatorController) {
    this.#host = host;
    this.#simulator = simulator;
    host.addController(this);
  }

  /** Plans `scenarioJson` after the debounce; `immediately` skips the wait (first load, preset). */
  plan(scenarioJson: unknown, { immediately = false } = {}): void {
    this.#scenarioJson = scenarioJson;
    this.#hasScenario = true;
    this.pending = true;
    clearTimeout(this.#timer);
    if (immediately) this.#send();
    else this.#timer = setTimeout(() => this.#send(), kPlanDebounceMs);
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    // Controllers connect in the order they were added, so the simulator's client exists;
    // a host that reconnects gets a new worker, and the scenario is planned again on it.
    this.#unsubscribe = this.#simulator.onClient(() => {
      if (this.#hasScenario) this.#send();
    });
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
    this.#unsubscribe?.();
  }

  #send(): void {
    const client: SimulatorClient | undefined = this.#simulator.client;
    if (!client) return;
    const sequence = ++this.#sequence;
    client.plan(this.#scenarioJson).then(
      (reply) => {
        if (sequence !== this.#sequence) return;
        this.reply = reply;
        this.failure = undefined;
        this.pending = false;
        this.#host.requestUpdate();
      },
      (error: Error) => {
        if (sequence !== this.#sequence) return;
        this.failure = error.message;
        this.pending = false;
        this.#host.requestUpdate();
      },
    );
  }
}
