// The planner's exact arithmetic: DESIGN.md's worked examples, every bound, every error code, huge plans.
import { describe, expect, test } from 'vitest';
import { chunkAt, planScenario, type Plan, type PlanErrorCode } from '../../src/core/planner.ts';
import { parseScenario } from '../../src/core/scenario.ts';
import { chunkedF32, scenarioOf } from './scenario-fixtures.ts';

function planOf(...args: Parameters<typeof scenarioOf>): Plan {
  const result = planScenario(scenarioOf(...args));
  if (!result.ok) throw new Error(`expected a plan, got ${result.error.code}: ${result.error.message}`);
  return result.plan;
}

describe('worked examples of DESIGN.md (headroom 0, one buffer set, f32)', () => {
  test.each([
    { runs: 100, fixed: false, budget: 1000, chunkLength: 25, numChunks: 4, final: 25 },
    { runs: 105, fixed: false, budget: 1000, chunkLength: 25, numChunks: 5, final: 5 },
    { runs: 100, fixed: true, budget: 1400, chunkLength: 25, numChunks: 4, final: 25 },
  ])('$runs runs, fixed array $fixed, budget $budget B → $chunkLength × $numChunks', (c) => {
    const arrays = [chunkedF32('x', 10)];
    if (c.fixed) arrays.push({ name: 'coefficients', role: 'input', dtype: 'f32', shape: [10, 10] });
    const plan = planOf({ runs: c.runs, arrays, device: { budgetBytes: c.budget } });
    expect([plan.chunkLength, plan.numChunks, plan.finalChunkLength]).toEqual([c.chunkLength, c.numChunks, c.final]);
    expect(plan.boundBy).toBe('budget');
    expect(plan.predictedPeakBytes).toBe(BigInt(c.budget));
  });

  test('58 runs of 4 B with 28 B usable give 7 runs per chunk, not 6', () => {
    const plan = planOf({ runs: 58, arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }], device: { budgetBytes: 28 } });
    expect(plan.chunkLength).toBe(7);
    expect(plan.numChunks).toBe(9);
    expect(plan.finalChunkLength).toBe(2);
  });
});

describe('bounds', () => {
  test('every run fits: one chunk, bound by nothing', () => {
    const plan = planOf({ runs: 10, arrays: [chunkedF32('x', 10)], device: { budgetBytes: 1000 } });
    expect(plan).toMatchObject({ chunkLength: 10, numChunks: 1, finalChunkLength: 10, boundBy: 'fits', predictedPeakBytes: 400n });
  });

  test('headroom is exact for the decimal the user wrote', () => {
    // 1000 × (1 − 0.1) is 900 exactly; a float product can land on 899.999….
    const plan = planOf({ runs: 100, arrays: [{ name: 'x', role: 'input', dtype: 'u32', shape: ['runs'] }], device: { budgetBytes: 1000 }, planner: { headroom: 0.1 } });
    expect(plan.capBytes).toBe(900n);
    expect(plan.chunkLength).toBe(100);
    const tight = planOf({ runs: 1000, arrays: [{ name: 'x', role: 'input', dtype: 'u32', shape: ['runs'] }], device: { budgetBytes: 1000 }, planner: { headroom: 0.3 } });
    expect(tight.capBytes).toBe(700n);
    expect(tight.chunkLength).toBe(175);
  });

  test('two buffer sets double the per-run bytes and halve the chunk', () => {
    const one = planOf({ runs: 100, arrays: [chunkedF32('x', 10)], device: { budgetBytes: 1000 } });
    const two = planOf({ runs: 100, arrays: [chunkedF32('x', 10)], device: { budgetBytes: 1000 }, planner: { bufferSets: 2 } });
    expect(two.perRunBytes).toBe(2n * one.perRunBytes);
    expect(two.chunkLength).toBe(12);
    expect(two.arrays[0].buffers).toBe(2);
    expect(two.predictedPeakBytes).toBe(2n * 12n * 40n);
  });

  test('each buffer is rounded up to 4 bytes, and the chunk shrinks so the rounded peak still fits', () => {
    // Three f16 [1, runs] arrays: 6 B per run raw. 13 runs → three 26 B buffers rounded to 28 B = 84 B > 80 B.
    const arrays = ['a', 'b', 'c'].map((name) => ({ name, role: 'input' as const, dtype: 'f16' as const, shape: ['runs' as const] }));
    const plan = planOf({ runs: 100, arrays, device: { budgetBytes: 80 } });
    expect(plan.chunkLength).toBe(12);
    expect(plan.predictedPeakBytes).toBe(72n);
    const fixed = planOf({ runs: 1, arrays: [{ name: 'h', role: 'input', dtype: 'f16', shape: [3] }, ...arrays.slice(0, 1)], device: { budgetBytes: 80 } });
    expect(fixed.fixedBytes).toBe(8n);
  });

  test.each([
    { limit: 'maxBufferSize', value: 4000 },
    { limit: 'maxStorageBufferBindingSize', value: 4000 },
  ] as const)('$limit bounds the chunk by the largest buffer', ({ limit, value }) => {
    const plan = planOf({
      runs: 1000,
      arrays: [chunkedF32('small', 1), chunkedF32('big', 10)],
      device: { budgetBytes: 1_000_000, limits: { [limit]: value } },
    });
    expect(plan.chunkLength).toBe(100);
    expect(plan.boundBy).toBe(limit);
    expect(plan.constraints.find((c) => c.bound === limit)).toMatchObject({ maxRuns: 100, array: 'big' });
  });

  test('a named kernel adds the dispatch limit: workgroups per dimension × runs per workgroup', () => {
    const scenario = scenarioOf({ runs: 10_000_000, arrays: [chunkedF32('x', 1)], device: { budgetBytes: 2 ** 40, limits: { maxBufferSize: 2 ** 40, maxStorageBufferBindingSize: 2 ** 40 } } });
    expect(planScenario(scenario)).toMatchObject({ ok: true, plan: { boundBy: 'fits' } });
    const result = planScenario(scenario, { kernel: { runsPerWorkgroup: 64 } });
    expect(result).toMatchObject({ ok: true, plan: { chunkLength: 65_535 * 64, boundBy: 'maxComputeWorkgroupsPerDimension', numChunks: 3 } });
  });

  test('when two constraints allow the same chunk, the budget is named first', () => {
    const plan = planOf({ runs: 100, arrays: [chunkedF32('x', 1)], device: { budgetBytes: 40, limits: { maxBufferSize: 40 } } });
    expect(plan).toMatchObject({ chunkLength: 10, boundBy: 'budget' });
  });
});

