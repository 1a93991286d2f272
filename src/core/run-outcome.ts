/**
 * How a run ended beyond what its trace says: the failure that stopped it and the
 * verification of its outputs. The engine fills these; they live in core because a
 * trace file (docs/trace-format.md, `outcome`) carries them, and core reads trace files.
 *
 * Verification numbers can be NaN, ±Infinity or -0 (an output that diverged, a
 * mismatch against -0): JSON cannot carry those, so the trace file writes them as the
 * strings "NaN", "Infinity", "-Infinity" and "-0" ({@link encodeOutcome}) and
 * {@link parseTraceOutcome} turns them back into numbers, so a saved report compares
 * equal to the one the run made.
 */
import { isJsonObject } from './scenario.ts';

/** How outputs are compared with the CPU twin. */
export type Tolerance = { exact: true } | { exact: false; abs: number; rel: number; why: string };

/** How one output array compares with its reference. */
export interface ArrayComparison {
  name: string;
  elements: number;
  /** Elements outside the tolerance (or not bit-identical, for exact comparisons). */
  mismatches: number;
  maxAbsError: number;
  maxRelError: number;
  /** The first mismatch, to show. */
  first?: { index: number; expected: number; actual: number };
}

/** Which runs a comparison covered. */
export interface RunCoverage {
  /** How they were chosen, in words (`every finished run, chunk by chunk`). */
  how: string;
  /** Runs compared. */
  count: number;
  /** The runs compared, as sorted disjoint ranges `[start, end)`. */
  ranges: [number, number][];
}

/** One reference comparison. */
export interface Comparison {
  passed: boolean;
  /** Why the comparison was not made, when it was not. */
  skipped?: string;
  tolerance: Tolerance;
  arrays: ArrayComparison[];
  /** The runs it covered (files written before it existed lack it). */
  runs?: RunCoverage;
}

/** Verification of a finished run. */
export interface Verification {
  passed: boolean;
  /** Largest absolute difference from the CPU twin over all outputs. */
  maxAbsError: number;
  twin: Comparison;
  unchunked: Comparison;
  /** When the f16 fallback was taken: the precision it cost against the f32 one-chunk run. */
  precisionLoss?: { maxAbsError: number; maxRelError: number };
}

/** Stable codes of why a run that started did not finish every run. */
export const kRunFailureCodes = ['LADDER_EXHAUSTED', 'CANCELLED', 'F64_ON_WEBGPU', 'KERNEL_COMPILE', 'TOO_MANY_BINDINGS', 'NO_DEVICE'] as const;
/** One of {@link kRunFailureCodes}. */
export type RunFailureCode = (typeof kRunFailureCodes)[number];

/** Why a run that started did not finish every run. */
export interface RunFailure {
  code: RunFailureCode;
  message: string;
  /** Runs `[0, runsDone)` finished and their outputs are in the report. */
  runsDone: number;
}

/** What a trace file keeps of a run besides its events; each part only when the run had it. */
export interface TraceOutcome {
  error?: RunFailure;
  verification?: Verification;
}

/** The outcome part of a report: only the fields it has, so a report without them saves `{}`. */
export function outcomeOf(report: TraceOutcome): TraceOutcome {
  return {
    ...(report.error && { error: report.error }),
    ...(report.verification && { verification: report.verification }),
  };
}

const kSpecialNumbers = new Map<string, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-0', -0],
]);

/** A copy of `outcome` that JSON carries exactly: NaN, ±Infinity and -0 become their names. */
export function encodeOutcome(outcome: TraceOutcome): unknown {
  const encode = (value: unknown): unknown => {
    if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : Object.is(value, -0) ? '-0' : String(value);
    if (Array.isArray(value)) return value.map(encode);
    if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
    return value;
  };
  return encode(outcome);
}

/** Reads a trace file's `outcome` back (absent reads as `{}`), or says in a sentence what is wrong with it. */
export function parseTraceOutcome(json: unknown): { ok: true; outcome: TraceOutcome } | { ok: false; message: string } {
  if (json === undefined) return { ok: true, outcome: {} };
  try {
    if (!isJsonObject(json)) throw new ShapeError('outcome', 'an object');
    const outcome: TraceOutcome = {};
    if (json.error !== undefined) outcome.error = readFailure(json.error, 'outcome.error');
    if (json.verification !== undefined) outcome.verification = readVerification(json.verification, 'outcome.verification');
    return { ok: true, outcome };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, message: `the trace's ${error.message}` };
    throw error;
  }
}

/** A field of the outcome is not what a run writes; its message names the path. */
class ShapeError extends Error {
  constructor(path: string, expected: string) {
    super(`${path} must be ${expected}`);
  }
}

