/**
 * The planner's prediction under an allocator model: the allocated peak and the reserved
 * peak of a plan's requests (DESIGN.md, "Allocator models").
 *
 * The requests are the executor's, in its order: the fixed arrays once, in the plan's
 * order; then with `reuseBuffers` each of `bufferSets` sets of chunk buffers at
 * chunkLength, held for the attempt; without it, each chunk's own buffers at that chunk's
 * run count, the oldest set freed first so that at most `bufferSets` sets are live.
 * The caching model's reserved peak depends on that order, so the executor keeps it.
 *
 * A plan can have 10^9 chunks. Every chunk but the last asks for the same sizes, so the
 * model's state soon repeats (up to block ids); from the first repeat the rest of the
 * full chunks are skipped a whole number of periods at a time, and the final chunk runs
 * on the state the skipped chunks would have left.
 */
import { allocateNow, ExactModel, type AllocatorModel, type AllocatorModelName } from './allocator-model.ts';
import { CachingModel, kDefaultOffsetAlignment } from './caching-allocator.ts';
import { bufferBytes, type Plan } from './planner.ts';
import type { AllocatorSpec } from './scenario.ts';

/** What a plan is predicted to allocate and reserve under a model. */
export interface AllocatorPrediction {
  model: AllocatorModelName;
  /** Most bytes in live blocks at once. */
  allocatedPeakBytes: number;
  /** Most bytes in live segments at once: what the budget must hold. */
  reservedPeakBytes: number;
  /** What expandable segments would have reserved at most (reported, not run). */
  expandablePeakBytes: number;
  /** Chunks simulated when each allocates its own buffers (the rest repeat a state already seen); 0 when buffers are reused. */
  chunksSimulated: number;
}

/** What besides the plan the prediction needs. */
export interface PredictionOptions {
  allocator: AllocatorSpec;
  /** The scenario's `planner.reuseBuffers`, default true. */
  reuseBuffers: boolean;
  /** The device's minStorageBufferOffsetAlignment (default 256). */
  alignmentBytes?: number;
}

/**
 * States remembered while looking for a repeat. The planner's pattern repeats within a
 * few chunks; past this many the prediction stops looking and simulates every chunk.
 */
const kMaxStates = 10_000;

/** An allocator model for a scenario's `allocator`. */
export function modelFor(allocator: AllocatorSpec, alignmentBytes = kDefaultOffsetAlignment): AllocatorModel {
  return allocator.model === 'exact' ? new ExactModel() : new CachingModel(allocator, alignmentBytes);
}

/** Predicts a plan's allocated and reserved peaks under a model; see the module comment. */
export function predictAllocatorPeaks(plan: Plan, options: PredictionOptions): AllocatorPrediction {
  const model = modelFor(options.allocator, options.alignmentBytes);
  const take = (bytes: number): number => {
    // With nothing to refuse a segment, every request is served.
    const got = allocateNow(model, bytes, () => true);
    if (!got.ok) throw new Error(`a request of ${bytes} B failed with every segment granted`);
    return got.block.id;
  };
  for (const array of plan.arrays) if (!array.chunked) take(array.bytes);
  const chunked = plan.arrays.filter((a) => a.chunked);
  const setOf = (runs: number) => chunked.map((a) => take(bufferBytes(a, runs)));
  let simulated = 0;

  if (options.reuseBuffers) {
    for (let s = 0; s < plan.bufferSets; s++) setOf(plan.chunkLength);
  } else {
    const live: number[][] = [];
    const chunk = (runs: number) => {
      if (live.length === plan.bufferSets) for (const id of live.shift()!) model.free(id);
      live.push(setOf(runs));
      simulated++;
    };
    const last = plan.numChunks - 1;
    const seen = new Map<string, number>();
    let skipped = false;
    for (let i = 0; i < last; i++) {
      chunk(plan.chunkLength);
      if (skipped || seen.size > kMaxStates) continue;
      const state = signature(model, live);
      const earlier = seen.get(state);
      if (earlier === undefined) {
        seen.set(state, i);
        continue;
      }
      const period = i - earlier;
      i += period * Math.floor((last - 1 - i) / period);
      skipped = true;
    }
    chunk(plan.finalChunkLength);
  }
  const stats = model.stats();
  return {
    model: model.name,
    allocatedPeakBytes: stats.allocatedPeakBytes,
    reservedPeakBytes: stats.reservedPeakBytes,
    expandablePeakBytes: stats.expandablePeakBytes,
    chunksSimulated: simulated,
  };
}

/** The model's layout and the live chunk sets' places, without block ids: equal signatures, equal futures. */
function signature(model: AllocatorModel, live: readonly number[][]): string {
  const place = new Map<number, string>();
  const ranges: string[] = [];
  for (const { segment, ranges: rs } of model.layout()) {
    ranges.push(`${segment.id}:${segment.bytes}`);
    for (const r of rs) {
      ranges.push(`${r.offset}+${r.bytes}${r.block ? '*' : ''}`);
      if (r.block) place.set(r.block.id, `${segment.id}@${r.offset}`);
    }
  }
  return `${ranges.join(',')}|${live.map((set) => set.map((id) => place.get(id)).join(',')).join(';')}`;
}
