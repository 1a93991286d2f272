/**
 * Plans and runs the workload being edited in the simulator worker, and keeps what the
 * workload views need: the plan (or every problem with its path), whether a run is in
 * flight and which jobs have started and ended, and the reply it ended with.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { WorkloadJobUpdate, WorkloadPlanReply, WorkloadRunReply } from '../worker/simulator-api.ts';
import type { SimulatorController } from './simulator-controller.ts';

/** Milliseconds of quiet after an edit before the workload is planned again. */
const kPlanDebounceMs = 150;

/** One workload plan and one run at a time. */
export class WorkloadController implements ReactiveController {
  /** The plan of the workload last asked for; undefined until the worker answers. */
  plan: WorkloadPlanReply | undefined;
  /** True from an edit until its plan arrives. */
  planning = false;
  running = false;
  cancelling = false;
  /** Jobs of the run in flight by index: started, then ended with a status. */
  jobs = new Map<number, WorkloadJobUpdate>();
  /** The reply of the last run that ended. */
  reply: WorkloadRunReply | undefined;
  /** The JSON the last run ran: a reply stands for the workload edited only while this is it. */
  ran: unknown;
  /** Why the last plan or run got no reply (the worker died), if it did. */
  failure: string | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #simulator: SimulatorController;
  #planned: unknown;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sequence = 0;

  constructor(host: ReactiveControllerHost, simulator: SimulatorController) {
    this.#host = host;
    this.#simulator = simulator;
    host.addController(this);
  }

  /** Plans `json` after a quiet spell (now with `immediately`); the same JSON object is not planned twice. */
  follow(json: unknown, immediately = false): void {
    if (json === this.#planned) return;
    this.#planned = json;
    this.planning = true;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#plan(json), immediately ? 0 : kPlanDebounceMs);
  }

  async #plan(json: unknown): Promise<void> {
    const client = this.#simulator.client;
    if (!client) {
      // Planned again once the worker is back: the same JSON must not count as planned.
      this.#planned = undefined;
      this.planning = false;
      this.failure = 'The workload could not be planned: the simulator worker is not running';
      this.#host.requestUpdate();
      return;
    }
    const sequence = ++this.#sequence;
    try {
      const reply = await client.planWorkload(json);
      if (sequence !== this.#sequence) return;
      this.plan = reply;
      this.failure = undefined;
    } catch (error) {
      if (sequence !== this.#sequence) return;
      this.failure = `The workload could not be planned: ${(error as Error).message}`;
    }
    this.planning = false;
    this.#host.requestUpdate();
  }

  /** Runs `json` on lane workers; ignored while a run is in flight. */
  async run(json: unknown): Promise<void> {
    const client = this.#simulator.client;
    if (!client || this.running) return;
    this.running = true;
    this.cancelling = false;
    this.jobs = new Map();
    this.failure = undefined;
    this.ran = json;
    this.#host.requestUpdate();
    try {
      this.reply = await client.runWorkload(json, (update) => {
        if (!this.running) return;
        this.jobs = new Map(this.jobs).set(update.index, update);
        this.#host.requestUpdate();
      });
    } catch (error) {
      this.reply = undefined;
      this.failure = `The workload's run got no reply: ${(error as Error).message}`;
    } finally {
      this.running = false;
      this.cancelling = false;
      this.#host.requestUpdate();
    }
  }

  /** Cancels every lane of the run in flight. */
  cancel(): void {
    if (!this.running || this.cancelling) return;
    this.cancelling = true;
    this.#host.requestUpdate();
    this.#simulator.client?.cancel().catch(() => {});
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }
}
