/**
 * The chunked = unchunked check: the runs of the sample (run-sample.ts) run again as one
 * chunk, within the scenario's budget, on the backend the run ended on, and their
 * outputs must equal the run's bit for bit. A small run's sample is every run, as one
 * chunk with the device's own limits and no budget (what the check always did); a large
 * run's is a few thousand runs, so the check never needs device buffers of the batch's size.
 */
import { elementView, unpackChunk, type ElementView, type HostArray } from '../core/host-arrays.ts';
import { planScenario } from '../core/planner.ts';
import { withF16Storage } from '../core/replan.ts';
import type { Comparison } from '../core/run-outcome.ts';
import { kMaxBytes, type Limits, type Scenario } from '../core/scenario.ts';
import { TraceRecorder } from '../core/trace.ts';
import type { Kernel, KernelArray } from '../kernels/kernel.ts';
import { isFault } from './errors.ts';
import type { ChunkExecutor, ChunkHost } from './executor.ts';
import { FaultInjector } from './faults.ts';
import { planOptionsFor } from './prepare-run.ts';
import { type FixedArrays, type InputMaker, type Precision, type RunHost } from './run-host.ts';
import type { RunSample } from './run-sample.ts';
import { ArrayComparer, outputNames } from './verify.ts';
import type { HostMemory } from './host-memory.ts';

/** What the check needs. */
export interface UnchunkedCheckOptions {
  scenario: Scenario;
  kernel: Kernel;
  host: RunHost;
  sample: RunSample;
  memory: HostMemory;
  runsDone: number;
  /** First run stored as f16, when the f16 fallback was taken. */
  f16Start?: number;
  executor: ChunkExecutor;
  device?: GPUDevice;
}

/** Runs the sample as one chunk per storage precision and compares it with the run's outputs. */
export async function checkUnchunked(options: UnchunkedCheckOptions): Promise<Comparison> {
  const { scenario, host, sample, runsDone, f16Start } = options;
  const comparers = new Map(outputNames(scenario).map((name) => [name, new ArrayComparer(name)]));
  const fixed = host.inputs.initialFixed();
  // Kept runs are sorted: those stored natively come first, then those stored as f16.
  const kept = sample.keptBefore(runsDone);
  let native = 0;
  while (native < kept.count && (f16Start === undefined || kept.runAt(native) < f16Start)) native++;
  const segments: Segment[] = [
    { precision: 'native', from: 0, count: native },
    { precision: 'f16', from: native, count: kept.count - native },
  ];
  const result = (skipped?: string): Comparison => {
    const arrays = [...comparers.values()].map((c) => c.result);
    return {
      passed: !skipped && arrays.every((a) => a.mismatches === 0),
      ...(skipped && { skipped, passed: true }),
      tolerance: { exact: true },
      arrays: skipped ? [] : arrays,
      runs: sample.coverage(runsDone),
    };
  };
  try {
    for (const segment of segments) {
      if (segment.count === 0) continue;
      const skipped = await runSegment(options, { ...segment, kept, fixed, comparers });
      if (skipped) return result(skipped);
    }
  } finally {
    for (const data of fixed.values()) options.memory.release(data);
  }
  // Fixed outputs: the run's, as its last chunk left them, against the check's.
  for (const [name, data] of host.fixed) {
    const comparer = comparers.get(name);
    if (!comparer) continue;
    const dtype = scenario.arrays.find((a) => a.name === name)!.dtype;
    comparer.add(elementView(data, dtype), elementView(fixed.get(name)!, dtype), { exact: true }, (k) => k);
  }
  return result();
}

/** Kept runs `[from, from + count)` (in run order), stored as `precision`. */
interface Segment {
  precision: Precision;
  from: number;
  count: number;
}

/** A segment with what its check reads and writes. */
interface SegmentCheck extends Segment {
  kept: ReturnType<RunSample['keptBefore']>;
  fixed: FixedArrays;
  comparers: Map<string, ArrayComparer>;
}