const kErrorCases: { code: PlanErrorCode; input: Parameters<typeof scenarioOf>[0]; message: string }[] = [
  {
    code: 'FIXED_EXCEEDS_BUDGET',
    input: { runs: 10, arrays: [chunkedF32('x', 10), { name: 'c', role: 'input', dtype: 'f32', shape: [10, 10] }], device: { budgetBytes: 399 } },
    message: 'fixed arrays need 400 B but the budget leaves 399 B',
  },
  {
    code: 'RUN_DOES_NOT_FIT',
    input: { runs: 10, arrays: [chunkedF32('x', 10), { name: 'c', role: 'input', dtype: 'f32', shape: [10, 10] }], device: { budgetBytes: 439 } },
    message: 'one run needs 40 B; 39 B are left after fixed arrays',
  },
  {
    code: 'SLICE_EXCEEDS_LIMIT',
    input: { runs: 10, arrays: [chunkedF32('state', 52_428_800)], device: { budgetBytes: 2 ** 40 } },
    message: 'one run of "state" is 200 MiB (209,715,200 B), over maxStorageBufferBindingSize 128 MiB (134,217,728 B)',
  },
  {
    code: 'FIXED_EXCEEDS_LIMIT',
    input: { runs: 10, arrays: [chunkedF32('x', 1), { name: 'mesh', role: 'input', dtype: 'f32', shape: [1025] }], device: { budgetBytes: 2 ** 20, limits: { maxBufferSize: 4096 } } },
    message: 'fixed array "mesh" is 4 KiB (4,100 B), over maxBufferSize 4 KiB (4,096 B)',
  },
];

describe('errors', () => {
  test.each(kErrorCases)('$code says what needs how much and what is left', ({ code, input, message }) => {
    const result = planScenario(scenarioOf(input));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(message);
    expect(result.error.path).toBeTruthy();
  });

  test('a limit above what the adapter offers is reported, not clamped', () => {
    const scenario = scenarioOf({ runs: 10, arrays: [chunkedF32('x', 1)], device: { limits: { maxBufferSize: 2 ** 31 } } });
    const result = planScenario(scenario, { adapterLimits: { maxBufferSize: 2 ** 30 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'LIMIT_ABOVE_ADAPTER', path: 'device.limits.maxBufferSize' } });
  });
});

