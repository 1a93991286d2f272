/**
 * PyTorch snapshots open in the app, kept in the worker: each one's trace goes into the
 * trace store like an opened trace (the timeline and the event log ask for it by id), and
 * its allocation sequence stays here for a replay, so the page holds neither.
 */
import { kAllocatorModels, type AllocatorModelName } from '../core/allocator-model.ts';
import { readPytorchSnapshot } from '../core/pytorch-snapshot.ts';
import { isJsonObject } from '../core/scenario.ts';
import { defaultSnapshotDevice, snapshotToTrace, type SnapshotRequest } from '../core/snapshot-trace.ts';
import type { SnapshotReplaySettings, SnapshotReply } from './simulator-api.ts';
import type { TraceStore } from './trace-store.ts';

/** The open snapshots' allocation sequences by trace id; see the module comment. */
export class OpenSnapshots {
  private readonly _requests = new Map<number, readonly SnapshotRequest[]>();
  private readonly _traces: TraceStore;

  constructor(traces: TraceStore) {
    this._traces = traces;
  }

  /**
   * Reads any JSON value as a snapshot of its first device with entries (as
   * `chunkscope import-snapshot` does without `--device`) and stores its trace; or every
   * problem with its path. Never throws.
   */
  open(json: unknown): SnapshotReply {
    const checked = readPytorchSnapshot(json);
    if (!checked.ok) return { ok: false, message: 'it is not a PyTorch memory snapshot', issues: checked.issues };
    const { snapshot } = checked;
    const device = defaultSnapshotDevice(snapshot);
    const trace = snapshotToTrace(snapshot, device);
    const stored = this._traces.create();
    for (const event of trace.events) stored.append(event);
    this._requests.set(stored.id, trace.requests);
    return {
      ok: true,
      snapshot: {
        traceId: stored.id,
        eventCount: trace.events.length,
        tEnd: trace.events.at(-1)?.t ?? 0,
        peakEventIndex: this._traces.peakEventIndex(stored.id),
        device,
        devices: snapshot.device_traces.length,
        clock: trace.clock,
        entries: snapshot.device_traces[device]?.length ?? 0,
        allocatedPeak: trace.allocatedPeak,
        reservedPeakBytes: trace.reservedPeakBytes,
        ooms: trace.ooms,
        notes: trace.notes,
        requests: trace.requests.length,
      },
    };
  }

  /** The allocation sequence of the snapshot stored as `traceId`, or undefined once the page has let it go. */
  requests(traceId: unknown): readonly SnapshotRequest[] | undefined {
    if (typeof traceId !== 'number' || !this._traces.has(traceId)) return undefined;
    return this._requests.get(traceId);
  }

  /** Lets go of the sequences whose traces the store has forgotten. */
  prune(): void {
    for (const id of [...this._requests.keys()]) if (!this._traces.has(id)) this._requests.delete(id);
  }
}

/**
 * Replay settings as the page sent them (a worker answers whatever it is sent), or the
 * sentence on what is wrong with them, in the words `chunkscope replay-snapshot` uses.
 */
export function readReplaySettings(settings: unknown): { ok: true; settings: SnapshotReplaySettings } | { ok: false; message: string } {
  const budget = isJsonObject(settings) && Object.hasOwn(settings, 'budgetBytes') ? settings.budgetBytes : undefined;
  const model = isJsonObject(settings) && Object.hasOwn(settings, 'model') ? settings.model : undefined;
  if (!(typeof budget === 'number' && Number.isSafeInteger(budget) && budget > 0)) {
    return { ok: false, message: 'the budget must be a positive whole number of bytes' };
  }
  if (!(kAllocatorModels as readonly unknown[]).includes(model)) return { ok: false, message: `the model must be one of ${kAllocatorModels.join(', ')}` };
  return { ok: true, settings: { budgetBytes: budget, model: model as AllocatorModelName } };
}
