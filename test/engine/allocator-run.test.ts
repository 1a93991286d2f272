// Runs under the caching allocator and without buffer reuse, on WebGPU and the CPU: kernels on blocks give the exact model's outputs bit for bit, the allocated and reserved peaks measured equal predictAllocatorPeaks, and nothing is live after runs, faults and cancels.
import { describe, expect } from 'vitest';
import type { Scenario } from '../../src/core/scenario.ts';
import { runScenario, type RunReport } from '../../src/engine/run-scenario.ts';
import { byName, expectSameOutputs, kLorenzSmall } from './fault-helpers.ts';
import { gpuTest } from './gpu-fixture.ts';
import { example, scenario } from './scenarios.ts';

/** Small segments, so a budget of a few KiB holds several. */
const kSmallCaching = { model: 'caching', roundBytes: 256, smallSizeBytes: 1024, smallSegmentBytes: 4096, largeSegmentRoundBytes: 1024 } as const;

const kAxpy = scenario({
  version: 1, name: 'axpy', runs: 5000,
  arrays: [{ name: 'x', role: 'input', dtype: 'i32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'i32', shape: ['runs'] }],
  device: { budgetBytes: 30000 }, kernel: { name: 'axpy', a: -3 }, seed: 7,
});

/**
 * A scenario under a model and reuse setting, with the same plan as `base` (headroom 0):
 * the budget 16 times larger and a headroom of 15/16 leave floor(budget × (1 − headroom))
 * as it was (1/16 is exact in binary), and the rest of the budget holds the caching
 * model's rounding and segments.
 */
function under(base: Scenario, model: 'exact' | 'caching', reuseBuffers: boolean): Scenario {
  return {
    ...base,
    device: { ...base.device, budgetBytes: base.device.budgetBytes * 16 },
    allocator: model === 'caching' ? { ...kSmallCaching, emptyCacheOnOom: true } : { model: 'exact' },
    planner: { ...base.planner, headroom: 15 / 16, reuseBuffers },
  };
}

const kCases: [string, Scenario][] = [
  ['lorenz-rk4, two buffer sets', kLorenzSmall],
  ['axpy i32', kAxpy],
  ['chunk axis first, dangling', byName('chunk axis first, budget-bound, dangling')],
  ['fixed input, output and inout arrays', byName('fixed input, output and inout arrays')],
  ['two buffer sets', byName('two buffer sets')],
  ['f16 arrays sharing words', byName('f16 arrays sharing words between runs (odd inner)')],
];

async function run(s: Scenario, backend: 'webgpu' | 'cpu', device: GPUDevice, extra: { signal?: AbortSignal; onProgress?: () => void } = {}): Promise<RunReport> {
  const outcome = await runScenario(s, { backend, device, ...extra });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.report;
}

/** Every segment reserved was released and every block freed. */
function expectNothingLive(report: RunReport): void {
  expect(report.liveBuffersAfter).toBe(0);
  const reserved = report.trace.filter((e) => e.kind === 'segment-alloc').length;
  expect(report.trace.filter((e) => e.kind === 'segment-free').length).toBe(reserved);
}

describe.each(kCases)('%s', (_name, base) => {
  describe.each([true, false])('reuseBuffers %s', (reuse) => {
    gpuTest.for(['webgpu', 'cpu'] as const)('%s: caching gives exact\'s outputs bit for bit; allocated and reserved peaks as predicted', async (backend, { gpu }) => {
      const exact = await run(under(base, 'exact', reuse), backend, gpu.device);
      const caching = await run(under(base, 'caching', reuse), backend, gpu.device);
      for (const report of [exact, caching]) {
        expect(report.status).toBe('ok');
        expect(report.verification?.passed).toBe(true);
        expect(report.attempts).toHaveLength(1);
        expect(report.faults).toEqual([]);
        expectNothingLive(report);
      }
      expectSameOutputs(caching.outputs, exact.outputs, base);
      expect(caching.plan.chunkLength).toBe(exact.plan.chunkLength);
      expect(exact.plan.numChunks).toBeGreaterThan(1);
      const [a] = caching.attempts;
      expect(a.measuredPeakBytes).toBe(a.predictedPeakBytes);
      expect(a.measuredReservedPeakBytes).toBe(a.predictedReservedPeakBytes);
      expect(caching.allocator.allocatedPeak.measuredBytes).toBe(caching.allocator.allocatedPeak.predictedBytes);
      expect(caching.allocator.reservedPeak.measuredBytes).toBe(caching.allocator.reservedPeak.predictedBytes);
      // Blocks are rounded and carved from segments: the caching model holds at least what exact does.
      expect(caching.allocator.reservedPeak.measuredBytes).toBeGreaterThanOrEqual(exact.allocator.reservedPeak.measuredBytes);
      expect(caching.trace.some((e) => e.kind === 'segment-alloc')).toBe(true);
      // Under exact, reserved is allocated and both are the prediction.
      expect(exact.allocator.allocatedPeak.measuredBytes).toBe(exact.allocator.allocatedPeak.predictedBytes);
      expect(exact.allocator.reservedPeak.measuredBytes).toBe(exact.allocator.allocatedPeak.measuredBytes);
      if (!reuse) {
        // Each chunk allocated its own buffers: one alloc per chunked array per chunk.
        const chunked = base.arrays.filter((x) => x.shape.includes('runs')).length;
        const perChunk = exact.trace.filter((e) => e.kind === 'alloc' && / chunk \d+ \(/.test(e.label)).length;
        expect(perChunk).toBe(chunked * exact.plan.numChunks);
      }
    });
  });
});

describe('faults and cancels under caching', () => {
  const lorenz = under(kLorenzSmall, 'caching', false);

  gpuTest.for([true, false])('an injected out-of-memory on a segment (reuseBuffers %s) is a ModelOutOfMemoryError the ladder shrinks past; nothing live', async (reuse, { gpu }) => {
    const clean: Scenario = { ...under(kLorenzSmall, 'caching', reuse), allocator: { ...kSmallCaching, emptyCacheOnOom: false } };
    // Allocations are counted over real buffers: segments and staging, not blocks. Fail the last segment.
    const real = (await run(clean, 'webgpu', gpu.device)).trace.filter((e) => (e.kind === 'alloc' && e.segment === undefined) || e.kind === 'segment-alloc');
    const lastSegment = real.map((e) => e.kind).lastIndexOf('segment-alloc') + 1;
    // Without emptying the cache the refused segment is the request's failure.
    const s: Scenario = { ...clean, faults: [{ kind: 'out-of-memory', onAllocation: lastSegment }] };
    const report = await run(s, 'webgpu', gpu.device);
    expect(report.status).toBe('ok');
    expect(report.fallbacks.map((f) => f.to)).toEqual(['shrink']);
    const refused = report.faults.filter((f) => f.kind === 'oom' && f.allocator);
    expect(refused).toHaveLength(1);
    expect(report.allocator.failure).toBeDefined();
    expectNothingLive(report);
    expectSameOutputs(report.outputs, (await run(under(kLorenzSmall, 'exact', reuse), 'webgpu', gpu.device)).outputs, kLorenzSmall);
  });

  gpuTest.for(['webgpu', 'cpu'] as const)('%s: a cancel after the first chunk leaves no block, segment or buffer live', async (backend, { gpu }) => {
    const controller = new AbortController();
    const report = await run(lorenz, backend, gpu.device, { signal: controller.signal, onProgress: () => controller.abort() });
    expect(report.status).toBe('cancelled');
    expectNothingLive(report);
  });
});

describe('examples/caching-fragmentation.json', () => {
  const story = example('caching-fragmentation.json');

  gpuTest('fits with exact; under caching per chunk its first attempt fails with allocated under the budget and the three figures right; passes with reuse', async ({ gpu }) => {
    // Hand count (granule 256; w 1500 → 1536 B, x 1280 B and y 2048 B per chunk of 64 runs; 4 chunks, the last of 8 runs):
    // w, x0 and x1 fill large segment 1 (4096 B), y0 and y1 large segment 2 (4096 B): 8192 B reserved and allocated.
    // Chunk 3 frees set 1 (x1: 1280 B in segment 1, y1: 2048 B in segment 2); its x (160 B → 256 B) is a small
    // request, and the small pool has no segment: a 2048 B one is over the budget, no segment is wholly free.
    const exact = await run({ ...story, allocator: { model: 'exact' } }, 'webgpu', gpu.device);
    expect(exact.status).toBe('ok');
    expect(exact.verification?.passed).toBe(true);

    // The first attempt fails; the ladder's shrink finishes the last 8 runs on a fresh cache.
    const caching = await run(story, 'webgpu', gpu.device);
    expect(caching.status).toBe('ok');
    expect(caching.fallbacks.map((f) => [f.to, f.resumeAt])).toEqual([['shrink', 192]]);
    const failure = caching.allocator.failure!;
    expect(failure).toMatchObject({ label: 'x chunk 3 (160 B)', bytes: 160, allocatedBytes: 4864, reservedBytes: 8192, reservedFreeBytes: 3328, largestFreeBytes: 2048 });
    expect(failure.fragmentation).toBeCloseTo(1 - 2048 / 3328, 12);
    expect(failure.allocatedBytes).toBeLessThan(story.device.budgetBytes);
    expect(caching.fallbacks[0].reason).toContain('4.75 KiB (4,864 B) allocated, 8 KiB (8,192 B) reserved, 3.25 KiB (3,328 B) reserved but free');
    expectSameOutputs(caching.outputs, exact.outputs, story);
    expectNothingLive(caching);

    const reused = await run({ ...story, planner: { ...story.planner, reuseBuffers: true } }, 'webgpu', gpu.device);
    expect(reused.status).toBe('ok');
    expect(reused.allocator.reservedPeak).toEqual({ predictedBytes: 8192, measuredBytes: 8192 });
    expectNothingLive(reused);
  });
});
