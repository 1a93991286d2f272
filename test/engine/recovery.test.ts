// Faults and fallbacks: lost devices, the f16 and cpu rungs, and an exhausted ladder; nothing finished is lost and nothing stays live.
import { describe, expect } from 'vitest';
import { elementView } from '../../src/core/host-arrays.ts';
import { planScenario } from '../../src/core/planner.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import { outputNames } from '../../src/engine/verify.ts';
import { byName, expectSameOutputs, kLorenzSmall, reference, withFaults } from './fault-helpers.ts';
import { gpuTest } from './gpu-fixture.ts';
import { scenario as parse } from './scenarios.ts';

const kLorenzSmallPlan = (() => {
  const planned = planScenario(kLorenzSmall);
  if (!planned.ok) throw new Error(planned.error.message);
  return planned.plan;
})();

describe('device lost', () => {
  gpuTest.for(([1, 2] as const).flatMap((bufferSets) => [
    { bufferSets, at: { duringChunk: 0 } },
    { bufferSets, at: { duringChunk: 1 } },
    { bufferSets, at: { duringChunk: 3 } },
    { bufferSets, at: { beforeChunk: 2 } },
  ]))('$bufferSets set(s), $at: a new device resumes from the first unfinished run', async ({ bufferSets, at }, { gpu }) => {
    // One set with half the budget past the fixed arrays plans the same chunks.
    const fixed = Number(kLorenzSmallPlan.fixedBytes);
    const budgetBytes = bufferSets === 2 ? kLorenzSmall.device.budgetBytes : fixed + (kLorenzSmall.device.budgetBytes - fixed) / 2;
    const base = { ...kLorenzSmall, device: { ...kLorenzSmall.device, budgetBytes }, planner: { ...kLorenzSmall.planner, bufferSets } };
    const expected = await reference(base, gpu.device);
    const scenario = withFaults(base, [{ kind: 'device-lost', repeat: false, ...at }]);
    const outcome = await runScenario(scenario, { backend: 'webgpu', device: await gpu.requestDevice(), requestDevice: gpu.requestDevice, verify: false });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const report = outcome.report;
    expect(report.status).toBe('ok');
    expect(report.backend).toBe('webgpu');
    expect(report.faults).toEqual([expect.objectContaining({ kind: 'device-lost', injected: true })]);
    expect(report.fallbacks.map((f) => f.to)).toEqual(['retry']);
    const chunk = at.duringChunk ?? at.beforeChunk ?? 0;
    expect(report.faults[0]).toMatchObject({ chunk });
    // A loss before or during chunk k strikes once the chunks before it have landed, though
    // they overlap chunk k on the device; chunk k itself never finishes.
    expect(report.plan.numChunks).toBe(4);
    expect(report.fallbacks[0].resumeAt).toBe(chunk * report.attempts[0].chunkLength);
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
  // Staging buffers live for the attempt, so every allocation comes before its first chunk:
  // a fault after finished chunks is a lost device. Attempt 1 fails on its first allocation
  // and shrinks 100 → 50; attempt 2 (allocations 2–5) finishes chunks 0–2, then loses its
  // device, and with no new one to be had the ladder [shrink] has nothing left.
  const scenario = withFaults(base, [
    { kind: 'out-of-memory', onAllocation: 1 },
    { kind: 'device-lost', beforeChunk: 3, repeat: false },
  ], { ladder: ['shrink'], maxAttempts: 1 });
  const outcome = await runScenario(scenario, { backend: 'webgpu', device: await gpu.requestDevice() });
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
    const a = elementView(report.outputs![name], dtype);
    const e = elementView(f32.outputs![name], dtype);
    let maxAbs = 0;
    for (let i = 0; i < a.length; i++) maxAbs = Math.max(maxAbs, Math.abs(a.get(i) - e.get(i)));
    expect(maxAbs, name).toBeLessThanOrEqual(v.precisionLoss!.maxAbsError);
  }
  expect(report.liveBuffersAfter).toBe(0);
});
