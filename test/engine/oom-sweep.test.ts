// Out of memory injected at every allocation index of the fault-free run, one index at a time, for the default example and two others: every run recovers with its outputs intact and nothing live.
import { describe, expect } from 'vitest';
import { runScenario } from '../../src/engine/run-scenario.ts';
import { allocationsOf, byName, expectSameOutputs, reference, withFaults } from './fault-helpers.ts';
import { gpuTest } from './gpu-fixture.ts';
import { example } from './scenarios.ts';

describe.each([
  { name: 'default example', scenario: example('lorenz-batch.json') },
  { name: 'fixed arrays', scenario: byName('fixed input, output and inout arrays') },
  { name: 'two buffer sets', scenario: byName('two buffer sets') },
])('out of memory at every allocation: $name', ({ scenario }) => {
  const count = allocationsOf(scenario);

  gpuTest('the fault-free run makes the allocations counted here', async ({ gpu }) => {
    const report = await reference(scenario, gpu.device);
    expect(report.trace.filter((e) => e.kind === 'alloc')).toHaveLength(count);
  });

  gpuTest.for(Array.from({ length: count }, (_, i) => i + 1))('on allocation %i: recovers with every output intact', async (n, { gpu }) => {
    const expected = await reference(scenario, gpu.device);
    const outcome = await runScenario(withFaults(scenario, [{ kind: 'out-of-memory', onAllocation: n }]), { backend: 'webgpu', device: gpu.device, verify: false });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const report = outcome.report;
    expect(report.status).toBe('ok');
    expect(report.faults).toEqual([expect.objectContaining({ kind: 'oom', source: 'injected' })]);
    expect(report.fallbacks.map((f) => f.to)).toEqual(['shrink']);
    expect(report.fallbacks[0].chunkLengthAfter).toBeLessThan(report.fallbacks[0].chunkLengthBefore);
    expect(report.liveBuffersAfter).toBe(0);
    expectSameOutputs(report.outputs, expected.outputs, scenario);
  });
});

