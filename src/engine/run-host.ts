/**
 * The host side of a run: what the executors' chunks read and write on the host.
 *
 * Inputs are generated per chunk from the seed and the global run index (the values
 * `generateInputs` gives, so traces and references stay comparable), straight into the
 * chunk buffer. Outputs leave per chunk: each chunk is checked against the kernel's CPU
 * twin as it lands, the runs of the check sample (run-sample.ts) are kept, and the rest
 * goes to the sink. The host then holds about a chunk, never the batch; fixed arrays,
 * which the budget bounds, are the only arrays kept whole.
 *
 * Inout arrays: a run is computed in exactly one finished chunk, so a chunked inout's
 * input is always its generated value; a fixed inout is uploaded at each attempt as the
 * last finished chunk left it, which is why fixed arrays are kept here.
 */
import type { Dtype } from '../core/dtypes.ts';
import { elementCount, elementView, packChunk, unpackChunk, type HostArray, type HostArrays } from '../core/host-arrays.ts';
import type { Comparison, Tolerance } from '../core/run-outcome.ts';
import type { Scenario } from '../core/scenario.ts';
import { fillInputChunk, isGenerated, runRange, type RunSelection } from '../kernels/inputs.ts';
import type { Kernel, KernelArray, TwinArray } from '../kernels/kernel.ts';
import { isReadBack, isUploaded, kernelArrays, type ChunkHost } from './executor.ts';
import type { HostMemory } from './host-memory.ts';
import type { OutputSink } from './output-sink.ts';
import type { KeptRuns, RunSample } from './run-sample.ts';
import { ArrayComparer, outputNames } from './verify.ts';

/** Fixed arrays by name, in the scenario's dtypes. */
export type FixedArrays = Map<string, HostArray>;

/** Storage precision of an attempt. */
export type Precision = 'native' | 'f16';

/** What the host side of a run needs. */
export interface RunHostOptions {
  scenario: Scenario;
  kernel: Kernel;
  sink: OutputSink;
  memory: HostMemory;
  /** Where the runs of the chunked = unchunked check are kept; absent when nothing is verified. */
  sample?: RunSample;
  /** Whole host arrays of inputs a caller gave; generated from the seed when absent. */
  inputs?: HostArrays;
}

/**
 * Makes chunk inputs: generated from the seed, or copied from whole host arrays a caller
 * gave (a benchmark that must not time generation). The one place inputs are written
 * into chunk buffers.
 */
export class InputMaker {
  constructor(
    readonly scenario: Scenario,
    readonly kernel: Kernel,
    readonly memory: HostMemory,
    /** Whole host arrays of every run, when the caller gives the inputs. */
    readonly given?: HostArrays,
  ) {}

  /** Fixed input, inout and output arrays: inputs as generated (or given), outputs zeroed. Scratch arrays never reach the host. */
  initialFixed(): FixedArrays {
    const fixed: FixedArrays = new Map();
    const arrays = kernelArrays(this.scenario);
    this.scenario.arrays.forEach((spec, index) => {
      const array = arrays[index];
      if (array.layout.chunked || spec.role === 'scratch') return;
      const storage = this.memory.make(spec.dtype, array.layout.inner);
      if (isGenerated(spec)) {
        if (this.given) storage.set(this.given[spec.name].subarray(0, storage.length) as Float64Array);
        else fillInputChunk(this.scenario, this.kernel, index, elementView(storage, spec.dtype), runRange(0, 0));
      }
      fixed.set(spec.name, storage);
    });
    return fixed;
  }

  /**
   * Writes `array`'s input values for `runs` into `view` (stored as `array.dtype`), or a
   * fixed array from `fixed`. A dtype the device stores differently (f32 as f16) is made
   * in the scenario's dtype first, so it rounds exactly as the whole host array did.
   */
  pack(array: KernelArray, view: HostArray, runs: RunSelection, fixed: FixedArrays): void {
    const dtype = this.scenario.arrays[array.binding].dtype;
    if (!array.layout.chunked) {
      packChunk(fixed.get(array.name)!, dtype, view, array.dtype, array.layout, 0, 0, 0);
      return;
    }
    if (this.given) {
      copyRuns(this.given[array.name], dtype, view, array, runs, this.scenario.runs);
      return;
    }
    if (dtype === array.dtype) {
      fillInputChunk(this.scenario, this.kernel, array.binding, elementView(view, dtype), runs);
      return;
    }
    const n = runs.count;
    const scratch = this.memory.make(dtype, elementCount(array.layout, n));
    fillInputChunk(this.scenario, this.kernel, array.binding, elementView(scratch, dtype), runs);
    packChunk(scratch, dtype, view, array.dtype, array.layout, n, 0, n);
    this.memory.release(scratch);
  }
}

