/**
 * The PyTorch snapshot the results show, and its replays in the simulator worker: which
 * snapshot is open (its trace and sequence stay in the worker), the last replay's reply,
 * and whether one is in flight.
 */
import type { ReactiveControllerHost } from 'lit';
import type { RunReply, SnapshotReplayReply, SnapshotReplaySettings, SnapshotView } from '../worker/simulator-api.ts';
import type { SimulatorController } from './simulator-controller.ts';

/** A snapshot opened from a file, and the run reply it was opened over. */
export interface OpenSnapshot {
  file: string;
  view: SnapshotView;
  /** The last run's reply when it was opened: a run that ends later is newer, and is shown instead. */
  over: RunReply | undefined;
}

/** One open snapshot at a time, one replay at a time. */
export class SnapshotController {
  /** The snapshot opened last, until Run or a trace replaces it. */
  open: OpenSnapshot | undefined;
  /** The last replay of the open snapshot. */
  replay: SnapshotReplayReply | undefined;
  /** A replay is in flight in the worker, whether or not its snapshot is still the one shown. */
  replaying = false;

  readonly #host: ReactiveControllerHost;
  readonly #simulator: SimulatorController;

  constructor(host: ReactiveControllerHost, simulator: SimulatorController) {
    this.#host = host;
    this.#simulator = simulator;
  }

  /** The snapshot to show while the last run reply is `runReply`: none once a newer run has ended. */
  shownOver(runReply: RunReply | undefined): OpenSnapshot | undefined {
    return this.open && this.open.over === runReply ? this.open : undefined;
  }

  /** Shows `view` from now on, with no replay yet. */
  show(snapshot: OpenSnapshot): void {
    Object.assign(this, { open: snapshot, replay: undefined });
    this.#host.requestUpdate();
  }

  /** Stops showing the snapshot (a run or a trace takes its place). */
  close(): void {
    Object.assign(this, { open: undefined, replay: undefined });
    this.#host.requestUpdate();
  }

  /** Replays the open snapshot under `settings`; a reply for a snapshot since replaced is dropped. */
  async replayOpen(settings: SnapshotReplaySettings): Promise<void> {
    const open = this.open;
    const client = this.#simulator.client;
    if (!open || !client || this.replaying) return;
    this.replaying = true;
    this.#host.requestUpdate();
    let replay: SnapshotReplayReply;
    try {
      replay = await client.replaySnapshot(open.view.traceId, settings);
    } catch (error) {
      replay = { ok: false, error: { code: 'WORKER_FAILED', message: (error as Error).message } };
    }
    // The worker is free again either way; the reply is shown only over its own snapshot.
    this.replaying = false;
    if (this.open === open) this.replay = replay;
    this.#host.requestUpdate();
  }
}
