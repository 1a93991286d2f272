// Random scenarios (touch kernel: any arrays, roles, dtypes and chunk axes; one or two buffer sets; budgets from one chunk to many) on WebGPU: device and staging peaks measured equal predicted, and nothing live after the run or after a cancel.
import fc from 'fast-check';
import { expect } from 'vitest';
import { planScenario } from '../../src/core/planner.ts';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { gpuTest } from './gpu-fixture.ts';

const kRoles = ['input', 'output', 'inout', 'scratch'] as const;
const kDtypes = ['f32', 'i32', 'u32', 'f16'] as const;

/** A small array: a fixed one, or a chunked one with the chunk axis at any position. */
const arrayArb = fc.record({
  role: fc.constantFrom(...kRoles),
  dtype: fc.constantFrom(...kDtypes),
  dims: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 2 }),
  axis: fc.option(fc.nat(2), { nil: undefined }),
});

const scenarioArb = fc
  .record({
    runs: fc.integer({ min: 1, max: 400 }),
    arrays: fc.array(arrayArb, { minLength: 1, maxLength: 4 }),
    bufferSets: fc.constantFrom(1, 2),
    /** Where the budget falls between one run and all runs at once. */
    share: fc.double({ min: 0, max: 1.2, noNaN: true }),
  })
  .map(({ runs, arrays, bufferSets, share }) => {
    const specs = arrays.map((a, i) => {
      const shape: (number | 'runs')[] = [...a.dims];
      if (a.axis !== undefined) shape.splice(Math.min(a.axis, shape.length), 0, 'runs');
      if (shape.length === 0) shape.push(1);
      return { name: `a${i}`, role: a.role, dtype: a.dtype, shape };
    });
    // Enough budget for every run at share ≥ 1; about one run at share 0 (the planner refuses less).
    const probe = parse({ version: 1, runs, arrays: specs, device: { budgetBytes: 2 ** 40 }, planner: { headroom: 0, bufferSets } });
    const plan = probe && planScenario(probe);
    if (!plan?.ok) return undefined;
    const perRun = Number(plan.plan.perRunBytes) + 3 * specs.length * bufferSets;
    const budget = Number(plan.plan.fixedBytes) + Math.ceil(perRun * Math.max(1, share * runs));
    return parse({ version: 1, runs, arrays: specs, device: { budgetBytes: budget }, planner: { headroom: 0, bufferSets }, seed: runs });
  })
  .filter((s): s is Scenario => s !== undefined && kernelFor(s).ok);

function parse(input: object): Scenario | undefined {
  const parsed = parseScenario(input);
  return parsed.ok ? parsed.scenario : undefined;
}

gpuTest('random scenarios: predicted = measured for the device and staging peaks, nothing live', async ({ gpu }) => {
  let ran = 0;
  const chunkCounts = new Set<number>();
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (scenario) => {
      const outcome = await runScenario(scenario, { backend: 'webgpu', device: gpu.device, verify: false });
      if (!outcome.ok) return; // a plan the planner refuses (no run fits) is the planner tests' business
      const r = outcome.report;
      expect(r.status).toBe('ok');
      expect(r.attempts).toHaveLength(1);
      const [a] = r.attempts;
      expect(a.measuredPeakBytes).toBe(a.predictedPeakBytes);
      expect(a.measuredStagingPeakBytes).toBe(a.predictedStagingPeakBytes);
      expect(r.stagingPeakBytes).toBe(Number(r.plan.predictedStagingPeakBytes));
      expect(r.liveBuffersAfter).toBe(0);
      ran++;
      chunkCounts.add(Math.min(r.plan.numChunks, 3));
    }),
    { numRuns: 25, seed: 14 },
  );
  // The generator must reach runs of one, two and many chunks, not only refusals.
  expect(ran).toBeGreaterThan(15);
  expect([...chunkCounts].sort()).toEqual([1, 2, 3]);
});

gpuTest('random scenarios cancelled after their first chunk: nothing live', async ({ gpu }) => {
  await fc.assert(
    fc.asyncProperty(scenarioArb, async (scenario) => {
      const abort = new AbortController();
      const outcome = await runScenario(scenario, {
        backend: 'webgpu',
        device: gpu.device,
        verify: false,
        signal: abort.signal,
        onProgress: () => abort.abort(),
      });
      if (!outcome.ok) return;
      expect(['ok', 'cancelled']).toContain(outcome.report.status);
      expect(outcome.report.liveBuffersAfter).toBe(0);
      expect(outcome.report.attempts[0].measuredStagingPeakBytes).toBeLessThanOrEqual(outcome.report.attempts[0].predictedStagingPeakBytes!);
    }),
    { numRuns: 10, seed: 15 },
  );
});
