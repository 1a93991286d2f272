// Runs the default scenario and the scenario table on real WebGPU (Dawn + SwiftShader) and on the CPU backend: outputs equal the CPU twin, chunked equals one chunk, measured peak equals predicted, nothing live afterwards.
import { describe, expect } from 'vitest';
import { runScenario, type RunReport } from '../../src/engine/run-scenario.ts';
import { gpuTest } from './gpu-fixture.ts';
import { example, kPlanCases } from './scenarios.ts';

const kCases = [{ name: 'default example (lorenz-batch.json)', scenario: example('lorenz-batch.json'), numChunks: 3 }, ...kPlanCases];

function expectExactRun(report: RunReport, numChunks: number): void {
  expect(report.status).toBe('ok');
  expect(report.plan.numChunks).toBe(numChunks);
  expect(report.chunksCompleted).toBe(numChunks);
  expect(report.runsDone).toBe(report.plan.runs);
  expect(BigInt(report.peak.measuredBytes)).toBe(report.peak.predictedBytes);
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
