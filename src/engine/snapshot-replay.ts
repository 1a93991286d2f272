/**
 * A snapshot's allocation sequence re-run on real WebGPU buffers under a budget and an
 * allocator model (DESIGN.md, "Allocator models"): "would this fit in 8 GiB?", "does it
 * fail the same way with another allocator?".
 *
 * Every request goes through {@link ModelAllocator}, so segments are real buffers counted
 * against the budget and the trace records them. The replay stops at the first request
 * that cannot be had, with the model's figures at that moment (allocated, reserved,
 * reserved-but-free, fragmentation); else it reports the peaks it fitted in. Every buffer
 * is destroyed before it returns.
 */
import type { AllocatorModelName, AllocatorStats } from '../core/allocator-model.ts';
import { modelFor } from '../core/allocator-prediction.ts';
import { kCachingDefaults } from '../core/caching-allocator.ts';
import type { AllocatorSpec } from '../core/scenario.ts';
import type { SnapshotRequest } from '../core/snapshot-trace.ts';
import { TraceRecorder, type TraceEvent } from '../core/trace.ts';
import { formatBytes } from '../core/units.ts';
import { TrackedAllocator, webgpuMemory } from './allocator.ts';
import { AllocationError } from './errors.ts';
import { kBufferUsage } from './gpu-flags.ts';
import { ModelAllocator, ModelOutOfMemoryError, type PlacedBlock } from './model-allocator.ts';

/** How to replay. */
export interface ReplayOptions {
  /** Device bytes the segments may reserve at once. */
  budgetBytes: number;
  allocator: AllocatorSpec;
}

/** The request a replay stopped at. */
export interface ReplayFailure {
  /** 1-based, over the whole sequence. */
  request: number;
  /** The snapshot's trace entry, or null for an allocation live before the trace. */
  entry: number | null;
  bytes: number;
  /** Whether PyTorch ran out of memory on it too. */
  failedInSnapshot: boolean;
  kind: 'oom' | 'validation-error';
  message: string;
  /** The model's figures when it failed. */
  stats: AllocatorStats;
  /** What expandable segments would have reserved with the request served (null for a limit, not memory). */
  expandableBytes: number | null;
}

/** What a replay did. */
export interface ReplayOutcome {
  model: AllocatorSpec['model'];
  budgetBytes: number;
  /** Requests served before it stopped (all of them when it fits). */
  requestsDone: number;
  requests: number;
  failure: ReplayFailure | null;
  allocatedPeakBytes: number;
  reservedPeakBytes: number;
  /** What expandable segments would have reserved at most (reported, not run). */
  expandablePeakBytes: number;
  /** Buffers the tracked allocator still held after the replay: 0 unless something leaked. */
  liveBuffersAfter: number;
  events: TraceEvent[];
}

/** The allocator a replay runs under a model's name: caching with PyTorch's defaults (the CLI's `--model` and the app's choice alike). */
export function replayAllocator(model: AllocatorModelName): AllocatorSpec {
  return model === 'exact' ? { model } : { model, ...kCachingDefaults };
}

/** Replays `requests` on `device`; see the module comment. */
export async function replaySnapshot(device: GPUDevice, requests: readonly SnapshotRequest[], options: ReplayOptions): Promise<ReplayOutcome> {
  const trace = new TraceRecorder();
  const tracked = new TrackedAllocator(webgpuMemory(device), { budgetBytes: options.budgetBytes, limits: device.limits }, trace);
  const model = modelFor(options.allocator, device.limits.minStorageBufferOffsetAlignment);
  const blocks = new ModelAllocator(model, tracked, trace, kBufferUsage.STORAGE | kBufferUsage.COPY_DST | kBufferUsage.COPY_SRC);
  const live = new Map<number, PlacedBlock<GPUBuffer>>();
  let failure: ReplayFailure | null = null;
  let done = 0;
  try {
    for (const [i, request] of requests.entries()) {
      if (request.kind === 'free') {
        const placed = live.get(request.key);
        live.delete(request.key);
        if (placed) blocks.free(placed);
        done++;
        continue;
      }
      const where = request.entry === null ? 'live before the trace' : `entry ${request.entry}`;
      try {
        live.set(request.key, await blocks.allocate({ label: `request ${i + 1}: ${formatBytes(request.bytes)} (${where})`, bytes: request.bytes }));
        done++;
      } catch (err) {
        if (!(err instanceof AllocationError)) throw err;
        failure = {
          request: i + 1,
          entry: request.entry,
          bytes: request.bytes,
          failedInSnapshot: request.failedInSnapshot,
          kind: err.kind,
          message: err.message,
          stats: err instanceof ModelOutOfMemoryError ? err.oom.stats : model.stats(),
          expandableBytes: err instanceof ModelOutOfMemoryError ? err.oom.expandableBytes : null,
        };
        break;
      }
    }
  } finally {
    await blocks.dispose();
  }
  const stats = model.stats();
  return {
    model: options.allocator.model,
    budgetBytes: options.budgetBytes,
    requestsDone: done,
    requests: requests.length,
    failure,
    allocatedPeakBytes: stats.allocatedPeakBytes,
    reservedPeakBytes: stats.reservedPeakBytes,
    expandablePeakBytes: stats.expandablePeakBytes,
    liveBuffersAfter: tracked.live.length,
    events: trace.events,
  };
}
