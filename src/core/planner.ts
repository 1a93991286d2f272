/**
 * The planner: splits a scenario's runs into chunks that fit the budget and the limits.
 *
 * Pure and exact. Every byte count is a bigint, so 10^9 runs of megabyte slices plan
 * exactly; the chunk list is a formula ({@link chunkAt}), never materialised.
 */
import { dtypeBytes, type Dtype } from './dtypes.ts';
import {
  isChunked,
  kLimitNames,
  kRunsAxis,
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
  chunked: boolean;
  /** The buffer's shape: `runs` replaced by `chunkLength`. */
  chunkedShape: number[];
  /** Bytes one run adds to this array's buffer (0 for a fixed array). */
  runBytes: bigint;
  /** Bytes of one buffer of this array, rounded up to 4. */
  bytes: bigint;
  /** Buffers of this array held at once: `bufferSets` when chunked, 1 when fixed. */
  buffers: number;
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

  const bufferSets = scenario.planner.bufferSets;
  const budgetBytes = BigInt(scenario.device.budgetBytes);
  const capBytes = applyHeadroom(budgetBytes, scenario.planner.headroom);
  const rows = scenario.arrays.map(describeArray);

  const bufferLimit = (name: 'maxBufferSize' | 'maxStorageBufferBindingSize') => BigInt(limits[name]);
  for (const [i, row] of rows.entries()) {
    if (row.chunked) continue;
    for (const limit of ['maxBufferSize', 'maxStorageBufferBindingSize'] as const) {
      if (row.bytes > bufferLimit(limit)) {
        return fail('FIXED_EXCEEDS_LIMIT', `arrays[${i}]`,
          `fixed array "${row.name}" is ${formatBytesExact(row.bytes)}, over ${limit} ${formatBytesExact(bufferLimit(limit))}` +
            ' — shrink the array, give it a "runs" axis, or raise the limit');
      }
    }
  }

  const fixedBytes = rows.reduce((sum, row) => (row.chunked ? sum : sum + row.bytes), 0n);
  if (fixedBytes > capBytes) {
    return fail('FIXED_EXCEEDS_BUDGET', 'device.budgetBytes',
      `fixed arrays need ${formatBytesExact(fixedBytes)} but the budget leaves ${formatBytesExact(capBytes)}` +
        ' — raise the budget, lower the headroom, or give the largest fixed array a "runs" axis');
  }

  const chunkedRows = rows.filter((row) => row.chunked);
  const perRunBytes = BigInt(bufferSets) * chunkedRows.reduce((sum, row) => sum + row.runBytes, 0n);
  const usableBytes = capBytes - fixedBytes;
  const runs = scenario.runs;

  const constraints: PlanConstraint[] = [
    { bound: 'budget', maxRuns: maxRunsWithin(usableBytes, chunkedRows, bufferSets, runs) },
  ];
  for (const limit of ['maxBufferSize', 'maxStorageBufferBindingSize'] as const) {
    const tightest = tightestArray(chunkedRows, bufferLimit(limit));
    constraints.push(tightest ? { bound: limit, maxRuns: tightest.maxRuns, array: tightest.name } : { bound: limit, maxRuns: null });
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
      return fail('RUN_DOES_NOT_FIT', 'device.budgetBytes',
        `one run needs ${formatBytesExact(perRunBytes)}${bufferSets > 1 ? ` (${bufferSets} buffer sets)` : ''};` +
          ` ${formatBytesExact(usableBytes)} ${usableBytes === 1n ? 'is' : 'are'} left after fixed arrays` +
          ' — raise the budget or make the chunked arrays smaller');
    }
    const row = chunkedRows.find((r) => r.name === binding.array)!;
    const limit = binding.bound as LimitName;
    return fail('SLICE_EXCEEDS_LIMIT', `arrays[${rows.indexOf(row)}].shape`,
      `one run of "${row.name}" is ${formatBytesExact(row.runBytes)}, over ${limit} ${formatBytesExact(BigInt(limits[limit]))}` +
        ' — shrink the array or raise the limit');
  }

  const arrays = rows.map((row) => plannedAtLength(row, chunkLength, bufferSets));
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
      budgetBytes,
      capBytes,
      fixedBytes,
      perRunBytes,
      predictedPeakBytes: arrays.reduce((sum, a) => sum + a.bytes * BigInt(a.buffers), 0n),
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