describe('huge plans are exact and instant', () => {
  test('a slice past 2^53 bytes is refused with its exact size', () => {
    // 2^51 f64 elements per run: 2^54 bytes, which no float holds to the byte once a dimension is odd.
    const result = planScenario(scenarioOf({ runs: 3, arrays: [{ name: 'huge', role: 'input', dtype: 'f64', shape: [2 ** 51 - 1, 'runs'] }] }));
    expect(result).toMatchObject({ ok: false, error: { code: 'RUN_DOES_NOT_FIT' } });
    expect(!result.ok && result.error.message).toContain('18,014,398,509,481,976 B');
  });


  test('10^9 runs of 10 MiB slices: byte counts past 2^53 stay exact', () => {
    const plan = planOf({
      runs: 1_000_000_000,
      arrays: [chunkedF32('state', 2_621_440), { name: 'status', role: 'output', dtype: 'u32', shape: ['runs'] }],
      device: { budgetBytes: 2 ** 52, limits: { maxBufferSize: 2 ** 52, maxStorageBufferBindingSize: 2 ** 52 } },
    });
    const perRun = 2_621_440n * 4n + 4n;
    expect(plan.perRunBytes).toBe(perRun);
    expect(plan.chunkLength).toBe(Number(2n ** 52n / perRun));
    expect(plan.numChunks).toBe(Math.ceil(1e9 / plan.chunkLength));
    expect(plan.predictedPeakBytes).toBe(BigInt(plan.chunkLength) * perRun);
    const last = chunkAt(plan, plan.numChunks - 1);
    expect(last.end).toBe(1e9);
    expect(last.end - last.start).toBe(plan.finalChunkLength);
  });

  test('10 000 arrays plan without materialising anything per chunk', () => {
    const arrays = Array.from({ length: 10_000 }, (_, i) => ({ name: `a${i}`, role: 'input' as const, dtype: (i % 2 ? 'f16' : 'f32') as 'f16' | 'f32', shape: [1 + (i % 7), 'runs' as const] }));
    const plan = planOf({ runs: 1_000_000, arrays, device: { budgetBytes: 2 ** 30 } });
    expect(plan.predictedPeakBytes).toBeLessThanOrEqual(2n ** 30n);
    expect(plan.arrays).toHaveLength(10_000);
  });
});

test('chunkAt covers the runs with contiguous chunks and a dangling final chunk', () => {
  const plan = { runs: 105, chunkLength: 25 };
  expect([0, 1, 4].map((i) => chunkAt(plan, i))).toEqual([
    { index: 0, start: 0, end: 25 },
    { index: 1, start: 25, end: 50 },
    { index: 4, start: 100, end: 105 },
  ]);
});

describe('predicted staging peak (the WebGPU backend\'s upload and readback buffers)', () => {
  const arrays = (fixedElements: number) => [
    { name: 'w', role: 'input', dtype: 'f32', shape: [fixedElements] },
    { name: 'x', role: 'input', dtype: 'f32', shape: [2, 'runs'] },
    { name: 's', role: 'scratch', dtype: 'f32', shape: ['runs'] },
    { name: 'y', role: 'output', dtype: 'u32', shape: ['runs'] },
  ];
  test.each([
    // One chunk: one set's buffers though two are planned; (8 + 4) B × 10 runs.
    { fixedElements: 4, budget: 10_000, bufferSets: 2, numChunks: 1, staging: 120n },
    // Five chunks of 2 runs, two sets: 2 × (8 + 4) × 2.
    { fixedElements: 4, budget: 16 + 2 * 2 * 16, bufferSets: 2, numChunks: 5, staging: 48n },
    // The fixed inputs' own staging buffer is the larger: 400 B.
    { fixedElements: 100, budget: 400 + 2 * 2 * 16, bufferSets: 2, numChunks: 5, staging: 400n },
  ])('$numChunks chunks, $bufferSets sets, fixed input of $fixedElements f32: $staging B', ({ fixedElements, budget, bufferSets, numChunks, staging }) => {
    const parsed = parseScenario({ version: 1, runs: 10, arrays: arrays(fixedElements), device: { budgetBytes: budget }, planner: { headroom: 0, bufferSets } });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const planned = planScenario(parsed.scenario);
    if (!planned.ok) throw new Error(planned.error.message);
    expect(planned.plan.numChunks).toBe(numChunks);
    expect(planned.plan.predictedStagingPeakBytes).toBe(staging);
  });
});
