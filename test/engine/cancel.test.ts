// Progress and cancel, as the UI's worker uses them; and the errors that end a run on the WebGPU backend without a fault to recover from.
import { describe, expect } from 'vitest';
import { HostMemory } from '../../src/engine/host-memory.ts';
import { kDiscardOutputs } from '../../src/engine/output-sink.ts';
import { RunHost } from '../../src/engine/run-host.ts';
import { planScenario } from '../../src/core/planner.ts';
import { summarizeTrace, TraceRecorder } from '../../src/core/trace.ts';
import { EngineError } from '../../src/engine/errors.ts';
import { FaultInjector } from '../../src/engine/faults.ts';
import { runScenario, type RunProgress } from '../../src/engine/run-scenario.ts';
import { WebGpuExecutor } from '../../src/engine/webgpu-executor.ts';
import type { Kernel } from '../../src/kernels/kernel.ts';
import { kTouchKernel } from '../../src/kernels/touch.ts';
import { gpuTest } from './gpu-fixture.ts';
import { kPlanCases, scenario } from './scenarios.ts';

const kMany = kPlanCases.find((c) => c.name === 'many chunks of 3 runs')!.scenario;

describe.each(['webgpu', 'cpu'] as const)('on %s', (backend) => {
  gpuTest('progress is reported after every chunk, in order', async ({ gpu }) => {
    const progress: RunProgress[] = [];
    const outcome = await runScenario(kMany, { backend, device: gpu.device, verify: false, onProgress: (p) => progress.push(p) });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(progress.map((p) => p.runsDone)).toEqual(Array.from({ length: 34 }, (_, i) => Math.min(100, (i + 1) * 3)));
    expect(progress.every((p) => p.runs === 100 && p.backend === backend && p.attempt === 1)).toBe(true);
  });

  gpuTest('cancel stops the run with finished runs kept and no buffer live', async ({ gpu }) => {
    const controller = new AbortController();
    const outcome = await runScenario(kMany, {
      backend,
      device: gpu.device,
      signal: controller.signal,
      onProgress: (p) => p.runsDone >= 9 && controller.abort(),
    });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const report = outcome.report;
    expect(report.status).toBe('cancelled');
    expect(report.error).toMatchObject({ code: 'CANCELLED', runsDone: 9 });
    expect(report.liveBuffersAfter).toBe(0);
    expect(report.verification).toBeUndefined();
  });
});

gpuTest('f64 on WebGPU ends with a plain-words error', async ({ gpu }) => {
  const outcome = await runScenario(
    scenario({ version: 1, runs: 4, arrays: [{ name: 'x', role: 'input', dtype: 'f64', shape: ['runs'] }, { name: 'y', role: 'output', dtype: 'f32', shape: ['runs'] }] }),
    { backend: 'webgpu', device: gpu.device },
  );
  if (!outcome.ok) throw new Error(outcome.error.message);
  expect(outcome.report.status).toBe('error');
  expect(outcome.report.error?.code).toBe('F64_ON_WEBGPU');
  expect(outcome.report.error?.message).toMatch(/array "x" is f64, and WGSL has no 64-bit float type, so f64 runs on the CPU backend only/);
});

gpuTest('more arrays than the device binds ends with a clear error', async ({ gpu }) => {
  const max = gpu.device.limits.maxStorageBuffersPerShaderStage;
  const arrays = Array.from({ length: max + 1 }, (_, i) => ({ name: `a${i}`, role: i ? 'output' : 'input', dtype: 'u32', shape: ['runs'] }));
  const outcome = await runScenario(scenario({ version: 1, runs: 4, arrays }), { backend: 'webgpu', device: gpu.device });
  if (!outcome.ok) throw new Error(outcome.error.message);
  expect(outcome.report.error?.code).toBe('TOO_MANY_BINDINGS');
  expect(outcome.report.error?.message).toContain(`the scenario has ${max + 1} arrays but this device binds at most ${max} storage buffers`);
});

gpuTest('a kernel that does not compile ends the attempt with its compiler messages and nothing live', async ({ gpu }) => {
  const s = scenario({ version: 1, runs: 4, arrays: [{ name: 'y', role: 'output', dtype: 'u32', shape: ['runs'] }] });
  const planned = planScenario(s);
  if (!planned.ok) throw new Error(planned.error.message);
  const broken: Kernel = { ...kTouchKernel, name: 'broken', wgsl: () => '@compute @workgroup_size(64) fn main() { let x: u32 = 1.5; }' };
  const trace = new TraceRecorder();
  const err = await new WebGpuExecutor(gpu.device).execute({
    scenario: s, plan: planned.plan, start: 0, kernel: broken, host: new RunHost({ scenario: s, kernel: broken, sink: kDiscardOutputs, memory: new HostMemory() }),
    trace, faults: new FaultInjector([]), budgetBytes: s.device.budgetBytes, onChunkDone: () => {},
  }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe('KERNEL_COMPILE');
  expect((err as EngineError).message).toMatch(/the broken kernel does not compile[\s\S]*line \d+/);
  expect(summarizeTrace(trace.events).liveAfter).toEqual([]);
});