/** Bytes of a buffer holding `runs` runs of a chunked array (or the fixed array), rounded up to 4. */
export function bufferBytes(array: Pick<PlannedArray, 'chunked' | 'runBytes' | 'bytes'>, runs: number): bigint {
  return array.chunked ? roundUp4(array.runBytes * BigInt(runs)) : array.bytes;
}

/** An array's shape with the chunk axis set to `runs`. */
export function shapeAt(shape: ArraySpec['shape'], runs: number): number[] {
  return shape.map((d) => (d === kRunsAxis ? runs : d));
}

function describeArray(array: ArraySpec): PlannedArray {
  const chunked = isChunked(array);
  const elements = array.shape.reduce<bigint>((n, d) => (d === kRunsAxis ? n : n * BigInt(d)), 1n);
  const raw = elements * BigInt(dtypeBytes(array.dtype));
  return {
    name: array.name,
    role: array.role,
    dtype: array.dtype,
    shape: array.shape,
    chunked,
    chunkedShape: shapeAt(array.shape, 1),
    runBytes: chunked ? raw : 0n,
    bytes: chunked ? 0n : roundUp4(raw),
    buffers: 1,
  };
}

function plannedAtLength(row: PlannedArray, chunkLength: number, bufferSets: number): PlannedArray {
  return {
    ...row,
    chunkedShape: shapeAt(row.shape, chunkLength),
    bytes: bufferBytes(row, chunkLength),
    buffers: row.chunked ? bufferSets : 1,
  };
}

/**
 * Most runs (up to `runs`) whose chunked buffers, each rounded up to 4 bytes, fit `usable`.
 *
 * floor(usable / perRunBytes) ignores the rounding and can overshoot by a few runs;
 * the answer lies within the rounding slack below it, so a short binary search is exact.
 */
function maxRunsWithin(usable: bigint, rows: PlannedArray[], bufferSets: number, runs: number): number | null {
  const perRun = rows.reduce((sum, row) => sum + row.runBytes, 0n) * BigInt(bufferSets);
  if (perRun === 0n) return null;
  const cost = (n: bigint) => BigInt(bufferSets) * rows.reduce((sum, row) => sum + roundUp4(row.runBytes * n), 0n);
  const slack = 3n * BigInt(rows.length * bufferSets);
  let hi = min(usable / perRun, BigInt(runs));
  let lo = min(usable > slack ? (usable - slack) / perRun : 0n, hi);
  if (cost(hi) <= usable) return Number(hi);
  // Invariant: cost(lo) ≤ usable < cost(hi).
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (cost(mid) <= usable) lo = mid;
    else hi = mid;
  }
  return Number(lo);
}

/** The chunked array that a per-buffer limit restricts most, and how many runs it allows. */
function tightestArray(rows: PlannedArray[], limit: bigint): { name: string; maxRuns: number } | undefined {
  // roundUp4(n × s) ≤ limit ⟺ n × s ≤ the limit rounded down to 4.
  const room = (limit / 4n) * 4n;
  let tightest: { name: string; maxRuns: number } | undefined;
  for (const row of rows) {
    if (row.runBytes === 0n) continue;
    const maxRuns = room / row.runBytes;
    const capped = maxRuns > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(maxRuns);
    if (!tightest || capped < tightest.maxRuns) tightest = { name: row.name, maxRuns: capped };
  }
  return tightest;
}

/**
 * floor(budget × (1 − headroom)), exact for the headroom as written in decimal:
 * 0.1 means one tenth, not the binary float nearest to it.
 */
function applyHeadroom(budget: bigint, headroom: number): bigint {
  if (headroom === 0) return budget;
  const [num, den] = decimalFraction(headroom);
  return (budget * (den - num)) / den;
}

function decimalFraction(x: number): [bigint, bigint] {
  const [mantissa, exponentText] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  const [whole, fraction = ''] = mantissa.split('.');
  const digits = BigInt(whole + fraction);
  const scale = fraction.length - exponent;
  return scale >= 0 ? [digits, 10n ** BigInt(scale)] : [digits * 10n ** BigInt(-scale), 1n];
}

function checkAdapterLimits(limits: Limits, adapter: Partial<Limits> | undefined): PlanError | undefined {
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

function roundUp4(n: bigint): bigint {
  return ((n + 3n) / 4n) * 4n;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
