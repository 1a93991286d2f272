/**
 * The planner: splits a scenario's runs into chunks that fit the budget and the limits.
 *
 * Pure and exact. A byte count that can be part of a plan is at most the limits (the
 * schema caps them at 2^52), so each array's row holds plain numbers, exact as floats;
 * the plan's totals are bigints, and so is every size an oversize error names. The
 * chunk list is a formula ({@link chunkAt}), never materialised.
 */
import { dtypeBytes, type Dtype } from './dtypes.ts';
import {
  kLimitNames,
  type ArraySpec,
  type LimitName,
  type Limits,
  type Role,
  type Scenario,
} from './scenario.ts';
import { formatBytesExact, formatCount } from './units.ts';

/** What a kernel adds to a plan: how many runs one workgroup covers. */
export interface KernelFootprint {
  /** Runs one workgroup covers; the dispatch limit is maxComputeWorkgroupsPerDimension × this. */
  runsPerWorkgroup: number;
}

/** What besides the scenario the planner may know. */
export interface PlanOptions {
  /** The limits of the real adapter; a scenario limit above one of them is an error. */
  adapterLimits?: Partial<Limits>;
  /** The kernel that will run the plan; without it, no dispatch limit applies. */
  kernel?: KernelFootprint;
}

/** The constraints that can fix `chunkLength`, in the order `boundBy` prefers them. */
export const kBounds = ['fits', 'budget', ...kLimitNames] as const;
/** One of {@link kBounds}. */
export type BoundBy = (typeof kBounds)[number];

/** One row of the plan: an array and the device buffer(s) it occupies. */
export interface PlannedArray {
  name: string;
  role: Role;
  dtype: Dtype;
  shape: ArraySpec['shape'];
  /** Whether the shape has a `runs` axis; the buffer's shape is then {@link shapeAt}(shape, chunkLength). */
  chunked: boolean;
  /** Bytes one run adds to this array's buffer (0 for a fixed array); at most the limits, so an exact float. */
  runBytes: number;
  /** Bytes of one buffer of this array, rounded up to 4; at most the limits (2^52), so an exact float. */
  bytes: number;
  /** Buffers of this array held at once: `bufferSets` when chunked, 1 when fixed. */
  buffers: number;
}

/**
 * A plan's row, made by a constructor rather than an object literal: V8 may pretenure a
 * literal's allocation site once its objects survive a scavenge, and then every row went
 * straight to old space. Planning 10 000 arrays took 1.5–1.6 ms instead of 0.5–0.9 ms in
 * 3 of 14 processes that way (none of 8 with `--no-allocation-site-pretenuring`), and in none
 * of 24 with this class. Its fields are a PlannedArray's, in the same order, so a row
 * clones and serializes as the literal did.
 */
class PlannedArrayRow implements PlannedArray {
  constructor(
    public name: string,
    public role: Role,
    public dtype: Dtype,
    public shape: ArraySpec['shape'],
    public chunked: boolean,
    public runBytes: number,
    public bytes: number,
    public buffers: number,
  ) {}
}

/** What one constraint allows, for showing which bound the chunk length and by how much. */
export interface PlanConstraint {
  bound: Exclude<BoundBy, 'fits'>;
  /** Most runs per chunk this constraint allows (null where it allows any number). */
  maxRuns: number | null;
  /** The array whose buffer sets this limit, for per-buffer limits. */
  array?: string;
}

/** A feasible plan. */
export interface Plan {
  runs: number;
  chunkLength: number;
  numChunks: number;
  finalChunkLength: number;
  boundBy: BoundBy;
  bufferSets: number;
  budgetBytes: bigint;
  /** floor(budget × (1 − headroom)): what the plan may occupy. */
  capBytes: bigint;
  fixedBytes: bigint;
  perRunBytes: bigint;
  predictedPeakBytes: bigint;
  /**
   * Host-visible staging bytes the WebGPU backend holds at once under this plan (the CPU
   * backend holds none): see {@link stagingPeakBytes}.
   */
  predictedStagingPeakBytes: bigint;
  limits: Limits;
  arrays: PlannedArray[];
  constraints: PlanConstraint[];
}

/** Stable codes of an infeasible plan. */
export const kPlanErrorCodes = [
  'INVALID_SCENARIO',
  'FIXED_EXCEEDS_BUDGET',
  'RUN_DOES_NOT_FIT',
  'SLICE_EXCEEDS_LIMIT',
  'FIXED_EXCEEDS_LIMIT',
  'LIMIT_ABOVE_ADAPTER',
] as const;
/** One of {@link kPlanErrorCodes}. */
export type PlanErrorCode = (typeof kPlanErrorCodes)[number];

