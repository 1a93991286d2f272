// Verification edge cases a review found: f16 fallback with inout arrays, parameters f32 cannot hold.
import { expect, test } from 'vitest';
import { runScenario } from '../../src/engine/index.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { gpuTest } from './gpu-fixture.ts';
import { scenario as parse } from './scenarios.ts';


// Staging lives for the attempt, so every allocation of an attempt comes before its first
// chunk: an out-of-memory takes the f16 rung from the attempt's first run. To take it after
// native chunks finished, a device loss before chunk 1 is retried on a new device first,
// and that attempt's first allocation (the 5th: x, y and two staging buffers before it) fails.
gpuTest.for([
  ...[1, 2, 3, 4].map((onAllocation) => ({ faults: [{ kind: 'out-of-memory' as const, onAllocation }], resumeAt: 0, fallbacks: ['f16'] })),
  {
    faults: [{ kind: 'device-lost' as const, beforeChunk: 1, repeat: false }, { kind: 'out-of-memory' as const, onAllocation: 5 }],
    resumeAt: 375,
    fallbacks: ['retry', 'f16'],
  },
])('the f16 rung from run $resumeAt verifies inout arrays against a twin that reads them as the run left them ($faults.0.kind)', async ({ faults, resumeAt, fallbacks }, { gpu }) => {
  const scenario = parse({
    version: 1,
    runs: 1000,
    arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] }],
    device: { budgetBytes: 3000 },
    kernel: { name: 'axpy', a: 2.5 },
    recovery: { ladder: ['f16'], maxAttempts: 1 },
    faults,
  });
  const outcome = await runScenario(scenario, { backend: 'webgpu', device: await gpu.requestDevice(), requestDevice: gpu.requestDevice });
  if (!outcome.ok) throw new Error(outcome.error.message);
  expect(outcome.report.fallbacks.map((f) => f.to)).toEqual(fallbacks);
  expect(outcome.report.fallbacks.at(-1)?.resumeAt).toBe(resumeAt);
  expect(outcome.report.verification).toMatchObject({ passed: true, twin: { passed: true }, unchunked: { passed: true } });
  expect(outcome.report.verification?.twin.skipped).toBeUndefined();
});

test('a kernel parameter outside f32 is a scenario problem with its path, not a crash', () => {
  const scenario = parse({
    version: 1,
    runs: 10,
    arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] }],
    kernel: { name: 'axpy', a: 1e40 },
  });
  const lookup = kernelFor(scenario);
  expect(lookup.ok).toBe(false);
  if (!lookup.ok) expect(lookup.issues).toContainEqual({ path: 'kernel.a', message: '1e+40 is outside the range of f32 (about ±3.4e38)' });
});
