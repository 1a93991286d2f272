/**
 * Verification of a run's outputs: against the kernel's CPU twin (exact, or within the
 * kernel's stated tolerance), and against the same scenario run as one chunk (identical,
 * bit for bit, unless the f16 fallback changed the storage).
 */
import type { Dtype } from '../core/dtypes.ts';
import { elementView, type ElementView, type HostArrays } from '../core/host-arrays.ts';
import type { Scenario } from '../core/scenario.ts';
import type { ArrayComparison, Comparison, Tolerance } from '../core/run-outcome.ts';

// The comparison's shape is core's: a trace file carries it (docs/trace-format.md, `outcome`).
export type { ArrayComparison, Comparison } from '../core/run-outcome.ts';

/** The outputs an execution is judged on: output and inout arrays. */
export function outputNames(scenario: Pick<Scenario, 'arrays'>): string[] {
  return scenario.arrays.filter((a) => a.role === 'output' || a.role === 'inout').map((a) => a.name);
}

/** Compares `actual` with `expected` for the named arrays (stored as `dtypes`) under `tolerance`. */
export function compareOutputs(
  actual: HostArrays,
  expected: HostArrays,
  names: readonly string[],
  dtypes: Readonly<Record<string, Dtype>>,
  tolerance: Tolerance,
): Comparison {
  const arrays = names.map((name) => compareArray(name, actual[name], expected[name], dtypes[name], tolerance));
  return { passed: arrays.every((a) => a.mismatches === 0), tolerance, arrays };
}

function compareArray(name: string, actualStore: HostArrays[string], expectedStore: HostArrays[string], dtype: Dtype, tolerance: Tolerance): ArrayComparison {
  const comparer = new ArrayComparer(name);
  const actual = elementView(actualStore, dtype);
  const expected = elementView(expectedStore, dtype);
  if (actual.length !== expected.length) {
    Object.assign(comparer.result, { elements: actual.length, mismatches: Math.max(actual.length, expected.length) });
    return comparer.result;
  }
  comparer.add(actual, expected, tolerance, (k) => k);
  return comparer.result;
}

/**
 * One array's comparison, built up part by part (chunk by chunk, or over a sample of
 * runs): after every part of an array is added, its figures are the ones a comparison
 * of the whole would give.
 */
export class ArrayComparer {
  readonly result: ArrayComparison;

  constructor(name: string) {
    this.result = { name, elements: 0, mismatches: 0, maxAbsError: 0, maxRelError: 0 };
  }

  /** Compares two views of one part; element `k` of them is element `indexOf(k)` of the whole array. */
  add(actual: ElementView, expected: ElementView, tolerance: Tolerance, indexOf: (k: number) => number): void {
    const result = this.result;
    const count = Math.min(actual.length, expected.length);
    result.elements += count;
    for (let i = 0; i < count; i++) {
      const a = actual.get(i);
      const e = expected.get(i);
      if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue;
      const abs = Math.abs(a - e);
      const rel = e === 0 ? (abs === 0 ? 0 : Infinity) : abs / Math.abs(e);
      if (!Number.isNaN(abs)) {
        result.maxAbsError = Math.max(result.maxAbsError, abs);
        if (Number.isFinite(rel)) result.maxRelError = Math.max(result.maxRelError, rel);
      }
      const ok = !tolerance.exact && abs <= tolerance.abs + tolerance.rel * Math.abs(e);
      // -0 and +0 compare equal in value; exact comparisons still accept them as the same number.
      if (ok || (tolerance.exact && a === e)) continue;
      if (result.mismatches === 0) result.first = { index: indexOf(i), expected: e, actual: a };
      result.mismatches++;
    }
  }

  /** Adds another comparer's figures (a later part of the same array). */
  merge(other: ArrayComparer): void {
    const result = this.result;
    const part = other.result;
    if (result.mismatches === 0 && part.first) result.first = part.first;
    result.elements += part.elements;
    result.mismatches += part.mismatches;
    result.maxAbsError = Math.max(result.maxAbsError, part.maxAbsError);
    result.maxRelError = Math.max(result.maxRelError, part.maxRelError);
  }
}
