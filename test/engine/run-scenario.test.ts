// Runs the default scenario and the scenario table on real WebGPU (Dawn + SwiftShader) and on the CPU backend: outputs equal the CPU twin, chunked equals one chunk, measured device and staging peaks equal predicted, nothing live afterwards.
import { describe, expect } from 'vitest';
import { planScenario } from '../../src/core/planner.ts';
import { parseScenario } from '../../src/core/scenario.ts';
import { planOptionsFor, runScenario, type RunReport } from '../../src/engine/run-scenario.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { exampleFiles } from '../core/example-files.ts';
import { gpuTest } from './gpu-fixture.ts';
import { example, kPlanCases } from './scenarios.ts';

const kCases = [{ name: 'default example (lorenz-batch.json)', scenario: example('lorenz-batch.json'), numChunks: 3 }, ...kPlanCases];

function expectExactRun(report: RunReport, numChunks: number): void {
  expect(report.status).toBe('ok');
  expect(report.plan.numChunks).toBe(numChunks);
  expect(report.chunksCompleted).toBe(numChunks);
  expect(report.runsDone).toBe(report.plan.runs);
  expect(BigInt(report.peak.measuredBytes)).toBe(report.peak.predictedBytes);
  // WebGPU stages through the planned buffers; the CPU backend packs straight into its own.
  const staging = report.backend === 'webgpu' ? Number(report.plan.predictedStagingPeakBytes) : 0;
  expect(report.predictedStagingPeakBytes).toBe(staging);
  expect(report.stagingPeakBytes).toBe(staging);
  expect(report.liveBuffersAfter).toBe(0);
  expect(report.faults).toEqual([]);
  const v = report.verification!;
  expect(v.twin.arrays.filter((a) => a.mismatches > 0)).toEqual([]);
  expect(v.twin.passed).toBe(true);
  expect(v.unchunked.arrays.filter((a) => a.mismatches > 0)).toEqual([]);
  if (numChunks > 1) expect(v.unchunked.skipped).toBeUndefined();
  expect(v.passed).toBe(true);
}

describe.each(kCases)('$name', ({ scenario, numChunks }) => {
  gpuTest('on WebGPU', async ({ gpu }) => {
    const outcome = await runScenario(scenario, { backend: 'webgpu', device: gpu.device });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expectExactRun(outcome.report, numChunks);
  });

  gpuTest('on the CPU backend', async () => {
    const outcome = await runScenario(scenario, { backend: 'cpu' });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expectExactRun(outcome.report, numChunks);
  });
});

/** Every runnable example and preset file; f64 ones run on the CPU backend, the only one that takes f64. */
const kExampleRuns = ['', 'presets'].flatMap((folder) =>
  exampleFiles(folder).flatMap(({ file, json }) => {
    const parsed = parseScenario(json);
    if (!parsed.ok) return [];
    const lookup = kernelFor(parsed.scenario);
    if (!lookup.ok || !planScenario(parsed.scenario, planOptionsFor(lookup.kernel)).ok) return [];
    return [{ file: folder ? `${folder}/${file}` : file, scenario: parsed.scenario }];
  }),
);

describe('every example and preset', () => {
  gpuTest.for(kExampleRuns)('$file: the attempt that finishes measures the device and staging peaks it predicted; nothing live', async ({ scenario }, { gpu }) => {
    const backend = scenario.arrays.some((a) => a.dtype === 'f64') ? 'cpu' : 'webgpu';
    const outcome = await runScenario(scenario, { backend, device: await gpu.requestDevice(), requestDevice: gpu.requestDevice, verify: false });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const r = outcome.report;
    expect(r.status).toBe('ok');
    const last = r.attempts.at(-1)!;
    expect(last.measuredPeakBytes).toBe(last.predictedPeakBytes);
    expect(last.measuredStagingPeakBytes).toBe(last.predictedStagingPeakBytes);
    // Attempts a fault stopped held at most what they predicted.
    for (const a of r.attempts) expect(a.measuredStagingPeakBytes).toBeLessThanOrEqual(a.predictedStagingPeakBytes!);
    expect(r.liveBuffersAfter).toBe(0);
  });
});

// Two sets submit chunk i+1 into the other set too, but whether chunk i lands first is then a race.
gpuTest("one buffer set on WebGPU: chunk i+1's kernel is submitted before chunk i lands, so the device does not wait for the host between chunks", async ({ gpu }) => {
  const base = kPlanCases.find((c) => c.name === 'many chunks of 3 runs')!.scenario;
  const scenario = { ...base, planner: { ...base.planner, bufferSets: 1 as const } };
  const outcome = await runScenario(scenario, { backend: 'webgpu', device: gpu.device, verify: false });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const { trace, plan } = outcome.report;
  expect(plan.numChunks).toBeGreaterThan(3);
  const at = (kind: string, chunk: number) => trace.findIndex((e) => e.kind === kind && 'chunk' in e && e.chunk === chunk);
  const chunkEnd = (index: number) => trace.findIndex((e) => e.kind === 'chunk-end' && 'index' in e && e.index === index);
  for (let i = 0; i + 1 < plan.numChunks; i++) {
    expect(at('dispatch', i + 1), `chunk ${i + 1}'s dispatch`).toBeGreaterThan(-1);
    expect(at('dispatch', i + 1), `chunk ${i + 1}'s dispatch before chunk ${i} lands`).toBeLessThan(chunkEnd(i));
  }
  expect(outcome.report.chunksCompleted).toBe(plan.numChunks);
});

describe.each([1, 2] as const)('%i buffer set(s) on WebGPU', (bufferSets) => {
  gpuTest("each chunk's readback is timed from its kernel's submission, or from the writeback before it, so no phase overlaps itself", async ({ gpu }) => {
    const base = kPlanCases.find((c) => c.name === 'many chunks of 3 runs')!.scenario;
    const outcome = await runScenario({ ...base, planner: { ...base.planner, bufferSets } }, { backend: 'webgpu', device: gpu.device, verify: false });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { trace, plan } = outcome.report;
    const phase = (kind: string, chunk: number) => trace.find((e) => e.kind === kind && 'chunk' in e && e.chunk === chunk) as { t: number; ms: number };
    for (let i = 0; i < plan.numChunks; i++) {
      const readback = phase('readback', i);
      expect(readback.t - readback.ms, `chunk ${i}'s readback begins after its dispatch`).toBeGreaterThanOrEqual(phase('dispatch', i).t);
      if (i > 0) expect(readback.t - readback.ms, `chunk ${i}'s readback begins after chunk ${i - 1}'s writeback`).toBeGreaterThanOrEqual(phase('writeback', i - 1).t);
    }
  });
});