/** Why there is no plan: a stable code, a sentence, and where it points, if anywhere. */
export interface PlanError {
  code: PlanErrorCode;
  message: string;
  path?: string;
}

/** The outcome of {@link planScenario}. */
export type PlanResult = { ok: true; plan: Plan } | { ok: false; error: PlanError };

/** Plans a validated scenario. Never throws. */
export function planScenario(scenario: Scenario, options: PlanOptions = {}): PlanResult {
  const limits = scenario.device.limits;
  const adapterError = checkAdapterLimits(limits, options.adapterLimits);
  if (adapterError) return { ok: false, error: adapterError };

  // Budget and limits are at most 2^52 (the schema says so), so every byte count that can
  // be part of a plan is an exact float; only sizes past every limit need bigints, and
  // those end in an error whose message computes them exactly.
  const bufferSets = scenario.planner.bufferSets;
  const capBytes = applyHeadroom(scenario.device.budgetBytes, scenario.planner.headroom);
  // One pass over the arrays into flat columns: 100 000 arrays must not cost 100 000 objects before the plan's own rows.
  const specs = scenario.arrays;
  const count = specs.length;
  const runBytes = new Float64Array(count);
  const fixedBytesOf = new Float64Array(count);
  let fixedBytes = 0;
  let runBytesSum = 0;
  // The largest slice is the one a per-buffer limit restricts most.
  let largest = -1;
  for (let i = 0; i < count; i++) {
    const spec = specs[i];
    let chunked = false;
    let elements = 1;
    const shape = spec.shape;
    for (let k = 0; k < shape.length; k++) {
      const d = shape[k];
      if (typeof d === 'number') elements *= d;
      else chunked = true;
    }
    const raw = elements * dtypeBytes(spec.dtype);
    if (chunked) {
      runBytes[i] = raw;
      runBytesSum += raw;
      if (largest < 0 || raw > runBytes[largest]) largest = i;
      continue;
    }
    fixedBytesOf[i] = roundUp4(raw);
    fixedBytes += fixedBytesOf[i];
    for (const limit of kBufferLimits) {
      if (fixedBytesOf[i] > limits[limit]) {
        return fail('FIXED_EXCEEDS_LIMIT', `arrays[${i}]`,
          `fixed array "${spec.name}" is ${formatBytesExact(exactBytes(spec))}, over ${limit} ${formatBytesExact(limits[limit])}` +
            ' — shrink the array, give it a "runs" axis, or raise the limit');
      }
    }
  }
  // Every dimension is positive, so a chunked array's run adds bytes and a fixed array's adds none.
  const isChunked = (i: number) => runBytes[i] > 0;

  if (fixedBytes > capBytes) {
    const exactFixed = specs.reduce((sum, spec, i) => (isChunked(i) ? sum : sum + roundUp4Big(exactBytes(spec))), 0n);
    return fail('FIXED_EXCEEDS_BUDGET', 'device.budgetBytes',
      `fixed arrays need ${formatBytesExact(exactFixed)} but the budget leaves ${formatBytesExact(capBytes)}` +
        ' — raise the budget, lower the headroom, or give the largest fixed array a "runs" axis');
  }

  const usableBytes = capBytes - fixedBytes;
  const runs = scenario.runs;

  const constraints: PlanConstraint[] = [
    { bound: 'budget', maxRuns: maxRunsWithin(usableBytes, runBytes, runBytesSum * bufferSets, bufferSets, runs) },
  ];
  for (const limit of kBufferLimits) {
    constraints.push(
      largest >= 0 && runBytes[largest] > 0
        ? { bound: limit, maxRuns: floorDiv(limit4(limits[limit]), runBytes[largest]), array: specs[largest].name }
        : { bound: limit, maxRuns: null },
    );
  }
  constraints.push({
    bound: 'maxComputeWorkgroupsPerDimension',
    maxRuns: options.kernel ? limits.maxComputeWorkgroupsPerDimension * options.kernel.runsPerWorkgroup : null,
  });

  let chunkLength = runs;
  let binding: PlanConstraint | undefined;
  for (const constraint of constraints) {
    if (constraint.maxRuns !== null && constraint.maxRuns < chunkLength) {
      chunkLength = constraint.maxRuns;
      binding = constraint;
    }
  }

  if (chunkLength === 0 && binding) {
    if (binding.bound === 'budget') {
      const perRun = BigInt(bufferSets) * specs.reduce((sum, spec, i) => (isChunked(i) ? sum + exactBytes(spec) : sum), 0n);
      return fail('RUN_DOES_NOT_FIT', 'device.budgetBytes',
        `one run needs ${formatBytesExact(perRun)}${bufferSets > 1 ? ` (${bufferSets} buffer sets)` : ''};` +
          ` ${formatBytesExact(usableBytes)} ${usableBytes === 1 ? 'is' : 'are'} left after fixed arrays` +
          ' — raise the budget or make the chunked arrays smaller');
    }
    const limit = binding.bound as LimitName;
    return fail('SLICE_EXCEEDS_LIMIT', `arrays[${largest}].shape`,
      `one run of "${specs[largest].name}" is ${formatBytesExact(exactBytes(specs[largest]))}, over ${limit} ${formatBytesExact(limits[limit])}` +
        ' — shrink the array or raise the limit');
  }

  let predictedPeakBytes = 0;
  const arrays: PlannedArray[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const { name, role, dtype, shape } = specs[i];
    const chunked = isChunked(i);
    const bytes = chunked ? roundUp4(runBytes[i] * chunkLength) : fixedBytesOf[i];
    predictedPeakBytes += chunked ? bytes * bufferSets : bytes;
    arrays[i] = new PlannedArrayRow(name, role, dtype, shape, chunked, runBytes[i], bytes, chunked ? bufferSets : 1);
  }
  const numChunks = Math.ceil(runs / chunkLength);
  return {
    ok: true,
    plan: {
      runs,
      chunkLength,
      numChunks,
      finalChunkLength: runs - (numChunks - 1) * chunkLength,
      boundBy: binding ? binding.bound : 'fits',
      bufferSets,
      budgetBytes: BigInt(scenario.device.budgetBytes),
      capBytes: BigInt(capBytes),
      fixedBytes: BigInt(fixedBytes),
      perRunBytes: BigInt(runBytesSum * bufferSets),
      predictedPeakBytes: BigInt(predictedPeakBytes),
      predictedStagingPeakBytes: stagingPeakBytes(arrays, numChunks, bufferSets),
      limits,
      arrays,
      constraints,
    },
  };
}

