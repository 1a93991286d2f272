// Verification edge cases a review found: f16 fallback with inout arrays, parameters f32 cannot hold.
import { expect, test } from 'vitest';
import { runScenario } from '../../src/engine/index.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { gpuTest } from './gpu-fixture.ts';
import { scenario as parse } from './scenarios.ts';


gpuTest('the f16 rung, taken before or after finished chunks, verifies inout arrays against a twin that reads them as the run left them', async ({ gpu }) => {
  const resumedAt: number[] = [];
  for (let onAllocation = 1; onAllocation <= 8; onAllocation++) {
    const scenario = parse({
      version: 1,
      runs: 1000,
      arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] }],
      device: { budgetBytes: 3000 },
      kernel: { name: 'axpy', a: 2.5 },
      recovery: { ladder: ['f16'] },
      faults: [{ kind: 'out-of-memory', onAllocation }],
    });
    const outcome = await runScenario(scenario, { backend: 'webgpu', device: await gpu.requestDevice() });
    if (!outcome.ok || outcome.report.fallbacks.length === 0) continue;
    expect(outcome.report.fallbacks.map((f) => f.to)).toEqual(['f16']);
    expect(outcome.report.verification).toMatchObject({ passed: true, twin: { passed: true }, unchunked: { passed: true } });
    expect(outcome.report.verification?.twin.skipped).toBeUndefined();
    resumedAt.push(outcome.report.fallbacks[0].resumeAt);
  }
  // Both kinds of case were reached: f16 from the first run, and f16 after native chunks finished.
  expect(resumedAt).toContain(0);
  expect(resumedAt.some((run) => run > 0)).toBe(true);
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