function readObject(json: unknown, path: string): Record<string, unknown> {
  if (!isJsonObject(json)) throw new ShapeError(path, 'an object');
  return json;
}

function readNumber(json: unknown, path: string): number {
  if (typeof json === 'number') return json;
  const special = typeof json === 'string' ? kSpecialNumbers.get(json) : undefined;
  if (special === undefined) throw new ShapeError(path, 'a number (or "NaN", "Infinity", "-Infinity", "-0")');
  return special;
}

function readString(json: unknown, path: string): string {
  if (typeof json !== 'string') throw new ShapeError(path, 'a string');
  return json;
}

function readBoolean(json: unknown, path: string): boolean {
  if (typeof json !== 'boolean') throw new ShapeError(path, 'true or false');
  return json;
}

function readFailure(json: unknown, path: string): RunFailure {
  const o = readObject(json, path);
  const code = o.code;
  if (!kRunFailureCodes.includes(code as RunFailureCode)) throw new ShapeError(`${path}.code`, `one of ${kRunFailureCodes.join(', ')}`);
  return { code: code as RunFailureCode, message: readString(o.message, `${path}.message`), runsDone: readNumber(o.runsDone, `${path}.runsDone`) };
}

function readVerification(json: unknown, path: string): Verification {
  const o = readObject(json, path);
  const verification: Verification = {
    passed: readBoolean(o.passed, `${path}.passed`),
    maxAbsError: readNumber(o.maxAbsError, `${path}.maxAbsError`),
    twin: readComparison(o.twin, `${path}.twin`),
    unchunked: readComparison(o.unchunked, `${path}.unchunked`),
  };
  if (o.precisionLoss !== undefined) {
    const loss = readObject(o.precisionLoss, `${path}.precisionLoss`);
    verification.precisionLoss = {
      maxAbsError: readNumber(loss.maxAbsError, `${path}.precisionLoss.maxAbsError`),
      maxRelError: readNumber(loss.maxRelError, `${path}.precisionLoss.maxRelError`),
    };
  }
  return verification;
}

function readComparison(json: unknown, path: string): Comparison {
  const o = readObject(json, path);
  if (!Array.isArray(o.arrays)) throw new ShapeError(`${path}.arrays`, 'a list');
  const comparison: Comparison = {
    passed: readBoolean(o.passed, `${path}.passed`),
    tolerance: readTolerance(o.tolerance, `${path}.tolerance`),
    arrays: o.arrays.map((a, i) => readArrayComparison(a, `${path}.arrays[${i}]`)),
  };
  if (o.skipped !== undefined) comparison.skipped = readString(o.skipped, `${path}.skipped`);
  if (o.runs !== undefined) comparison.runs = readCoverage(o.runs, `${path}.runs`);
  return comparison;
}

function readCoverage(json: unknown, path: string): RunCoverage {
  const o = readObject(json, path);
  if (!Array.isArray(o.ranges)) throw new ShapeError(`${path}.ranges`, 'a list');
  const ranges = o.ranges.map((range, i): [number, number] => {
    if (!Array.isArray(range) || range.length !== 2) throw new ShapeError(`${path}.ranges[${i}]`, 'a pair [start, end]');
    return [readNumber(range[0], `${path}.ranges[${i}][0]`), readNumber(range[1], `${path}.ranges[${i}][1]`)];
  });
  return { how: readString(o.how, `${path}.how`), count: readNumber(o.count, `${path}.count`), ranges };
}

function readTolerance(json: unknown, path: string): Tolerance {
  const o = readObject(json, path);
  if (o.exact === true) return { exact: true };
  if (o.exact !== false) throw new ShapeError(`${path}.exact`, 'true or false');
  return { exact: false, abs: readNumber(o.abs, `${path}.abs`), rel: readNumber(o.rel, `${path}.rel`), why: readString(o.why, `${path}.why`) };
}

function readArrayComparison(json: unknown, path: string): ArrayComparison {
  const o = readObject(json, path);
  const array: ArrayComparison = {
    name: readString(o.name, `${path}.name`),
    elements: readNumber(o.elements, `${path}.elements`),
    mismatches: readNumber(o.mismatches, `${path}.mismatches`),
    maxAbsError: readNumber(o.maxAbsError, `${path}.maxAbsError`),
    maxRelError: readNumber(o.maxRelError, `${path}.maxRelError`),
  };
  if (o.first !== undefined) {
    const first = readObject(o.first, `${path}.first`);
    array.first = {
      index: readNumber(first.index, `${path}.first.index`),
      expected: readNumber(first.expected, `${path}.first.expected`),
      actual: readNumber(first.actual, `${path}.first.actual`),
    };
  }
  return array;
}