/** Copies `runs` of whole host array `host` (all `total` runs) into chunk buffer `view`, converting dtypes. */
function copyRuns(host: HostArray, dtype: Dtype, view: HostArray, array: KernelArray, runs: RunSelection, total: number): void {
  if (runs.start !== undefined) {
    packChunk(host, dtype, view, array.dtype, array.layout, total, runs.start, runs.start + runs.count);
    return;
  }
  const from = elementView(host, dtype);
  const to = elementView(view, array.dtype);
  const { outer, inner } = array.layout;
  for (let r = 0; r < runs.count; r++) {
    const run = runs.runAt(r);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) to.set((o * runs.count + r) * inner + i, from.get((o * total + run) * inner + i));
    }
  }
}

/** The CPU twin of one chunk, in flight until the chunk is done. */
interface ChunkCheck {
  start: number;
  end: number;
  /** The twin's arrays in the attempt's storage. */
  expected: Map<string, HostArray>;
  /** After the f16 fallback: the twin in native storage, to measure what f16 cost. */
  native?: Map<string, HostArray>;
  twin: Map<string, ArrayComparer>;
  loss: Map<string, ArrayComparer>;
  /** Runs of this chunk the sample keeps, with their slots. */
  kept: KeptRuns[];
}

/** The host side of one run; the recovery ladder tells it each attempt's storage and each finished chunk. */
export class RunHost implements ChunkHost {
  readonly inputs: InputMaker;
  /** The run's fixed arrays: inputs as generated, outputs as the last chunk left them. */
  readonly fixed: FixedArrays;
  /** Outputs of the sample's runs, by slot: `[outer, capacity, inner]` per array. */
  readonly kept = new Map<string, HostArray>();
  private readonly _scenario: Scenario;
  private readonly _kernel: Kernel;
  private readonly _memory: HostMemory;
  private readonly _sink: OutputSink;
  private readonly _sample?: RunSample;
  private _stored: Scenario;
  private _precision: Precision = 'native';
  private _usedF16 = false;
  private _twinFixed?: FixedArrays;
  private _nativeFixed?: FixedArrays;
  /** Checks of chunks whose outputs are landing, by first run: a pipelined executor may have two in flight. */
  private readonly _checks = new Map<number, ChunkCheck>();
  private readonly _twin = new Map<string, ArrayComparer>();
  private readonly _loss = new Map<string, ArrayComparer>();

  constructor(options: RunHostOptions) {
    this._scenario = options.scenario;
    this._stored = options.scenario;
    this._kernel = options.kernel;
    this._memory = options.memory;
    this._sink = options.sink;
    this._sample = options.sample;
    this.inputs = new InputMaker(options.scenario, options.kernel, options.memory, options.inputs);
    this.fixed = this.inputs.initialFixed();
    if (this._sample) {
      this._twinFixed = this.inputs.initialFixed();
      for (const a of kernelArrays(this._scenario).filter((x) => x.layout.chunked && isReadBack(x))) {
        this.kept.set(a.name, this._memory.make(a.dtype, elementCount(a.layout, this._sample.capacity)));
      }
    }
  }

  /** The next attempt stores the arrays as `stored` (`precision` f16 after the f16 fallback). */
  setAttempt(stored: Scenario, precision: Precision): void {
    // Chunks whose outputs landed but which never finished (a fault struck first) count for nothing.
    for (const check of this._checks.values()) this._releaseCheck(check);
    this._checks.clear();
    this._stored = stored;
    this._precision = precision;
    if (precision === 'f16' && this._sample && !this._usedF16) {
      this._usedF16 = true;
      // The native twin starts where the run stands: its fixed arrays as the twin left them.
      this._nativeFixed = copyFixed(this._twinFixed!, this._memory);
    }
  }

