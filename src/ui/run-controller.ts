/**
 * Runs the scenario in the simulator worker and keeps what the views need: whether a
 * run is in flight, its latest progress, and the reply it ended with.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BackendChoice, RunProgress, RunReply } from '../worker/simulator-api.ts';
import type { SimulatorController } from './simulator-controller.ts';

/** One run at a time: {@link RunController.start}, {@link RunController.cancel}, and what came back. */
export class RunController implements ReactiveController {
  /** True from Run until the worker's reply arrives. */
  running = false;
  /** True once Cancel was pressed for the run in flight. */
  cancelling = false;
  /** The latest batched progress of the run in flight. */
  progress: RunProgress | undefined;
  /**
   * How far the trace of the run in flight has grown in the worker's store, for the live
   * timeline: a new object on each update, so a view sees the change. The events stay in
   * the worker; the timeline asks it for the window it draws.
   */
  trace: { traceId: number; eventCount: number } | undefined;
  /** The reply of the last run that ended. */
  reply: RunReply | undefined;
  /** Why the last run got no reply (the worker died), if it did. */
  failure: string | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #simulator: SimulatorController;
  #sequence = 0;

  constructor(host: ReactiveControllerHost, simulator: SimulatorController) {
    this.#host = host;
    this.#simulator = simulator;
    host.addController(this);
  }

  /** Starts a run of `scenarioJson` on `backend`; ignored while one is in flight. */
  async start(scenarioJson: unknown, backend: BackendChoice = 'auto'): Promise<void> {
    const client = this.#simulator.client;
    if (!client || this.running) return;
    const sequence = ++this.#sequence;
    this.running = true;
    this.cancelling = false;
    this.progress = undefined;
    this.trace = undefined;
    this.failure = undefined;
    this.#host.requestUpdate();
    try {
      const reply = await client.run(scenarioJson, (update) => {
        // The last update travels on the callback's own port and may land after the reply.
        if (sequence !== this.#sequence || !this.running) return;
        if (update.progress) this.progress = update.progress;
        if (update.eventCount !== this.trace?.eventCount) this.trace = { traceId: update.traceId, eventCount: update.eventCount };
        this.#host.requestUpdate();
      }, backend);
      if (sequence !== this.#sequence) return;
      this.reply = reply;
    } catch (error) {
      if (sequence !== this.#sequence) return;
      this.failure = (error as Error).message;
    } finally {
      if (sequence === this.#sequence) {
        this.running = false;
        this.cancelling = false;
        this.trace = undefined;
        this.#host.requestUpdate();
      }
    }
  }

  /** Asks the worker to stop the run in flight; its reply (status `cancelled`) ends it. */
  cancel(): void {
    const client = this.#simulator.client;
    if (!client || !this.running) return;
    this.cancelling = true;
    this.#host.requestUpdate();
    client.cancel().catch(() => {});
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // The worker (and the run in it) goes with the simulator controller; forget the run.
    this.#sequence++;
    this.running = false;
    this.cancelling = false;
  }
}
