// prepareWorkload: lane caps, each job's budget, placement by weight, every job through prepareRun, a scenario as one job.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { planTrafficBytes } from '../../src/core/plan-traffic.ts';
import { summarizeTrace } from '../../src/core/trace.ts';
import { prepareRun, runPrepared } from '../../src/engine/run-scenario.ts';
import { prepareWorkload } from '../../src/engine/prepare-workload.ts';
import { gpuTest } from './gpu-fixture.ts';

const lorenz = JSON.parse(readFileSync(new URL('../../examples/lorenz-batch.json', import.meta.url), 'utf8'));
const touch = (runs: number, budgetBytes?: number) => ({
  version: 1,
  runs,
  arrays: [
    { name: 'x', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
    { name: 'k', role: 'input', dtype: 'f32', shape: [5] },
    { name: 'y', role: 'output', dtype: 'f32', shape: [2, 'runs'] },
    { name: 'f', role: 'output', dtype: 'u32', shape: [3] },
  ],
  ...(budgetBytes !== undefined && { device: { budgetBytes } }),
});

describe('prepareWorkload', () => {
  test('a scenario is a workload of one job with the very plan prepareRun gives', () => {
    const prepared = prepareWorkload(lorenz);
    const alone = prepareRun(lorenz);
    expect(prepared.ok && alone.ok).toBe(true);
    if (!prepared.ok || !alone.ok) return;
    expect(prepared.workload.jobs).toHaveLength(1);
    expect(prepared.workload.jobs[0].run!.plan).toEqual(alone.run.plan);
    expect(prepared.workload.caps[0].capBytes).toBe(alone.run.scenario.device.budgetBytes);
    expect(prepared.workload.overCommit).toBeUndefined();
  });

  test('a job plans within its own budget, else its lane cap; the plan says when budgets over-commit the device', () => {
    const prepared = prepareWorkload({
      version: 1,
      kind: 'workload',
      device: { budgetBytes: 10_000 },
      lanes: [{ name: 'a', share: 0.25 }, { name: 'b', share: 'auto' }],
      placement: 'in-order',
      jobs: [{ name: 'own', scenario: touch(1000, 8000) }, { name: 'capped', scenario: touch(1000) }],
    });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    const [own, capped] = prepared.workload.jobs;
    expect([own.lane, own.budgetBytes, own.budgetFrom]).toEqual([0, 8000, 'scenario']);
    expect([capped.lane, capped.budgetBytes, capped.budgetFrom]).toEqual([1, 7500, 'lane']);
    expect(own.run!.plan.budgetBytes).toBe(8000n);
    expect(capped.run!.plan.budgetBytes).toBe(7500n);
    // The same plan prepareRun gives the scenario on that budget: one source of truth.
    const direct = prepareRun({ ...touch(1000), device: { budgetBytes: 7500 } });
    expect(direct.ok && direct.run.plan).toEqual(capped.run!.plan);
    expect(prepared.workload.overCommit).toEqual({ lanesBudgetBytes: 15_500, deviceBudgetBytes: 10_000 });
  });

  test('weights: given, else the bytes the scenario moves; lpt places by them', () => {
    const prepared = prepareWorkload({
      version: 1, kind: 'workload', device: { budgetBytes: 1 << 20 }, lanes: 2,
      jobs: [{ name: 'small', scenario: touch(10) }, { name: 'big', scenario: touch(1000) }, { name: 'given', weight: 25_000 }],
    });
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    const [small, big, given] = prepared.workload.jobs;
    // 3 + 2 floats up and back per run, the fixed input once and the fixed output once.
    expect(small.weight).toBe(10 * 20 + 20 + 12);
    expect(big.weight).toBe(1000 * 20 + 20 + 12);
    expect([small.weightFrom, given.weightFrom]).toEqual(['plan', 'given']);
    expect(prepared.workload.placement.laneOf).toEqual([1, 1, 0]);
  });

  gpuTest('the bytes a plan moves are the upload and readback bytes its WebGPU run records', async ({ gpu }) => {
    const prepared = prepareRun(touch(1001, 2000));
    if (!prepared.ok) throw new Error(prepared.error.message);
    expect(prepared.run.plan.numChunks).toBeGreaterThan(2);
    const outcome = await runPrepared(prepared.run, { backend: 'webgpu', device: gpu.device, verify: false });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { phaseBytes } = summarizeTrace(outcome.report.trace);
    expect(Number(planTrafficBytes(prepared.run.plan))).toBe(phaseBytes.upload + phaseBytes.readback);
  });

  test('a job without a plan, and a job with a bad scenario, are named with their paths', () => {
    const infeasible = prepareWorkload({ version: 1, kind: 'workload', device: { budgetBytes: 16 }, jobs: [{ name: 'j', scenario: touch(10) }] });
    expect(!infeasible.ok && infeasible.error).toMatchObject({ code: 'FIXED_EXCEEDS_BUDGET', path: 'jobs[0].scenario', job: 'j' });
    const bad = prepareWorkload({ version: 1, kind: 'workload', jobs: [{ name: 'j', scenario: { ...touch(10), kernel: { name: 'nope' } } }] });
    expect(!bad.ok && bad.error).toMatchObject({ code: 'INVALID_WORKLOAD', path: 'jobs[0].scenario.kernel.name' });
    const shares = prepareWorkload({ version: 1, kind: 'workload', lanes: [{ name: 'a', share: 0.6 }, { name: 'b', share: 0.6 }], jobs: [{ name: 'j', weight: 1 }] });
    expect(!shares.ok && shares.error.code).toBe('SHARES_EXCEED_DEVICE');
  });
});

describe('prepareWorkload on any input', () => {
  test('lanes and jobs named after built-in object keys are plain names', () => {
    const workload = JSON.parse(JSON.stringify({
      version: 1, kind: 'workload', device: { budgetBytes: 1 << 20 },
      lanes: [{ name: '__proto__', share: 0.5 }, { name: 'constructor', share: 'auto' }],
      jobs: [{ name: 'toString', lane: 'constructor', scenario: touch(10) }, { name: 'hasOwnProperty', lane: '__proto__', weight: 3 }, { name: 'valueOf', weight: 1 }],
    }));
    const prepared = prepareWorkload(workload);
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.workload.jobs.map((j) => j.lane)).toEqual([1, 0, 0]);
    expect(prepared.workload.caps.map((c) => c.capBytes)).toEqual([524_288, 524_288]);
  });

  test('any value yields a prepared workload or an error with a code, never an exception', () => {
    const scenarioLike = fc.record({ version: fc.constant(1), runs: fc.integer({ min: -1, max: 50 }), arrays: fc.constant(touch(1).arrays), device: fc.anything() }, { requiredKeys: [] });
    const job = fc.record({ name: fc.constantFrom('a', 'b', '__proto__', 'constructor'), lane: fc.constantFrom('x', 'toString', '__proto__'), weight: fc.anything(), scenario: fc.oneof(scenarioLike, fc.anything()) }, { requiredKeys: ['name'] });
    const workload = fc.record({
      version: fc.constant(1), kind: fc.constant('workload'),
      lanes: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.array(fc.record({ name: fc.constantFrom('x', 'toString', '__proto__'), share: fc.oneof(fc.constant('auto'), fc.double()) }), { maxLength: 3 })),
      jobs: fc.array(job, { maxLength: 4 }),
      device: fc.oneof(fc.anything(), fc.record({ budgetBytes: fc.integer({ min: 0, max: 1 << 20 }) })),
    }, { requiredKeys: ['kind'] });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), workload), (input) => {
        const prepared = prepareWorkload(JSON.parse(JSON.stringify(input ?? null) ?? 'null'));
        if (!prepared.ok) expect(prepared.error.code).toEqual(expect.any(String));
      }),
      { numRuns: 1500, seed: 15 },
    );
  });
});
