/**
 * "Show the arithmetic": a plan's every number as the formula that gave it, with this
 * scenario's values put in, so a teacher can point at ⌊(8,388,608 − 1,024) ÷ 1,228⌋ = 6,830.
 *
 * Pure, and built only from the planner's own plan: every result shown is a number the
 * plan holds (tested), never one retyped or recomputed another way.
 */
import { dtypeBytes } from './dtypes.ts';
import type { Plan, PlanConstraint, PlannedArray } from './planner.ts';
import { formatCount } from './units.ts';

/** One line of arithmetic: what it computes, the formula in symbols, and with the numbers in. */
export interface ArithmeticStep {
  /** What the line computes, in the vocabulary of DESIGN.md (`usable`, `chunkLength`…). */
  what: string;
  /** The formula in words and symbols: `⌊usable ÷ perRunBytes⌋`. */
  formula: string;
  /** The same formula with this scenario's numbers and its result: `⌊8,387,584 ÷ 1,228⌋ = 6,830`. */
  numbers: string;
  /** The result, exactly as the plan holds it (null where a constraint allows any number). */
  value: bigint | null;
  /** Set on a constraint's line when it fixes chunkLength. */
  binds?: boolean;
  /** Why the formula's plain value is not the whole story, where it is not (4-byte rounding). */
  note?: string;
}

/** One row of the predicted peak: an array's buffers at chunkLength. */
export interface PeakRow {
  array: string;
  chunked: boolean;
  /** `2 × ⌈2,400 B × 6,830⌉₄` or `1,024 B (fixed)`. */
  numbers: string;
  bytes: bigint;
}

/** A plan's arithmetic, top to bottom as a person would work it out. */
export interface PlanArithmetic {
  /** Bytes of each array's run slice (chunked) or of the whole array (fixed). */
  arrays: ArithmeticStep[];
  cap: ArithmeticStep;
  fixed: ArithmeticStep;
  perRun: ArithmeticStep;
  usable: ArithmeticStep;
  /** One line per constraint of the plan, in the plan's order. */
  constraints: ArithmeticStep[];
  chunkLength: ArithmeticStep;
  numChunks: ArithmeticStep;
  /** The final chunk's length, and whether it dangles. */
  finalChunk: ArithmeticStep & { dangling: boolean };
  /** The predicted peak, row by row; the rows add up to `peak.value`. */
  peakRows: PeakRow[];
  peak: ArithmeticStep;
}

/** What the arithmetic needs besides the plan: the headroom is not part of a plan. */
export interface ArithmeticOptions {
  headroom: number;
}

const n = (x: number | bigint) => formatCount(x);
const b = (x: number | bigint) => `${formatCount(x)} B`;