/** A chunk: the runs `[start, end)` executed together. */
export interface Chunk {
  index: number;
  start: number;
  end: number;
}

/** The `index`-th chunk of a plan, from the formula rather than a stored list. */
export function chunkAt(plan: Pick<Plan, 'runs' | 'chunkLength'>, index: number): Chunk {
  const start = index * plan.chunkLength;
  return { index, start, end: Math.min(plan.runs, start + plan.chunkLength) };
}

/** Bytes of a buffer holding `runs` runs (at most its plan's chunkLength) of a chunked array, or the fixed array, rounded up to 4. */
export function bufferBytes(array: Pick<PlannedArray, 'chunked' | 'runBytes' | 'bytes'>, runs: number): number {
  return array.chunked ? roundUp4(array.runBytes * runs) : array.bytes;
}

/**
 * The staging peak of the WebGPU backend (DESIGN.md, "Trace"): the fixed inputs go up
 * through one staging buffer freed before the chunks start; then each buffer set a chunk
 * uses (min(bufferSets, numChunks)) holds one upload staging buffer of its chunked inputs
 * and one readback staging buffer of every read-back array (fixed outputs come back with
 * every chunk), each at chunkLength, for the rest of the attempt. `arrays` are the rows of
 * a plan (or of one with a shorter chunk length), whose buffers fit its budget.
 */
export function stagingPeakBytes(arrays: readonly Pick<PlannedArray, 'role' | 'chunked' | 'bytes'>[], numChunks: number, bufferSets: number): bigint {
  // The rows are a plan's: their buffers fit the budget together (at most 2^52 B), so each
  // partial sum is an exact float; only their combination over sets needs a bigint.
  let fixedUpload = 0;
  let chunkedUpload = 0;
  let readBackBytes = 0;
  for (const a of arrays) {
    const uploaded = a.role === 'input' || a.role === 'inout';
    if (uploaded && a.chunked) chunkedUpload += a.bytes;
    else if (uploaded) fixedUpload += a.bytes;
    if (a.role === 'output' || a.role === 'inout') readBackBytes += a.bytes;
  }
  const sets = (BigInt(chunkedUpload) + BigInt(readBackBytes)) * BigInt(Math.min(bufferSets, numChunks));
  return sets > BigInt(fixedUpload) ? sets : BigInt(fixedUpload);
}

