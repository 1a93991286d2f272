// Faults and fallbacks: out-of-memory at every allocation, lost devices, the f16 and cpu rungs, and an exhausted ladder; nothing finished is lost and nothing stays live.
import { describe, expect } from 'vitest';
import { elementView, type HostArrays } from '../../src/core/host-arrays.ts';
import { planScenario } from '../../src/core/planner.ts';
import type { FaultSpec, Scenario } from '../../src/core/scenario.ts';
import { runScenario, type RunReport } from '../../src/engine/run-scenario.ts';
import { outputNames } from '../../src/engine/verify.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { gpuTest } from './gpu-fixture.ts';
import { example, kPlanCases, scenario as parse } from './scenarios.ts';

const byName = (name: string) => kPlanCases.find((c) => c.name === name)!.scenario;
const kLorenzSmall = byName('lorenz-rk4, two buffer sets');

/** Allocations of a fault-free WebGPU run, from the executor's order: buffers, then staging per upload and readback. */
function allocationsOf(scenario: Scenario): number {
  const kernel = kernelFor(scenario);
  if (!kernel.ok) throw new Error('bad kernel');
  const result = planScenario(scenario, { kernel: { runsPerWorkgroup: kernel.kernel.runsPerWorkgroup } });
  if (!result.ok) throw new Error(result.error.message);
  const plan = result.plan;
  const chunked = (pred: (a: Scenario['arrays'][number]) => boolean) => scenario.arrays.some((a) => a.shape.includes('runs') && pred(a));
  const fixed = (pred: (a: Scenario['arrays'][number]) => boolean) => scenario.arrays.some((a) => !a.shape.includes('runs') && pred(a));
  const uploads = (a: Scenario['arrays'][number]) => a.role === 'input' || a.role === 'inout';
  const readbacks = (a: Scenario['arrays'][number]) => a.role === 'output' || a.role === 'inout';
  const buffers = scenario.arrays.filter((a) => !a.shape.includes('runs')).length + plan.bufferSets * scenario.arrays.filter((a) => a.shape.includes('runs')).length;
  // Fixed outputs come back with every chunk's readback.
  const readsBack = chunked(readbacks) || fixed(readbacks);
  return buffers + Number(fixed(uploads)) + plan.numChunks * (Number(chunked(uploads)) + Number(readsBack));
}

const withFaults = (scenario: Scenario, faults: FaultSpec[], recovery: Partial<Scenario['recovery']> = {}): Scenario => ({
  ...scenario,
  faults,
  recovery: { ...scenario.recovery, ...recovery },
});

