// Re-planning the unfinished runs: a capped chunk length keeps the plan's arithmetic exact, and f16 storage halves f32 arrays.
import { expect, test } from 'vitest';
import { planScenario } from '../../src/core/planner.ts';
import { planRemaining, withChunkLength, withF16Storage } from '../../src/core/replan.ts';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';

function scenario(input: object): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.scenario;
}

const kBase = scenario({
  version: 1, runs: 105,
  arrays: [{ name: 'a', role: 'input', dtype: 'f32', shape: [10, 'runs'] }, { name: 'f', role: 'input', dtype: 'u32', shape: [3] }],
  device: { budgetBytes: 1012 },
});

test.each([
  { chunkLength: 25, numChunks: 5, final: 5, peak: 1012n },
  { chunkLength: 12, numChunks: 9, final: 9, peak: 12n + 480n },
  { chunkLength: 1, numChunks: 105, final: 1, peak: 12n + 40n },
  { chunkLength: 500, numChunks: 1, final: 105, peak: 12n + 4200n },
])('withChunkLength($chunkLength)', ({ chunkLength, numChunks, final, peak }) => {
  const result = planScenario(kBase);
  if (!result.ok) throw new Error(result.error.message);
  const plan = withChunkLength(result.plan, chunkLength);
  expect({ numChunks: plan.numChunks, final: plan.finalChunkLength, peak: plan.predictedPeakBytes }).toEqual({ numChunks, final, peak });
});

test('planRemaining plans only the unfinished runs, capped', () => {
  const result = planRemaining(kBase, 100, 3);
  if (!result.ok) throw new Error(result.error.message);
  expect({ runs: result.plan.runs, chunkLength: result.plan.chunkLength, numChunks: result.plan.numChunks }).toEqual({ runs: 5, chunkLength: 3, numChunks: 2 });
});

test('f16 storage halves f32 arrays and leaves the others', () => {
  const f16 = withF16Storage(kBase);
  expect(f16.arrays.map((a) => a.dtype)).toEqual(['f16', 'u32']);
  const result = planScenario(f16);
  if (!result.ok) throw new Error(result.error.message);
  expect(result.plan.perRunBytes).toBe(20n);
  expect(result.plan.chunkLength).toBe(50);
});