  packInput(array: KernelArray, view: HostArray, start: number, end: number): void {
    this.inputs.pack(array, view, runRange(start, end), this.fixed);
  }

  unpackOutput(array: KernelArray, view: HostArray, start: number, end: number): void {
    const spec = this._scenario.arrays[array.binding];
    if (!array.layout.chunked) {
      unpackChunk(view, array.dtype, this.fixed.get(array.name)!, spec.dtype, array.layout, 0, 0, 0);
      return;
    }
    const n = end - start;
    const check = this._sample ? this._checkFor(start, end) : undefined;
    if (check) {
      const inner = array.layout.inner;
      const runs = this._scenario.runs;
      const indexOf = (k: number) => {
        const o = Math.floor(k / (n * inner));
        const rest = k - o * n * inner;
        return (o * runs + start) * inner + rest;
      };
      const actual = elementView(view, array.dtype);
      check.twin.get(array.name)!.add(actual, elementView(check.expected.get(array.name)!, array.dtype), this._tolerance(), indexOf);
      if (check.native) check.loss.get(array.name)!.add(actual, elementView(check.native.get(array.name)!, spec.dtype), { exact: true }, indexOf);
    }
    let data = view;
    if (array.dtype !== spec.dtype) {
      data = this._memory.make(spec.dtype, elementCount(array.layout, n));
      packChunk(view, array.dtype, data, spec.dtype, array.layout, n, 0, n);
    }
    if (check) keepRuns(data, this.kept.get(array.name)!, array, { n, start, capacity: this._sample!.capacity, kept: check.kept });
    this._sink.writeChunk(spec, data, start, end);
    if (data !== view) this._memory.release(data);
  }

  /** Runs `[start, end)` are finished: their check counts, and its buffers go. */
  chunkDone(start: number, end: number): void {
    const check = this._checks.get(start);
    if (!check) return;
    this._checks.delete(start);
    this._releaseCheck(check);
    if (check.end !== end) return;
    mergeInto(this._twin, check.twin);
    mergeInto(this._loss, check.loss);
  }

  /** The twin comparison of the finished runs, fixed outputs included; undefined when nothing was verified. */
  twinComparison(runsDone: number): { twin: Comparison; precisionLoss?: { maxAbsError: number; maxRelError: number } } | undefined {
    if (!this._sample || runsDone === 0) return undefined;
    const tolerance = this._usedF16 ? this._kernel.tolerance('f16') : nativeTolerance(this._kernel, this._scenario);
    const arrays = outputNames(this._scenario).map((name) => {
      const fixedRun = this.fixed.get(name);
      if (!fixedRun) return (this._twin.get(name) ?? new ArrayComparer(name)).result;
      const dtype = this._scenario.arrays.find((a) => a.name === name)!.dtype;
      const comparer = new ArrayComparer(name);
      comparer.add(elementView(fixedRun, dtype), elementView(this._twinFixed!.get(name)!, dtype), tolerance, (k) => k);
      if (this._nativeFixed) {
        const loss = new ArrayComparer(name);
        loss.add(elementView(fixedRun, dtype), elementView(this._nativeFixed.get(name)!, dtype), { exact: true }, (k) => k);
        this._loss.set(name, loss);
      }
      return comparer.result;
    });
    const twin: Comparison = {
      passed: arrays.every((a) => a.mismatches === 0),
      tolerance,
      arrays,
      runs: { how: 'every finished run, chunk by chunk as it landed', count: runsDone, ranges: [[0, runsDone]] },
    };
    if (!this._usedF16) return { twin };
    const loss = [...this._loss.values()].map((c) => c.result);
    return {
      twin,
      precisionLoss: {
        maxAbsError: loss.reduce((m, a) => Math.max(m, a.maxAbsError), 0),
        maxRelError: loss.reduce((m, a) => Math.max(m, a.maxRelError), 0),
      },
    };
  }