/** An array's shape with the chunk axis set to `runs`. */
export function shapeAt(shape: ArraySpec['shape'], runs: number): number[] {
  return shape.map((d) => (typeof d === 'number' ? d : runs));
}

const kBufferLimits = ['maxBufferSize', 'maxStorageBufferBindingSize'] as const;

/** Bytes of one run's slice (chunked) or of the whole array (fixed), exact at any size. */
function exactBytes(spec: ArraySpec): bigint {
  return spec.shape.reduce<bigint>((n, d) => (typeof d === 'number' ? n * BigInt(d) : n), BigInt(dtypeBytes(spec.dtype)));
}

/**
 * Most runs (up to `runs`) whose chunked buffers, each rounded up to 4 bytes, fit `usable`.
 *
 * floor(usable / perRunBytes) ignores the rounding and can overshoot by a few runs;
 * the answer lies within the rounding slack below it, so a short binary search is exact.
 * Every cost evaluated is at most `usable` plus the slack, far below 2^53: exact in floats.
 */
function maxRunsWithin(usable: number, runBytes: Float64Array, perRun: number, bufferSets: number, runs: number): number | null {
  if (perRun === 0) return null;
  // Fixed arrays have no run bytes: they add nothing here.
  let chunked = 0;
  for (let i = 0; i < runBytes.length; i++) if (runBytes[i] > 0) chunked++;
  const cost = (n: number) => {
    let sum = 0;
    for (let i = 0; i < runBytes.length; i++) if (runBytes[i] > 0) sum += roundUp4(runBytes[i] * n);
    return sum * bufferSets;
  };
  const slack = 3 * chunked * bufferSets;
  let hi = Math.min(floorDiv(usable, perRun), runs);
  // Rounding adds at most `slack`; when even that fits, no cost needs adding up.
  if (hi * perRun + slack <= usable || cost(hi) <= usable) return hi;
  let lo = Math.min(usable > slack ? floorDiv(usable - slack, perRun) : 0, hi);
  // Invariant: cost(lo) ≤ usable < cost(hi).
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (cost(mid) <= usable) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** roundUp4(n × s) ≤ limit ⟺ n × s ≤ the limit rounded down to 4. */
function limit4(limit: number): number {
  return limit - (limit % 4);
}

/**
 * floor(a / b) for a ≤ 2^52 and b ≥ 1, exact: the float quotient can round up across an
 * integer when `a` is large, so one step of correction follows it.
 */
function floorDiv(a: number, b: number): number {
  if (b > a) return 0;
  let q = Math.floor(a / b);
  if (q * b > a) q--;
  else if ((q + 1) * b <= a) q++;
  return q;
}

/**
 * floor(budget × (1 − headroom)), exact for the headroom as written in decimal:
 * 0.1 means one tenth, not the binary float nearest to it.
 */
function applyHeadroom(budget: number, headroom: number): number {
  if (headroom === 0) return budget;
  const [num, den] = decimalFraction(headroom);
  return Number((BigInt(budget) * (den - num)) / den);
}

function decimalFraction(x: number): [bigint, bigint] {
  const [mantissa, exponentText] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  const [whole, fraction = ''] = mantissa.split('.');
  const digits = BigInt(whole + fraction);
  const scale = fraction.length - exponent;
  return scale >= 0 ? [digits, 10n ** BigInt(scale)] : [digits * 10n ** BigInt(-scale), 1n];
}

/** `LIMIT_ABOVE_ADAPTER` when a scenario's limit is above what the adapter offers. */
export function checkAdapterLimits(limits: Limits, adapter: Partial<Limits> | undefined): PlanError | undefined {
  if (!adapter) return undefined;
  for (const name of kLimitNames) {
    const offered = adapter[name];
    if (offered !== undefined && limits[name] > offered) {
      return {
        code: 'LIMIT_ABOVE_ADAPTER',
        path: `device.limits.${name}`,
        message: `${name} ${formatCount(limits[name])} is above the ${formatCount(offered)} this adapter offers — lower it to plan for this device`,
      };
    }
  }
  return undefined;
}

function fail(code: PlanErrorCode, path: string, message: string): PlanResult {
  return { ok: false, error: { code, path, message } };
}

function roundUp4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function roundUp4Big(n: bigint): bigint {
  return ((n + 3n) / 4n) * 4n;
}
