/**
 * Verification of a run's outputs: against the kernel's CPU twin (exact, or within the
 * kernel's stated tolerance), and against the same scenario run as one chunk (identical,
 * bit for bit, unless the f16 fallback changed the storage).
 */
import type { Dtype } from '../core/dtypes.ts';
import { elementView, type HostArrays } from '../core/host-arrays.ts';
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
  const actual = elementView(actualStore, dtype);
  const expected = elementView(expectedStore, dtype);
  const result: ArrayComparison = { name, elements: actual.length, mismatches: 0, maxAbsError: 0, maxRelError: 0 };
  if (actual.length !== expected.length) {
    return { ...result, mismatches: Math.max(actual.length, expected.length) };
  }
  for (let i = 0; i < actual.length; i++) {
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
    if (result.mismatches === 0) result.first = { index: i, expected: e, actual: a };
    result.mismatches++;
  }
  return result;
}
