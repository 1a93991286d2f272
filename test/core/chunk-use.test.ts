// Stepping through a plan: chunk k's runs, its buffer set (k mod bufferSets) and the bytes it fills, labelled as the executor labels them.
import { expect, test } from 'vitest';
import { chunkUse } from '../../src/core/chunk-use.ts';
import { planScenario } from '../../src/core/planner.ts';
import { scenarioOf } from './scenario-fixtures.ts';

const planned = planScenario(scenarioOf({
  runs: 105,
  arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: [10, 'runs'] }, { name: 'k', role: 'input', dtype: 'f32', shape: [5] }],
  device: { budgetBytes: 2020 },
  planner: { bufferSets: 2, headroom: 0 },
}));
if (!planned.ok) throw new Error(planned.error.message);
const plan = planned.plan;

test.each([
  { k: 0, set: 0, runs: [0, 25], used: 1000n, dangling: false },
  { k: 1, set: 1, runs: [25, 50], used: 1000n, dangling: false },
  { k: 4, set: 0, runs: [100, 105], used: 200n, dangling: true },
  { k: 99, set: 0, runs: [100, 105], used: 200n, dangling: true },
])('chunk $k uses set $set', ({ k, set, runs, used, dangling }) => {
  expect(plan.chunkLength).toBe(25);
  const use = chunkUse(plan, k);
  expect([use.chunk.start, use.chunk.end]).toEqual(runs);
  expect(use.set).toBe(set);
  expect(use.dangling).toBe(dangling);
  expect(use.buffers).toEqual([
    { array: 'x', label: `x set ${set} (1000 B)`, bytes: 1000n, usedBytes: used, fixed: false },
    { array: 'k', label: 'k (fixed, 20 B)', bytes: 20n, usedBytes: 20n, fixed: true },
  ]);
  expect(use.boundBytes).toBe(1020n);
});