/** The arithmetic behind `plan`, every result taken from the plan itself. */
export function explainPlan(plan: Plan, { headroom }: ArithmeticOptions): PlanArithmetic {
  const chunked = plan.arrays.filter((a) => a.chunked);
  const fixedArrays = plan.arrays.filter((a) => !a.chunked);
  const usable = plan.capBytes - plan.fixedBytes;

  const arrays = plan.arrays.map((a) => arrayStep(a));
  const cap: ArithmeticStep = {
    what: 'cap',
    formula: '⌊budget × (1 − headroom)⌋',
    numbers: headroom === 0 ? `${n(plan.budgetBytes)} × (1 − 0) = ${b(plan.capBytes)}` : `⌊${n(plan.budgetBytes)} × (1 − ${headroom})⌋ = ${b(plan.capBytes)}`,
    value: plan.capBytes,
  };
  const fixed: ArithmeticStep = {
    what: 'fixedBytes',
    formula: 'Σ fixed arrays, each rounded up to 4 B',
    numbers: fixedArrays.length ? `${fixedArrays.map((a) => n(a.bytes)).join(' + ')} = ${b(plan.fixedBytes)}` : `no fixed arrays = ${b(0)}`,
    value: plan.fixedBytes,
  };
  const perRun: ArithmeticStep = {
    what: 'perRunBytes',
    formula: 'bufferSets × Σ one run of each chunked array',
    numbers: `${plan.bufferSets} × (${chunked.map((a) => n(a.runBytes)).join(' + ') || '0'}) = ${b(plan.perRunBytes)}`,
    value: plan.perRunBytes,
  };
  const usableStep: ArithmeticStep = {
    what: 'usable',
    formula: 'cap − fixedBytes',
    numbers: `${n(plan.capBytes)} − ${n(plan.fixedBytes)} = ${b(usable)}`,
    value: usable,
  };
  const constraints = plan.constraints.map((c) => constraintStep(plan, c, usable));
  const chunkLength = chunkLengthStep(plan);
  const numChunks: ArithmeticStep = {
    what: 'numChunks',
    formula: '⌈runs ÷ chunkLength⌉',
    numbers: `⌈${n(plan.runs)} ÷ ${n(plan.chunkLength)}⌉ = ${n(plan.numChunks)}`,
    value: BigInt(plan.numChunks),
  };
  const dangling = plan.finalChunkLength !== plan.chunkLength;
  const finalChunk = {
    what: 'final chunk',
    formula: 'runs − (numChunks − 1) × chunkLength',
    numbers: `${n(plan.runs)} − (${n(plan.numChunks)} − 1) × ${n(plan.chunkLength)} = ${n(plan.finalChunkLength)} runs`,
    value: BigInt(plan.finalChunkLength),
    dangling,
    ...(dangling && {
      note: `chunk ${n(plan.numChunks - 1)} (counting from 0) is the dangling final chunk: ${n(plan.chunkLength - plan.finalChunkLength)} runs short of a full one, and it still needs its own dispatch`,
    }),
  };
  const peakRows = plan.arrays.map((a) => peakRow(a, plan.chunkLength));
  const peak: ArithmeticStep = {
    what: 'predictedPeak',
    formula: 'fixedBytes + Σ bufferSets × ⌈one run × chunkLength⌉₄',
    numbers: `${peakRows.map((r) => n(r.bytes)).join(' + ')} = ${b(plan.predictedPeakBytes)}`,
    value: plan.predictedPeakBytes,
  };
  return { arrays, cap, fixed, perRun, usable: usableStep, constraints, chunkLength, numChunks, finalChunk, peakRows, peak };
}

function arrayStep(a: PlannedArray): ArithmeticStep {
  const dims = a.shape.filter((d): d is number => typeof d === 'number');
  const product = [...dims.map(n), `${dtypeBytes(a.dtype)} B (${a.dtype})`].join(' × ');
  if (a.chunked) {
    return { what: `one run of ${a.name}`, formula: 'fixed dimensions × bytes per element', numbers: `${product} = ${b(a.runBytes)}`, value: a.runBytes };
  }
  const raw = dims.reduce((p, d) => p * BigInt(d), BigInt(dtypeBytes(a.dtype)));
  return {
    what: `${a.name} (fixed)`,
    formula: 'dimensions × bytes per element, rounded up to 4 B',
    numbers: raw === a.bytes ? `${product} = ${b(a.bytes)}` : `⌈${product}⌉₄ = ⌈${n(raw)}⌉₄ = ${b(a.bytes)}`,
    value: a.bytes,
  };
}