/** Index of the first element where two arrays' bytes differ, or −1 (vitest's toEqual is far too slow for millions of elements). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = from; i < to; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSameOutputs(actual: HostArrays, expected: HostArrays, scenario: Scenario, runs = scenario.runs): void {
  for (const name of outputNames(scenario)) {
    const spec = scenario.arrays.find((a) => a.name === name)!;
    if (runs === scenario.runs) {
      expect(firstDifference(actual[name], expected[name]), name).toBe(-1);
      continue;
    }
    // Only runs [0, runs) are done: compare their elements, whatever the chunk axis.
    const axis = spec.shape.indexOf('runs');
    const outer = spec.shape.slice(0, axis).reduce<number>((n, d) => n * (d as number), 1);
    const inner = spec.shape.slice(axis + 1).reduce<number>((n, d) => n * (d as number), 1);
    for (let o = 0; o < outer; o++) {
      const from = o * scenario.runs * inner;
      expect(firstDifference(actual[name], expected[name], from, from + runs * inner), `${name} block ${o}`).toBe(-1);
    }
  }
}

const faultFree = new Map<Scenario, Promise<RunReport>>();
async function reference(scenario: Scenario, device: GPUDevice): Promise<RunReport> {
  // One verified fault-free run per scenario; fault runs are compared with it bit for bit.
  if (!faultFree.has(scenario)) {
    faultFree.set(scenario, runScenario(scenario, { backend: 'webgpu', device }).then((o) => {
      if (!o.ok) throw new Error(o.error.message);
      expect(o.report.verification?.passed).toBe(true);
      return o.report;
    }));
  }
  return faultFree.get(scenario)!;
}

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

describe('device lost', () => {
  gpuTest.for([
    { at: { duringChunk: 0 } },
    { at: { duringChunk: 1 } },
    { at: { duringChunk: 3 } },
    { at: { beforeChunk: 2 } },
  ])('$at: a new device resumes from the first unfinished run', async ({ at }, { gpu }) => {
    const expected = await reference(kLorenzSmall, gpu.device);
    const scenario = withFaults(kLorenzSmall, [{ kind: 'device-lost', repeat: false, ...at }]);
    const outcome = await runScenario(scenario, { backend: 'webgpu', device: await gpu.requestDevice(), requestDevice: gpu.requestDevice, verify: false });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const report = outcome.report;
    expect(report.status).toBe('ok');
    expect(report.backend).toBe('webgpu');
    expect(report.faults).toEqual([expect.objectContaining({ kind: 'device-lost', injected: true })]);
    expect(report.fallbacks.map((f) => f.to)).toEqual(['retry']);
    const chunk = at.duringChunk ?? at.beforeChunk ?? 0;
    expect(report.faults[0]).toMatchObject({ chunk });
    // The chunk before the loss finished; with two buffer sets its readback may finish too.
    expect(report.fallbacks[0].resumeAt).toBeGreaterThanOrEqual(chunk * report.plan.chunkLength - report.plan.chunkLength);
    expect(report.liveBuffersAfter).toBe(0);
    expectSameOutputs(report.outputs, expected.outputs, scenario);
  });

  gpuTest('lost on every attempt: ends on the CPU rung with verified outputs', async ({ gpu }) => {
    const scenario = withFaults(kLorenzSmall, [{ kind: 'device-lost', duringChunk: 0, repeat: true }], { maxAttempts: 1, ladder: ['cpu'] });
    const outcome = await runScenario(scenario, { backend: 'webgpu', device: await gpu.requestDevice(), requestDevice: gpu.requestDevice });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const report = outcome.report;
    expect(report.status).toBe('ok');
    expect(report.backend).toBe('cpu');
    expect(report.fallbacks.map((f) => f.to)).toEqual(['retry', 'cpu']);
    expect(report.faults.map((f) => f.kind)).toEqual(['device-lost', 'device-lost']);
    expect(report.verification?.passed).toBe(true);
    expect(report.liveBuffersAfter).toBe(0);
  });
});

gpuTest('device lost with no way to get another: the ladder goes straight to the CPU', async ({ gpu }) => {
  // One buffer set, so chunk 0 has landed before chunk 1 begins.
  const scenario = withFaults(byName('chunk axis last (strided), no dangling chunk'), [{ kind: 'device-lost', beforeChunk: 1, repeat: false }]);
  const outcome = await runScenario(scenario, { backend: 'webgpu', device: await gpu.requestDevice() });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const report = outcome.report;
  expect(report.status).toBe('ok');
  expect(report.fallbacks.map((f) => [f.from, f.to])).toEqual([['start', 'cpu']]);
  expect(report.attempts.map((a) => [a.backend, a.start])).toEqual([['webgpu', 0], ['cpu', report.plan.chunkLength]]);
  expect(report.verification?.passed).toBe(true);
  expect(report.liveBuffersAfter).toBe(0);
});

describe('device lost on every attempt, default ladder', () => {
  gpuTest('walks shrink, f16 and cpu, and the f16 precision it reports covers the outputs', async ({ gpu }) => {
    const scenario = withFaults(kLorenzSmall, [{ kind: 'device-lost', duringChunk: 0, repeat: true }], { maxAttempts: 1 });
    const outcome = await runScenario(scenario, { backend: 'webgpu', device: await gpu.requestDevice(), requestDevice: gpu.requestDevice });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const report = outcome.report;
    expect(report.status).toBe('ok');
    expect(report.fallbacks.map((f) => f.to)).toEqual(['retry', 'shrink', 'retry', 'f16', 'retry', 'cpu']);
    expect(report.attempts.at(-1)).toMatchObject({ backend: 'cpu', precision: 'f16' });
    expect(report.verification?.passed).toBe(true);
    expect(report.verification?.precisionLoss?.maxAbsError).toBeGreaterThan(0);
    expect(report.liveBuffersAfter).toBe(0);
  });
});

gpuTest('a fault the ladder cannot absorb ends with a structured error and the finished runs kept', async ({ gpu }) => {
  const base = byName('chunk axis last (strided), no dangling chunk');
  const expected = await reference(base, gpu.device);
  const scenario = withFaults(base, [
    { kind: 'out-of-memory', onAllocation: 6 },
    { kind: 'out-of-memory', onAllocation: 12 },
  ], { ladder: ['shrink'], maxAttempts: 1 });
  const outcome = await runScenario(scenario, { backend: 'webgpu', device: gpu.device });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const report = outcome.report;
  expect(report.status).toBe('ladder-exhausted');
  expect(report.error).toMatchObject({ code: 'LADDER_EXHAUSTED', runsDone: 150 });
  expect(report.error?.message).toMatch(/no rung of the ladder \[shrink\]/);
  expect(report.runsDone).toBe(150);
  expect(report.fallbacks.map((f) => [f.to, f.chunkLengthBefore, f.chunkLengthAfter])).toEqual([['shrink', 100, 50]]);
  expect(report.liveBuffersAfter).toBe(0);
  expect(report.verification).toBeUndefined();
  expectSameOutputs(report.outputs, expected.outputs, scenario, 150);
});

gpuTest('the f16 rung halves the peak and agrees with f32 within the error it reports', async ({ gpu }) => {
  const base = parse({
    ...kLorenzSmall,
    planner: { headroom: 0, bufferSets: 1 },
    faults: [],
  });
  const f32 = await reference(base, gpu.device);
  const stateBytes = Number(f32.plan.arrays.find((a) => a.name === 'state')!.bytes);
  const scenario = withFaults(base, [{ kind: 'out-of-memory', aboveBytes: Math.floor(stateBytes * 0.75) }], { ladder: ['f16'] });
  const outcome = await runScenario(scenario, { backend: 'webgpu', device: gpu.device });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const report = outcome.report;
  expect(report.status).toBe('ok');
  expect(report.fallbacks.map((f) => f.to)).toEqual(['f16']);
  const f16Attempt = report.attempts.at(-1)!;
  expect(f16Attempt.precision).toBe('f16');
  expect(f16Attempt.measuredPeakBytes).toBe(f16Attempt.predictedPeakBytes);
  expect(f16Attempt.measuredPeakBytes).toBeLessThan(f32.peak.measuredBytes);
  const v = report.verification!;
  expect(v, JSON.stringify(v)).toMatchObject({ passed: true });
  expect(v.precisionLoss!.maxAbsError).toBeGreaterThan(0);
  for (const name of outputNames(base)) {
    const dtype = base.arrays.find((a) => a.name === name)!.dtype;
    const a = elementView(report.outputs[name], dtype);
    const e = elementView(f32.outputs[name], dtype);
    let maxAbs = 0;
    for (let i = 0; i < a.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a.get(i) - e.get(i)));
    expect(maxAbs, name).toBeLessThanOrEqual(v.precisionLoss!.maxAbsError);
  }
  expect(report.liveBuffersAfter).toBe(0);
});
