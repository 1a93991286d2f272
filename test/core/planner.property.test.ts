// Planner invariants over thousands of random scenarios, checked against a plain re-statement of the rules.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dtypeBytes, kDtypeNames } from '../../src/core/dtypes.ts';
import { bufferBytes, chunkAt, planScenario, type Plan } from '../../src/core/planner.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../../src/core/scenario.ts';

const kRuns = 'runs' as const;

const arrayArb = (name: string) =>
  fc.record({
    dtype: fc.constantFrom(...kDtypeNames),
    dims: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 0, maxLength: 3 }),
    runsAt: fc.option(fc.nat(3), { nil: undefined }),
    role: fc.constantFrom('input', 'output', 'inout', 'scratch'),
  }).map(({ dtype, dims, runsAt, role }) => {
    const shape: (number | typeof kRuns)[] = [...dims];
    if (runsAt !== undefined) shape.splice(Math.min(runsAt, shape.length), 0, kRuns);
    if (shape.length === 0) shape.push(1);
    return { name, role, dtype, shape };
  });

const scenarioArb = fc
  .record({
    runs: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 1_000_000_000 })),
    arrayCount: fc.integer({ min: 1, max: 5 }),
    arrays: fc.tuple(arrayArb('a0'), arrayArb('a1'), arrayArb('a2'), arrayArb('a3'), arrayArb('a4')),
    budgetBytes: fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 2 ** 45 })),
    headroomPercent: fc.integer({ min: 0, max: 90 }),
    bufferSets: fc.constantFrom(1, 2),
    maxBufferSize: fc.integer({ min: 1, max: 2 ** 34 }),
    maxStorageBufferBindingSize: fc.integer({ min: 1, max: 2 ** 34 }),
    maxComputeWorkgroupsPerDimension: fc.integer({ min: 1, max: 65_535 }),
    runsPerWorkgroup: fc.option(fc.integer({ min: 1, max: 256 }), { nil: undefined }),
  })
  .map((r) => ({
    input: {
      version: 1,
      runs: r.runs,
      arrays: r.arrays.slice(0, r.arrayCount),
      device: {
        budgetBytes: r.budgetBytes,
        limits: { maxBufferSize: r.maxBufferSize, maxStorageBufferBindingSize: r.maxStorageBufferBindingSize, maxComputeWorkgroupsPerDimension: r.maxComputeWorkgroupsPerDimension },
      },
      planner: { headroom: r.headroomPercent / 100, bufferSets: r.bufferSets },
    } as ScenarioInput,
    headroomPercent: r.headroomPercent,
    runsPerWorkgroup: r.runsPerWorkgroup,
  }));

/** The rules of DESIGN.md restated plainly: can `n` runs form one chunk? */
function oracle(scenario: Scenario, headroomPercent: number, runsPerWorkgroup: number | undefined) {
  const cap = (BigInt(scenario.device.budgetBytes) * BigInt(100 - headroomPercent)) / 100n;
  const limits = scenario.device.limits;
  const round4 = (b: bigint) => (b + 3n) & ~3n;
  const buffers = (n: number) =>
    scenario.arrays.map((a) => {
      const elements = a.shape.reduce<bigint>((p, d) => p * BigInt(d === kRuns ? n : d), 1n);
      return { chunked: a.shape.includes(kRuns), bytes: round4(elements * BigInt(dtypeBytes(a.dtype))) };
    });
  const peak = (n: number) => buffers(n).reduce((s, b) => s + b.bytes * BigInt(b.chunked ? scenario.planner.bufferSets : 1), 0n);
  const withinLimits = (n: number) => buffers(n).every((b) => b.bytes <= BigInt(limits.maxBufferSize) && b.bytes <= BigInt(limits.maxStorageBufferBindingSize));
  const withinDispatch = (n: number) => runsPerWorkgroup === undefined || n <= limits.maxComputeWorkgroupsPerDimension * runsPerWorkgroup;
  const fits = (n: number) => peak(n) <= cap && withinLimits(n) && withinDispatch(n);
  return { cap, peak, fits, withinLimits, buffers };
}

function expectCoverage(plan: Plan) {
  // Chunks are contiguous and cover [0, runs) once; check all of a small plan, the ends of a huge one.
  const indices = plan.numChunks <= 2000 ? [...Array(plan.numChunks).keys()] : [0, 1, plan.numChunks - 2, plan.numChunks - 1];
  let covered = 0;
  for (const i of indices) {
    const chunk = chunkAt(plan, i);
    expect(chunk.start).toBe(i * plan.chunkLength);
    expect(chunk.end - chunk.start).toBe(i === plan.numChunks - 1 ? plan.finalChunkLength : plan.chunkLength);
    covered += chunk.end - chunk.start;
  }
  if (plan.numChunks <= 2000) expect(covered).toBe(plan.runs);
  expect(chunkAt(plan, plan.numChunks - 1).end).toBe(plan.runs);
  expect((plan.numChunks - 1) * plan.chunkLength + plan.finalChunkLength).toBe(plan.runs);
}

describe('planner properties', () => {
  test('plans fit, are maximal and cover every run once; refusals are justified', () => {
    let feasible = 0;
    fc.assert(
      fc.property(scenarioArb, ({ input, headroomPercent, runsPerWorkgroup }) => {
        const parsed = parseScenario(input);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const scenario = parsed.scenario;
        const rules = oracle(scenario, headroomPercent, runsPerWorkgroup);
        const result = planScenario(scenario, runsPerWorkgroup ? { kernel: { runsPerWorkgroup } } : {});
        if (!result.ok) {
          // No plan only when not even one run can form a chunk.
          expect(rules.fits(1)).toBe(false);
          const { code } = result.error;
          if (code === 'FIXED_EXCEEDS_BUDGET') expect(rules.peak(0)).toBeGreaterThan(rules.cap);
          if (code === 'RUN_DOES_NOT_FIT') expect(rules.peak(1)).toBeGreaterThan(rules.cap);
          if (code === 'SLICE_EXCEEDS_LIMIT' || code === 'FIXED_EXCEEDS_LIMIT') expect(rules.withinLimits(1)).toBe(false);
          return;
        }
        feasible++;
        const plan = result.plan;
        expect(plan.capBytes).toBe(rules.cap);
        expect(plan.predictedPeakBytes).toBe(rules.peak(plan.chunkLength));
        expect(plan.predictedPeakBytes).toBeLessThanOrEqual(rules.cap);
        expect(rules.fits(plan.chunkLength)).toBe(true);
        for (const a of plan.arrays) {
          expect(bufferBytes(a, plan.chunkLength)).toBe(a.bytes);
          expect(a.bytes).toBeLessThanOrEqual(plan.limits.maxBufferSize);
          expect(a.bytes).toBeLessThanOrEqual(plan.limits.maxStorageBufferBindingSize);
        }
        if (plan.chunkLength < plan.runs) {
          expect(rules.fits(plan.chunkLength + 1)).toBe(false);
          expect(plan.boundBy).not.toBe('fits');
        } else {
          expect(plan.boundBy).toBe('fits');
        }
        expect(plan.finalChunkLength).toBeGreaterThanOrEqual(1);
        expect(plan.finalChunkLength).toBeLessThanOrEqual(plan.chunkLength);
        expectCoverage(plan);
      }),
      { numRuns: 3000, seed: 20261122 },
    );
    // The generator must reach feasible plans often enough for the properties above to mean something.
    expect(feasible).toBeGreaterThan(300);
  });
});