function constraintStep(plan: Plan, c: PlanConstraint, usable: bigint): ArithmeticStep {
  const binds = c.bound === plan.boundBy;
  const value = c.maxRuns === null ? null : BigInt(c.maxRuns);
  const result = c.maxRuns === null ? 'any number of runs' : `${n(c.maxRuns)} runs`;
  if (c.bound === 'budget') {
    if (plan.perRunBytes === 0n) return { what: 'budget', formula: '⌊usable ÷ perRunBytes⌋', numbers: `no chunked arrays: ${result}`, value, binds };
    const plain = usable / plan.perRunBytes;
    const step: ArithmeticStep = {
      what: 'budget',
      formula: '⌊(cap − fixedBytes) ÷ perRunBytes⌋',
      numbers: `⌊(${n(plan.capBytes)} − ${n(plan.fixedBytes)}) ÷ ${n(plan.perRunBytes)}⌋ = ${result}`,
      value,
      binds,
    };
    if (c.maxRuns !== null && plain !== BigInt(c.maxRuns) && plain < BigInt(plan.runs)) {
      // The planner caps at runs too, and rounds each buffer up to 4 B: say which moved the answer.
      const cost = roundedCost(plan, c.maxRuns);
      step.numbers = `⌊(${n(plan.capBytes)} − ${n(plan.fixedBytes)}) ÷ ${n(plan.perRunBytes)}⌋ = ${n(plain)}; with each buffer rounded up to 4 B, ${n(c.maxRuns)} runs take ${b(cost)} ≤ ${b(usable)} = ${result}`;
      step.note = `${n(plain)} runs would need ${b(roundedCost(plan, Number(plain)))} once every buffer is rounded up to 4 B, over the ${b(usable)} usable`;
    } else if (c.maxRuns !== null && plain >= BigInt(plan.runs)) {
      step.numbers = `min(⌊(${n(plan.capBytes)} − ${n(plan.fixedBytes)}) ÷ ${n(plan.perRunBytes)}⌋, runs ${n(plan.runs)}) = ${result}`;
    }
    return step;
  }
  if (c.bound === 'maxComputeWorkgroupsPerDimension') {
    const limit = plan.limits.maxComputeWorkgroupsPerDimension;
    if (c.maxRuns === null) return { what: c.bound, formula: 'limit × runs per workgroup', numbers: `no kernel known: ${result}`, value, binds };
    const perWorkgroup = c.maxRuns / limit;
    return { what: c.bound, formula: 'limit × runs per workgroup', numbers: `${n(limit)} × ${n(perWorkgroup)} = ${result}`, value, binds };
  }
  const limit = plan.limits[c.bound];
  const array = plan.arrays.find((a) => a.name === c.array);
  if (c.maxRuns === null || !array) return { what: c.bound, formula: '⌊limit ÷ largest run slice⌋', numbers: `no chunked array: ${result}`, value, binds };
  const limit4 = limit - (limit % 4);
  return {
    what: c.bound,
    formula: `⌊limit ÷ one run of the largest chunked array (${array.name})⌋`,
    numbers: `⌊${n(limit4)} ÷ ${n(array.runBytes)}⌋ = ${result}`,
    value,
    binds,
    ...(limit4 !== limit && { note: `the limit ${n(limit)} rounded down to a multiple of 4, since buffers are` }),
  };
}

function chunkLengthStep(plan: Plan): ArithmeticStep {
  const allowed = plan.constraints.filter((c) => c.maxRuns !== null).map((c) => n(c.maxRuns!));
  return {
    what: 'chunkLength',
    formula: 'min(runs, every constraint)',
    numbers: `min(${[n(plan.runs), ...allowed].join(', ')}) = ${n(plan.chunkLength)} runs (bound by ${plan.boundBy})`,
    value: BigInt(plan.chunkLength),
  };
}

function peakRow(a: PlannedArray, chunkLength: number): PeakRow {
  const bytes = a.bytes * BigInt(a.buffers);
  if (!a.chunked) return { array: a.name, chunked: false, numbers: `${b(a.bytes)} (fixed)`, bytes };
  const raw = a.runBytes * BigInt(chunkLength);
  const rounded = raw === a.bytes ? `${n(a.runBytes)} × ${n(chunkLength)}` : `⌈${n(a.runBytes)} × ${n(chunkLength)}⌉₄`;
  return { array: a.name, chunked: true, numbers: `${a.buffers} × ${rounded} = ${b(bytes)}`, bytes };
}

/** Bytes of every chunked buffer at `runs` runs, each rounded up to 4, times the buffer sets. */
function roundedCost(plan: Plan, runs: number): bigint {
  let sum = 0n;
  for (const a of plan.arrays) if (a.chunked) sum += ((a.runBytes * BigInt(runs) + 3n) / 4n) * 4n;
  return sum * BigInt(plan.bufferSets);
}
