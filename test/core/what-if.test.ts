// What-if: one change at a time, each row the planner's plan of the changed scenario; every f32/f16 combination's peak.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { planScenario } from '../../src/core/planner.ts';
import { kMaxBytes, type Scenario } from '../../src/core/scenario.ts';
import { whatIfRecord, whatIfTable } from '../../src/core/what-if.ts';
import { scenarioOf } from './scenario-fixtures.ts';

const x = { name: 'x', role: 'input' as const, dtype: 'f32' as const, shape: [10, 'runs' as const] };

test('a worked example: 100 runs of [10, "runs"] f32 in 1000 B, each change planned', () => {
  const rows = whatIfTable(scenarioOf({ runs: 100, arrays: [x], device: { budgetBytes: 1000 } }));
  const summary = rows.map((r) => [r.change, r.outcome.ok && [r.outcome.chunkLength, r.outcome.numChunks, r.outcome.finalChunkLength, Number(r.outcome.predictedPeakBytes)]]);
  expect(summary).toEqual([
    ['as planned', [25, 4, 25, 1000]],
    ['x f16', [50, 2, 50, 1000]],
    ['bufferSets 2', [12, 9, 4, 960]],
    ['headroom 0.1', [22, 5, 12, 880]],
    ['headroom 0.25', [18, 6, 10, 720]],
    ['budget 500 B (halved)', [12, 9, 4, 480]],
    ['budget 1.95 KiB (doubled)', [50, 2, 50, 2000]],
  ]);
  expect(rows.map((r) => r.kind)).toEqual(['as planned', 'dtype', 'bufferSets', 'headroom', 'headroom', 'budget', 'budget']);
});

test('every f32/f16 combination of the float arrays gets its peak; integer arrays keep theirs', () => {
  const arrays = [
    { name: 'a', role: 'input' as const, dtype: 'f32' as const, shape: [4, 'runs' as const] },
    { name: 'b', role: 'output' as const, dtype: 'f64' as const, shape: ['runs' as const] },
    { name: 'c', role: 'input' as const, dtype: 'f16' as const, shape: [8] },
    { name: 'n', role: 'output' as const, dtype: 'u32' as const, shape: ['runs' as const] },
  ];
  const rows = whatIfTable(scenarioOf({ runs: 10, arrays })).filter((r) => r.kind === 'dtype');
  // Three float arrays, two dtypes each: 8 combinations, none of them the scenario's own (b is f64).
  expect(rows).toHaveLength(8);
  expect(new Set(rows.map((r) => r.scenario.arrays.map((a) => a.dtype).join()))).toHaveLength(8);
  for (const r of rows) expect(r.scenario.arrays[3].dtype).toBe('u32');
  const allF16 = rows.find((r) => r.change === 'a f16, b f16')!;
  expect(allF16.outcome.ok && allF16.outcome.perRunBytes).toBe(4n * 2n + 2n + 4n);
});

test('past six float arrays, each array alone and all together', () => {
  const arrays = Array.from({ length: 7 }, (_, i) => ({ name: `a${i}`, role: 'input' as const, dtype: 'f32' as const, shape: ['runs' as const] }));
  const changes = whatIfTable(scenarioOf({ runs: 10, arrays })).filter((r) => r.kind === 'dtype').map((r) => r.change);
  expect(changes).toEqual([...arrays.map((a) => `${a.name} f16`), arrays.map((a) => `${a.name} f16`).join(', ')]);
});

test('a budget that cannot be halved or doubled gives no such row; an infeasible scenario still gets its table', () => {
  const tiny = whatIfTable(scenarioOf({ runs: 10, arrays: [x], device: { budgetBytes: 1 } }));
  expect(tiny.map((r) => r.change)).not.toContain('budget 1 B (halved)');
  expect(tiny[0].outcome).toMatchObject({ ok: false, code: 'RUN_DOES_NOT_FIT' });
  const huge = whatIfTable(scenarioOf({ runs: 10, arrays: [x], device: { budgetBytes: kMaxBytes } }));
  expect(huge.filter((r) => r.kind === 'budget').map((r) => r.change)).toEqual(['budget 2 PiB (halved)']);
});

test('a kernel that refuses a change marks the row and still plans it', () => {
  const rows = whatIfTable(scenarioOf({ runs: 10, arrays: [x] }), {
    check: (s) => (s.arrays[0].dtype === 'f16' ? [{ path: 'arrays[0].dtype', message: 'must be f32' }] : []),
  });
  expect(rows.find((r) => r.change === 'x f16')).toMatchObject({ refused: 'arrays[0].dtype: must be f32', outcome: { ok: true } });
  expect(rows[0].refused).toBeUndefined();
  expect(whatIfRecord(rows.find((r) => r.change === 'x f16')!)).toMatchObject({ refused: 'arrays[0].dtype: must be f32', ok: true, chunkLength: 10 });
});

test('random scenarios: each row changes one thing and shows the plan of the scenario it would load', () => {
  const arb = fc.record({
    runs: fc.integer({ min: 1, max: 100_000 }),
    dtypes: fc.array(fc.constantFrom('f16', 'f32', 'f64', 'i32'), { minLength: 1, maxLength: 4 }),
    budgetBytes: fc.integer({ min: 1, max: 2 ** 40 }),
    headroom: fc.constantFrom(0, 0.1, 0.3),
    bufferSets: fc.constantFrom(1 as const, 2 as const),
  });
  fc.assert(fc.property(arb, (r) => {
    const arrays = r.dtypes.map((dtype, i) => ({ name: `a${i}`, role: 'input' as const, dtype, shape: i % 2 ? [3] : [i + 1, 'runs' as const] }));
    const scenario = scenarioOf({ runs: r.runs, arrays, device: { budgetBytes: r.budgetBytes }, planner: { headroom: r.headroom, bufferSets: r.bufferSets } });
    const rows = whatIfTable(scenario, { plan: { kernel: { runsPerWorkgroup: 64 } } });
    expect(rows[0].scenario).toBe(scenario);
    for (const row of rows) {
      const planned = planScenario(row.scenario, { kernel: { runsPerWorkgroup: 64 } });
      expect(row.outcome.ok).toBe(planned.ok);
      if (planned.ok && row.outcome.ok) expect(row.outcome.predictedPeakBytes).toBe(planned.plan.predictedPeakBytes);
      expect(changedParts(scenario, row.scenario)).toEqual(row.kind === 'as planned' ? [] : [row.kind]);
    }
  }), { numRuns: 200 });
});

function changedParts(a: Scenario, b: Scenario): string[] {
  const parts: string[] = [];
  if (a.arrays.some((array, i) => array.dtype !== b.arrays[i].dtype)) parts.push('dtype');
  if (a.planner.bufferSets !== b.planner.bufferSets) parts.push('bufferSets');
  if (a.planner.headroom !== b.planner.headroom) parts.push('headroom');
  if (a.device.budgetBytes !== b.device.budgetBytes) parts.push('budget');
  return parts;
}