/** Runs one segment of the sample as one chunk; returns why it could not, if it could not. */
async function runSegment(options: UnchunkedCheckOptions, segment: SegmentCheck): Promise<string | undefined> {
  const { scenario, kernel, sample, device } = options;
  const count = segment.count;
  const base: Scenario = {
    ...scenario,
    runs: count,
    // Every run: the whole batch as one chunk with the device's limits, as the check always did (a small run only).
    // A sample: within the scenario's own budget and limits.
    device: sample.all ? { budgetBytes: kMaxBytes, limits: referenceLimits(device) } : scenario.device,
    planner: { headroom: 0, bufferSets: 1 },
    faults: [],
  };
  const stored = segment.precision === 'f16' ? withF16Storage(base) : base;
  const planned = planScenario(stored, planOptionsFor(kernel, { device }));
  if (!planned.ok) return planned.error.message;
  if (planned.plan.numChunks > 1) return `one chunk of ${count} runs is over this device's ${planned.plan.boundBy}`;
  const host = new SampleHost(options, segment);
  try {
    await options.executor.execute({
      scenario: stored,
      plan: planned.plan,
      start: 0,
      kernel,
      host,
      trace: new TraceRecorder(),
      faults: new FaultInjector([]),
      budgetBytes: stored.device.budgetBytes,
      onChunkDone: () => {},
    });
  } catch (err) {
    // The run itself finished; a check that cannot be computed is skipped, it does not fail the run.
    if (isFault(err)) return `the one-chunk reference could not run: ${(err as Error).message}`;
    throw err;
  }
  return undefined;
}

/** Limits the every-run check may use: the device's own, or generous host ones. */
function referenceLimits(device: GPUDevice | undefined): Limits {
  if (device) {
    return {
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    };
  }
  return { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31, maxComputeWorkgroupsPerDimension: 2 ** 31 };
}

/** The host of the check's chunk: local run `r` is the sample's `r`-th run; outputs are compared as they land. */
class SampleHost implements ChunkHost {
  private readonly _inputs: InputMaker;
  private readonly _scenario: Scenario;
  private readonly _capacity: number;
  private readonly _kept: ReadonlyMap<string, HostArray>;
  private readonly _segment: SegmentCheck;
  private readonly _fixed: FixedArrays;
  private readonly _comparers: Map<string, ArrayComparer>;

  constructor(options: UnchunkedCheckOptions, segment: SegmentCheck) {
    this._inputs = options.host.inputs;
    this._scenario = options.scenario;
    this._capacity = options.sample.capacity;
    this._kept = options.host.kept;
    this._segment = segment;
    this._fixed = segment.fixed;
    this._comparers = segment.comparers;
  }

  /** The run of the check's local run `r`. */
  private _runAt(r: number): number {
    return this._segment.kept.runAt(this._segment.from + r);
  }

  packInput(array: KernelArray, view: HostArray, start: number, end: number): void {
    this._inputs.pack(array, view, { count: end - start, runAt: (r) => this._runAt(start + r) }, this._fixed);
  }

  unpackOutput(array: KernelArray, view: HostArray, start: number, end: number): void {
    const dtype = this._scenario.arrays[array.binding].dtype;
    if (!array.layout.chunked) {
      unpackChunk(view, array.dtype, this._fixed.get(array.name)!, dtype, array.layout, 0, 0, 0);
      return;
    }
    const n = end - start;
    const { inner } = array.layout;
    const kept = elementView(this._kept.get(array.name)!, dtype);
    const split = (k: number) => {
      const o = Math.floor(k / (n * inner));
      const rest = k - o * n * inner;
      const r = Math.floor(rest / inner);
      return { o, r: start + r, i: rest - r * inner };
    };
    // The run's outputs for the sample, in the check's chunk layout.
    const actual: ElementView = {
      length: view.length,
      get: (k) => {
        const { o, r, i } = split(k);
        return kept.get((o * this._capacity + this._segment.kept.slotAt(this._segment.from + r)) * inner + i);
      },
      set: () => {},
    };
    const runs = this._scenario.runs;
    this._comparers.get(array.name)!.add(actual, elementView(view, array.dtype), { exact: true }, (k) => {
      const { o, r, i } = split(k);
      return (o * runs + this._runAt(r)) * inner + i;
    });
  }
}

