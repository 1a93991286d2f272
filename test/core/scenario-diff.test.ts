// Compare names its sides by what differs: every differing setting with both values, budgets in bytes words; and the first-chunk alignment of two traces.
import { expect, test } from 'vitest';
import { alignmentShift, firstChunkAt } from '../../src/core/chunk-alignment.ts';
import { differenceLabel, scenarioDifferences } from '../../src/core/scenario-diff.ts';
import type { TraceEvent } from '../../src/core/trace.ts';
import { scenarioOf } from './scenario-fixtures.ts';

const base = { runs: 100, arrays: [{ name: 'x', role: 'input' as const, dtype: 'f32' as const, shape: [10, 'runs' as const] }], device: { budgetBytes: 262_144 } };

test('every differing setting is listed, the first names the side', () => {
  const a = scenarioOf(base);
  const b = scenarioOf({ ...base, device: { budgetBytes: 524_288 }, planner: { bufferSets: 2 }, arrays: [{ ...base.arrays[0], dtype: 'f16', shape: [20, 'runs'] }] });
  const diffs = scenarioDifferences(a, b);
  expect(diffs).toEqual([
    { path: 'arrays[0].dtype', a: 'f32', b: 'f16' },
    { path: 'arrays[0].shape', a: '[10, runs]', b: '[20, runs]' },
    { path: 'device.budgetBytes', a: '256 KiB', b: '512 KiB' },
    { path: 'planner.bufferSets', a: '1', b: '2' },
  ]);
  expect(differenceLabel(diffs)).toBe('arrays[0].dtype f32 → f16 (and 3 more settings)');
  expect(differenceLabel(scenarioDifferences(a, scenarioOf({ ...base, device: { budgetBytes: 524_288 } })))).toBe('budget 256 KiB → 512 KiB');
  expect(differenceLabel(scenarioDifferences(a, a))).toBe('the same scenario');
});

test('a fault present on one side only is a difference', () => {
  const a = scenarioOf(base);
  const b = scenarioOf({ ...base, faults: [{ kind: 'out-of-memory', onAllocation: 3 }] });
  expect(scenarioDifferences(a, b)).toEqual([
    { path: 'faults[0].kind', a: '—', b: 'out-of-memory' },
    { path: 'faults[0].onAllocation', a: '—', b: '3' },
  ]);
});

test('alignment: shift A so its first chunk begins with B\'s', () => {
  const begin = (t: number) => ({ t, kind: 'chunk-begin', attempt: 1, index: 0, start: 0, end: 1 }) as unknown as TraceEvent;
  const other = (t: number) => ({ t, kind: 'done' }) as unknown as TraceEvent;
  expect(firstChunkAt([other(1), begin(12.5), begin(20)])).toBe(12.5);
  expect(firstChunkAt([other(1)])).toBeUndefined();
  expect(alignmentShift([begin(30)], [begin(12)])).toBe(-18);
  expect(alignmentShift([other(3)], [begin(12)])).toBe(0);
});