  /** The twin of chunk `[start, end)`, computed when its first output lands. */
  private _checkFor(start: number, end: number): ChunkCheck {
    const current = this._checks.get(start);
    if (current && current.end === end) return current;
    if (current) this._releaseCheck(current);
    const names = outputNames(this._scenario).filter((name) => this._scenario.arrays.find((a) => a.name === name)!.shape.includes('runs'));
    const check: ChunkCheck = {
      start,
      end,
      expected: this._runTwin(this._stored, start, end, this._twinFixed!),
      twin: new Map(names.map((name) => [name, new ArrayComparer(name)])),
      loss: new Map(names.map((name) => [name, new ArrayComparer(name)])),
      kept: this._sample!.take(start, end),
    };
    if (this._precision === 'f16') check.native = this._runTwin(this._scenario, start, end, this._nativeFixed!);
    this._checks.set(start, check);
    return check;
  }

  /** The kernel's CPU twin over runs `[start, end)` stored as `stored`; its fixed outputs go into `fixed`. */
  private _runTwin(stored: Scenario, start: number, end: number, fixed: FixedArrays): Map<string, HostArray> {
    const n = end - start;
    const arrays = kernelArrays(stored);
    const storages = new Map<string, HostArray>();
    const twinArrays: TwinArray[] = arrays.map((a) => {
      const storage = this._memory.make(a.dtype, elementCount(a.layout, n));
      storages.set(a.name, storage);
      if (isUploaded(a)) this.inputs.pack(a, storage, runRange(start, end), fixed);
      return { ...a, view: elementView(storage, a.dtype) };
    });
    this._kernel.twin(stored, twinArrays, n);
    for (const a of arrays.filter((x) => !x.layout.chunked && isReadBack(x))) {
      unpackChunk(storages.get(a.name)!, a.dtype, fixed.get(a.name)!, this._scenario.arrays[a.binding].dtype, a.layout, 0, 0, 0);
    }
    return storages;
  }

  private _releaseCheck(check: ChunkCheck): void {
    for (const storage of check.expected.values()) this._memory.release(storage);
    for (const storage of check.native?.values() ?? []) this._memory.release(storage);
  }

  private _tolerance(): Tolerance {
    return this._precision === 'f16' ? this._kernel.tolerance('f16') : nativeTolerance(this._kernel, this._scenario);
  }
}

/** The loosest tolerance among the dtypes of the outputs. */
export function nativeTolerance(kernel: Kernel, scenario: Scenario): Tolerance {
  const tolerances = outputNames(scenario).map((n) => kernel.tolerance(scenario.arrays.find((a) => a.name === n)!.dtype));
  return tolerances.find((t) => !t.exact) ?? { exact: true };
}

/** Copies the sample's runs of a chunk (`data`, `n` runs from `start`) into their slots of `kept`. */
function keepRuns(
  data: HostArray,
  kept: HostArray,
  array: KernelArray,
  where: { n: number; start: number; capacity: number; kept: readonly KeptRuns[] },
): void {
  const { outer, inner } = array.layout;
  for (const { run, slot, count } of where.kept) {
    for (let o = 0; o < outer; o++) {
      const from = (o * where.n + run - where.start) * inner;
      (kept as Float64Array).set((data as Float64Array).subarray(from, from + count * inner), (o * where.capacity + slot) * inner);
    }
  }
}

function mergeInto(total: Map<string, ArrayComparer>, part: Map<string, ArrayComparer>): void {
  for (const [name, comparer] of part) {
    let sum = total.get(name);
    if (!sum) total.set(name, (sum = new ArrayComparer(name)));
    sum.merge(comparer);
  }
}

/** A copy of fixed arrays (counted). */
export function copyFixed(fixed: FixedArrays, memory: HostMemory): FixedArrays {
  const copy: FixedArrays = new Map();
  for (const [name, data] of fixed) {
    const storage = memory.make(dtypeOf(data), data.length);
    storage.set(data as Float64Array);
    copy.set(name, storage);
  }
  return copy;
}

function dtypeOf(data: HostArray): Dtype {
  if (data instanceof Float32Array) return 'f32';
  if (data instanceof Uint16Array) return 'f16';
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof Uint32Array) return 'u32';
  return 'f64';
}
