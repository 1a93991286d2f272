// The planner's prediction under an allocator model: exact equals the plan's peak; caching agrees with simulating every chunk.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allocateNow } from '../../src/core/allocator-model.ts';
import { predictAllocatorPeaks } from '../../src/core/allocator-prediction.ts';
import { CachingModel, kCachingDefaults } from '../../src/core/caching-allocator.ts';
import { bufferBytes, chunkAt, planScenario, type Plan } from '../../src/core/planner.ts';
import { parseScenario, type ScenarioInput } from '../../src/core/scenario.ts';

const MiB = 2 ** 20;

function planOf(input: Partial<ScenarioInput>): Plan {
  const parsed = parseScenario({ version: 1, ...input });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const planned = planScenario(parsed.scenario);
  if (!planned.ok) throw new Error(planned.error.message);
  return planned.plan;
}

const caching = { model: 'caching', ...kCachingDefaults } as const;

/** The executor's requests restated plainly: every chunk, one after another, no skipping. */
function simulateEveryChunk(plan: Plan, reuseBuffers: boolean) {
  const model = new CachingModel(kCachingDefaults);
  const take = (bytes: number) => {
    const got = allocateNow(model, bytes, () => true);
    if (!got.ok) throw new Error('unreachable');
    return got.block.id;
  };
  for (const a of plan.arrays) if (!a.chunked) take(a.bytes);
  const chunked = plan.arrays.filter((a) => a.chunked);
  if (reuseBuffers) {
    for (let s = 0; s < plan.bufferSets; s++) chunked.forEach((a) => take(bufferBytes(a, plan.chunkLength)));
  } else {
    const live: number[][] = [];
    for (let i = 0; i < plan.numChunks; i++) {
      const { start, end } = chunkAt(plan, i);
      if (live.length === plan.bufferSets) live.shift()!.forEach((id) => model.free(id));
      live.push(chunked.map((a) => take(bufferBytes(a, end - start))));
    }
  }
  return model.stats();
}

const arrayArb = (name: string) =>
  fc.record({
    name: fc.constant(name),
    role: fc.constantFrom('input', 'output', 'inout'),
    dtype: fc.constantFrom('f32', 'u32', 'f16'),
    shape: fc.oneof(
      fc.tuple(fc.constant('runs' as const), fc.integer({ min: 1, max: 300_000 })).map((s) => [...s]),
      fc.tuple(fc.integer({ min: 1, max: 600_000 })).map((s) => [...s]),
    ),
  });

const planArb = fc
  .record({
    runs: fc.integer({ min: 1, max: 60 }),
    arrays: fc.tuple(arrayArb('a'), arrayArb('b'), arrayArb('c')),
    count: fc.integer({ min: 1, max: 3 }),
    budgetBytes: fc.integer({ min: 4 * MiB, max: 64 * MiB }),
    bufferSets: fc.constantFrom(1, 2),
  })
  .map(({ runs, arrays, count, budgetBytes, bufferSets }) => {
    const input = { runs, arrays: arrays.slice(0, count), device: { budgetBytes }, planner: { bufferSets } } as Partial<ScenarioInput>;
    const parsed = parseScenario({ version: 1, ...input });
    if (!parsed.ok) return null;
    const planned = planScenario(parsed.scenario);
    return planned.ok ? planned.plan : null;
  })
  .filter((plan): plan is Plan => plan !== null);

describe('predictAllocatorPeaks', () => {
  test.each([true, false])('exact, reuseBuffers %s: allocated and reserved are the plan\'s peak (per chunk: of the sets that exist at once)', (reuseBuffers) => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const predicted = predictAllocatorPeaks(plan, { allocator: { model: 'exact' }, reuseBuffers });
        const setBytes = (i: number) => {
          const { start, end } = chunkAt(plan, i);
          return plan.arrays.reduce((sum, a) => sum + (a.chunked ? Number(bufferBytes(a, end - start)) : 0), 0);
        };
        let mostSets = 0;
        for (let last = 0; last < plan.numChunks; last++) {
          let live = 0;
          for (let i = Math.max(0, last - plan.bufferSets + 1); i <= last; i++) live += setBytes(i);
          mostSets = Math.max(mostSets, live);
        }
        const expected = reuseBuffers ? Number(plan.predictedPeakBytes) : Number(plan.fixedBytes) + mostSets;
        expect(predicted.allocatedPeakBytes).toBe(expected);
        expect(predicted.reservedPeakBytes).toBe(expected);
      }),
      { numRuns: 200, seed: 3 },
    );
  });

  test.each([true, false])('caching, reuseBuffers %s: the same peaks as simulating every chunk, reserved ≥ allocated', (reuseBuffers) => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const predicted = predictAllocatorPeaks(plan, { allocator: caching, reuseBuffers });
        const plain = simulateEveryChunk(plan, reuseBuffers);
        expect(predicted.allocatedPeakBytes).toBe(plain.allocatedPeakBytes);
        expect(predicted.reservedPeakBytes).toBe(plain.reservedPeakBytes);
        expect(predicted.expandablePeakBytes).toBe(plain.expandablePeakBytes);
        expect(predicted.reservedPeakBytes).toBeGreaterThanOrEqual(predicted.allocatedPeakBytes);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  test('two buffer sets allocated per chunk, with a dangling final chunk: 6 MiB allocated, 8 MiB reserved (counted by hand)', () => {
    // 1 MiB a run, 3 runs a chunk: chunk 0 and chunk 1 each get a 4 MiB segment for 3 MiB;
    // the final chunk's 2 MiB goes into chunk 0's segment once that is freed.
    const plan = planOf({ runs: 8, arrays: [{ name: 'x', role: 'inout', dtype: 'f32', shape: ['runs', 262_144] }], device: { budgetBytes: 6 * MiB }, planner: { bufferSets: 2 } });
    expect([plan.chunkLength, plan.finalChunkLength]).toEqual([3, 2]);
    expect(predictAllocatorPeaks(plan, { allocator: caching, reuseBuffers: false })).toMatchObject({
      allocatedPeakBytes: 6 * MiB,
      reservedPeakBytes: 8 * MiB,
      expandablePeakBytes: 6 * MiB,
    });
  });

  test('a billion runs in small chunks: the repeating state is skipped', () => {
    const plan = planOf({
      runs: 1_000_000_000,
      arrays: [
        { name: 'p', role: 'input', dtype: 'f32', shape: [1000] },
        { name: 'x', role: 'inout', dtype: 'f32', shape: ['runs', 3] },
      ],
      device: { budgetBytes: 5 * MiB },
      planner: { bufferSets: 2 },
    });
    expect(plan.numChunks).toBeGreaterThan(1000);
    const predicted = predictAllocatorPeaks(plan, { allocator: caching, reuseBuffers: false });
    expect(predicted.chunksSimulated).toBeLessThan(20);
    expect(predicted.allocatedPeakBytes).toBeGreaterThanOrEqual(Number(plan.predictedPeakBytes));
  });
});
