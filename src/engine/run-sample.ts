/**
 * The runs the chunked = unchunked check covers. A small run keeps every run (today's
 * full check). A large one keeps a sample chosen two ways: a seeded random set, drawn
 * before the run, and the runs beside every chunk boundary (the first two and last two
 * runs of each finished chunk, where an off-by-one in chunking would show), taken as
 * chunks finish, until the sample is full.
 */
import { dtypeBytes } from '../core/dtypes.ts';
import { hash32, mix32 } from '../core/hash.ts';
import { runLayout } from '../core/host-arrays.ts';
import type { Plan } from '../core/planner.ts';
import type { RunCoverage } from '../core/run-outcome.ts';
import type { Scenario } from '../core/scenario.ts';

/** Most runs a sample holds: a few thousand, as one chunk of the check. */
export const kSampleRuns = 4096;
/** Runs of the sample drawn at random (at most a quarter of its capacity). */
export const kRandomSampleRuns = 1024;

/** How a sample is made. */
export interface RunSampleOptions {
  runs: number;
  seed: number;
  /** Most runs kept; the check runs them as one chunk, so it must fit one. */
  capacity: number;
  /** Keep every run (a small run): the full check. */
  all: boolean;
}

/** `count` runs from `run` kept in as many slots from `slot`. */
export interface KeptRuns {
  run: number;
  slot: number;
  count: number;
}

/** Runs kept for the check, each with a slot in the kept outputs (slots in the order runs were taken). */
export class RunSample {
  readonly capacity: number;
  readonly all: boolean;
  private readonly _random: number[];
  private readonly _slots = new Map<number, number>();
  private readonly _runs: number[] = [];
  private _edgeChunks = 0;
  private _edgeRuns = 0;
  private _chunks = 0;
  private readonly _seed: number;

  constructor(options: RunSampleOptions) {
    this.all = options.all;
    this.capacity = options.all ? options.runs : Math.min(options.capacity, options.runs);
    this._seed = options.seed;
    const drawn = new Set<number>();
    if (!options.all && options.runs > 0) {
      const count = Math.min(kRandomSampleRuns, Math.floor(this.capacity / 4));
      const base = hash32(mix32(options.seed >>> 0, 0x5a3b1e));
      for (let j = 0; j < count; j++) drawn.add(mix32(base, j) % options.runs);
    }
    this._random = [...drawn].sort((a, b) => a - b);
  }

  /**
   * The runs of the finished chunk `[start, end)` to keep, each with its slot. A run
   * taken before (a chunk redone by a later attempt) keeps its slot.
   */
  take(start: number, end: number): KeptRuns[] {
    // Every run: run r has slot r, so a chunk is kept as one block.
    if (this.all) return [{ run: start, slot: start, count: end - start }];
    this._chunks++;
    const runs = new Set<number>();
    // Random runs first: they were promised room before the run started.
    for (let i = lowerBound(this._random, start); i < this._random.length && this._random[i] < end; i++) runs.add(this._random[i]);
    const edges = [start, start + 1, end - 2, end - 1].filter((r) => r >= start && r < end && !runs.has(r));
    const fresh = new Set(edges.filter((r) => !this._slots.has(r)));
    // The random runs keep their room; edges fill what is left.
    if (edges.length && fresh.size <= this.capacity - this._random.length - this._edgeRuns) {
      for (const r of edges) runs.add(r);
      this._edgeRuns += fresh.size;
      this._edgeChunks++;
    }
    return [...runs].sort((a, b) => a - b).map((run) => ({ run, slot: this._slot(run), count: 1 }));
  }

  /** The kept runs before `runsDone`, sorted, each with its slot: local run `r` of the check is run `runAt(r)` in slot `slotAt(r)`. */
  keptBefore(runsDone: number): { count: number; runAt(r: number): number; slotAt(r: number): number } {
    if (this.all) return { count: runsDone, runAt: (r) => r, slotAt: (r) => r };
    const runs = this._runs.filter((r) => r < runsDone).sort((a, b) => a - b);
    return { count: runs.length, runAt: (r) => runs[r], slotAt: (r) => this._slots.get(runs[r])! };
  }

  /** Which runs the sample covers within the finished runs `[0, runsDone)`, in words and ranges. */
  coverage(runsDone: number): RunCoverage {
    if (this.all) return { how: 'every finished run', count: runsDone, ranges: runsDone ? [[0, runsDone]] : [] };
    const kept = this._runs.filter((r) => r < runsDone).sort((a, b) => a - b);
    const ranges: [number, number][] = [];
    for (const run of kept) {
      const last = ranges.at(-1);
      if (last && last[1] === run) last[1] = run + 1;
      else ranges.push([run, run + 1]);
    }
    const how = this.all
      ? 'every finished run'
      : `a sample: the runs beside the boundaries of ${this._edgeChunks} of ${this._chunks} chunks` +
        ` and ${this._random.filter((r) => r < runsDone).length} runs drawn with seed ${this._seed}`;
    return { how, count: kept.length, ranges };
  }

  private _slot(run: number): number {
    let slot = this._slots.get(run);
    if (slot === undefined) {
      slot = this._runs.length;
      this._slots.set(run, slot);
      this._runs.push(run);
    }
    return slot;
  }
}

/** First index of sorted `xs` whose value is at least `x`. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bytes of every chunked array over all runs up to which a run is checked whole (today's full check). */
export const kFullCheckBytes = 64 * 2 ** 20;

/** Whether a run is small enough to check every run as one chunk: its chunked arrays take at most `fullCheckBytes`. */
export function checksEveryRun(scenario: Pick<Scenario, 'arrays' | 'runs'>, fullCheckBytes = kFullCheckBytes): boolean {
  let perRun = 0;
  for (const spec of scenario.arrays) {
    const layout = runLayout(spec.shape);
    if (layout.chunked) perRun += layout.outer * layout.inner * dtypeBytes(spec.dtype);
  }
  return perRun * scenario.runs <= fullCheckBytes;
}

/** Runs the check keeps: every run of a small run; else a few thousand, at most a chunk of the plan. */
export function sampleCapacity(scenario: Pick<Scenario, 'arrays' | 'runs'>, plan: Pick<Plan, 'chunkLength'>, fullCheckBytes = kFullCheckBytes): number {
  return checksEveryRun(scenario, fullCheckBytes) ? scenario.runs : Math.min(kSampleRuns, plan.chunkLength, scenario.runs);
}
