// "Show the arithmetic": every line's result is the planner's own number, the peak rows add up to the peak, for every example and random plans.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { explainPlan } from '../../src/core/plan-arithmetic.ts';
import { planScenario, type Plan } from '../../src/core/planner.ts';
import { prepareRun } from '../../src/engine/prepare-run.ts';
import { scenarioExampleFiles } from './example-files.ts';
import { scenarioOf } from './scenario-fixtures.ts';

/** Every line's value against the plan it explains. */
function expectMatchesPlan(plan: Plan, headroom: number) {
  const a = explainPlan(plan, { headroom });
  expect(a.cap.value).toBe(plan.capBytes);
  expect(a.fixed.value).toBe(plan.fixedBytes);
  expect(a.perRun.value).toBe(plan.perRunBytes);
  expect(a.usable.value).toBe(plan.capBytes - plan.fixedBytes);
  expect(a.constraints.map((c) => c.value)).toEqual(plan.constraints.map((c) => (c.maxRuns === null ? null : BigInt(c.maxRuns))));
  expect(a.constraints.filter((c) => c.binds).map((c) => c.what)).toEqual(plan.boundBy === 'fits' ? [] : [plan.boundBy]);
  expect(a.chunkLength.value).toBe(BigInt(plan.chunkLength));
  expect(a.numChunks.value).toBe(BigInt(plan.numChunks));
  expect(a.finalChunk.value).toBe(BigInt(plan.finalChunkLength));
  expect(a.finalChunk.dangling).toBe(plan.finalChunkLength !== plan.chunkLength);
  expect(a.peakRows.reduce((sum, r) => sum + r.bytes, 0n)).toBe(plan.predictedPeakBytes);
  expect(a.peak.value).toBe(plan.predictedPeakBytes);
  // Each line's numbers end in its result, so what is read is what the plan holds.
  expect(a.chunkLength.numbers).toContain(`= ${plan.chunkLength.toLocaleString('en-US')} runs`);
  expect(a.peak.numbers.endsWith(`= ${plan.predictedPeakBytes.toLocaleString('en-US')} B`)).toBe(true);
  return a;
}

describe.each(scenarioExampleFiles().filter(({ json }) => prepareRun(json).ok))('example $file', ({ json }) => {
  test('every line is the plan\'s own number', () => {
    const prepared = prepareRun(json);
    if (!prepared.ok) throw new Error('filtered above');
    expectMatchesPlan(prepared.run.plan, prepared.run.scenario.planner.headroom);
  });
});

test('the Lorenz batch shows the budget formula with its numbers, as the issue quotes it', () => {
  const prepared = prepareRun(scenarioExampleFiles().find((e) => e.file === 'lorenz-batch.json')!.json);
  if (!prepared.ok) throw new Error(prepared.error.message);
  const a = explainPlan(prepared.run.plan, { headroom: 0 });
  const budget = a.constraints.find((c) => c.what === 'budget')!;
  expect(budget.numbers).toBe('⌊(8,388,608 − 1,024) ÷ 1,228⌋ = 6,830 runs');
  expect(budget.binds).toBe(true);
  expect(a.perRun.numbers).toBe('1 × (12 + 12 + 1,200 + 4) = 1,228 B');
  expect(a.finalChunk.numbers).toBe('20,000 − (3 − 1) × 6,830 = 6,340 runs');
  expect(a.finalChunk.note).toMatch(/^chunk 2 \(counting from 0\) is the dangling final chunk: 490 runs short/);
  expect(a.peakRows.map((r) => r.numbers)).toEqual([
    '1 × 12 × 6,830 = 81,960 B',
    '1 × 12 × 6,830 = 81,960 B',
    '1,024 B (fixed)',
    '1 × 1,200 × 6,830 = 8,196,000 B',
    '1 × 4 × 6,830 = 27,320 B',
  ]);
});

test('where 4-byte rounding moves the budget bound, the line says so (DESIGN.md: floor alone overshoots)', () => {
  // Three f16 arrays of one element per run: 6 B a run, but each buffer rounds up to 4 B.
  const f16 = (name: string) => ({ name, role: 'input' as const, dtype: 'f16' as const, shape: ['runs' as const] });
  const planned = planScenario(scenarioOf({ runs: 100, arrays: [f16('a'), f16('b'), f16('c')], device: { budgetBytes: 30 } }));
  if (!planned.ok) throw new Error(planned.error.message);
  const a = expectMatchesPlan(planned.plan, 0);
  const budget = a.constraints.find((c) => c.what === 'budget')!;
  expect(planned.plan.chunkLength).toBe(4);
  expect(budget.numbers).toBe('⌊(30 − 0) ÷ 6⌋ = 5; with each buffer rounded up to 4 B, 4 runs take 24 B ≤ 30 B = 4 runs');
  expect(budget.note).toBe('5 runs would need 36 B once every buffer is rounded up to 4 B, over the 30 B usable');
});

test('with headroom and two buffer sets the cap and per-run lines carry both', () => {
  const planned = planScenario(scenarioOf({
    runs: 105,
    arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: [10, 'runs'] }, { name: 'k', role: 'input', dtype: 'f16', shape: [3] }],
    device: { budgetBytes: 2000 },
    planner: { headroom: 0.1, bufferSets: 2 },
  }));
  if (!planned.ok) throw new Error(planned.error.message);
  const a = expectMatchesPlan(planned.plan, 0.1);
  expect(a.cap.numbers).toBe('⌊2,000 × (1 − 0.1)⌋ = 1,800 B');
  expect(a.perRun.numbers).toBe('2 × (40) = 80 B');
  expect(a.arrays[1].numbers).toBe('⌈3 × 2 B (f16)⌉₄ = ⌈6⌉₄ = 8 B');
  expect(a.peakRows[0].numbers).toBe('2 × 40 × 22 = 1,760 B');
});

test('random feasible plans: every line is the plan\'s number and the rows add up to the peak', () => {
  const arb = fc.record({
    runs: fc.integer({ min: 1, max: 1_000_000 }),
    dims: fc.array(fc.tuple(fc.constantFrom('f16', 'f32', 'f64', 'u32'), fc.integer({ min: 1, max: 50 }), fc.boolean()), { minLength: 1, maxLength: 4 }),
    budgetBytes: fc.integer({ min: 1, max: 2 ** 30 }),
    headroom: fc.constantFrom(0, 0.1, 0.25, 0.5),
    bufferSets: fc.constantFrom(1 as const, 2 as const),
    runsPerWorkgroup: fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
  });
  fc.assert(fc.property(arb, (r) => {
    const arrays = r.dims.map(([dtype, d, chunked], i) => ({ name: `a${i}`, role: 'input' as const, dtype, shape: chunked ? [d, 'runs' as const] : [d] }));
    const planned = planScenario(
      scenarioOf({ runs: r.runs, arrays, device: { budgetBytes: r.budgetBytes }, planner: { headroom: r.headroom, bufferSets: r.bufferSets } }),
      r.runsPerWorkgroup ? { kernel: { runsPerWorkgroup: r.runsPerWorkgroup } } : {},
    );
    if (planned.ok) expectMatchesPlan(planned.plan, r.headroom);
  }), { numRuns: 300 });
});
