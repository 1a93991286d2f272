// The tracked allocator: alloc/free records, the budget and limits it enforces, and real and simulated WebGPU allocation errors taking one path.
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../src/core/scenario.ts';
import { summarizeTrace, TraceRecorder } from '../../src/core/trace.ts';
import { hostMemory, TrackedAllocator, webgpuMemory } from '../../src/engine/allocator.ts';
import { AllocationError } from '../../src/engine/errors.ts';
import { FaultInjector } from '../../src/engine/faults.ts';
import { kBufferUsage } from '../../src/engine/gpu-flags.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import { gpuTest } from './gpu-fixture.ts';

const kLimits = { maxBufferSize: 1000, maxStorageBufferBindingSize: 600 };
const storage = (label: string, size: number) => ({ label, size, usage: kBufferUsage.STORAGE | kBufferUsage.COPY_DST, usageClass: 'storage' as const });

async function failure(promise: Promise<unknown>): Promise<AllocationError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AllocationError);
  return err as AllocationError;
}

describe('on host memory', () => {
  test('records alloc and free, and tracks live device bytes apart from staging', async () => {
    const trace = new TraceRecorder();
    const allocator = new TrackedAllocator(hostMemory(), { budgetBytes: 1000, limits: kLimits }, trace);
    const a = await allocator.allocate(storage('a', 400));
    await allocator.allocate({ label: 'stage', size: 900, usage: 0, usageClass: 'staging' });
    const b = await allocator.allocate(storage('b', 600));
    expect(allocator.deviceBytes).toBe(1000);
    allocator.free(a);
    allocator.free(a);
    expect(allocator.deviceBytes).toBe(600);
    await allocator.freeAll();
    expect(allocator.live).toEqual([]);
    const summary = summarizeTrace(trace.events);
    expect(summary.peakBytes).toBe(1000);
    expect(summary.peakSetBy?.label).toBe(b.label);
    expect(summary.stagingPeakBytes).toBe(900);
    expect(summary.liveAfter).toEqual([]);
    expect(trace.events.filter((e) => e.kind === 'free')).toHaveLength(3);
  });

  test.each([
    { name: 'over the budget is out of memory', sizes: [600, 500], kind: 'oom', source: 'budget' },
    { name: 'over maxBufferSize is a validation error', sizes: [1001], kind: 'validation-error', source: 'limit' },
  ])('$name', async ({ sizes, kind, source }) => {
    const trace = new TraceRecorder();
    const allocator = new TrackedAllocator(hostMemory(), { budgetBytes: 1000, limits: kLimits }, trace);
    for (const size of sizes.slice(0, -1)) await allocator.allocate(storage(`ok ${size}`, size));
    const err = await failure(allocator.allocate(storage('too big', sizes.at(-1)!)));
    expect({ kind: err.kind, source: err.source, label: err.label }).toEqual({ kind, source, label: 'too big' });
    expect(trace.events.at(-1)).toMatchObject({ kind, label: 'too big', bytes: sizes.at(-1), source });
    expect(allocator.live).toHaveLength(sizes.length - 1);
  });

  test('a binding over maxStorageBufferBindingSize is a validation error', async () => {
    const allocator = new TrackedAllocator(hostMemory(), { budgetBytes: 1000, limits: kLimits }, new TraceRecorder());
    const big = await allocator.allocate(storage('big', 700));
    expect(() => allocator.checkBinding(big)).toThrow(/over maxStorageBufferBindingSize/);
  });

  test.each([
    { faults: [{ kind: 'out-of-memory' as const, onAllocation: 2 }], failsAt: [2], kind: 'oom' },
    { faults: [{ kind: 'validation-error' as const, onAllocation: 3 }], failsAt: [3], kind: 'validation-error' },
    { faults: [{ kind: 'out-of-memory' as const, aboveBytes: 100 }], failsAt: [2, 4], kind: 'oom' },
  ])('injected $kind fails allocations $failsAt', async ({ faults, failsAt, kind }) => {
    const allocator = new TrackedAllocator(hostMemory(), { budgetBytes: 10_000, limits: { ...kLimits, maxBufferSize: 10_000 } }, new TraceRecorder(), new FaultInjector(faults));
    const failed: number[] = [];
    for (const [i, size] of [50, 200, 50, 300].entries()) {
      const outcome = await allocator.allocate(storage(`#${i + 1}`, size)).then(() => null, (e: AllocationError) => e);
      if (outcome) {
        expect({ kind: outcome.kind, source: outcome.source }).toEqual({ kind, source: 'injected' });
        failed.push(i + 1);
      }
    }
    expect(failed).toEqual(failsAt);
  });
});

describe('on WebGPU', () => {
  gpuTest('an allocation over the simulated budget fails as out of memory before touching the device', async ({ gpu }) => {
    const memory = webgpuMemory(gpu.device);
    let created = 0;
    const counting = { ...memory, create: (request: Parameters<typeof memory.create>[0]) => (created++, memory.create(request)) };
    const trace = new TraceRecorder();
    const allocator = new TrackedAllocator(counting, { budgetBytes: 1500, limits: kLimits }, trace);
    await allocator.allocate(storage('first', 1000));
    const err = await failure(allocator.allocate(storage('over', 1000)));
    expect({ code: err.code, kind: err.kind, source: err.source }).toEqual({ code: 'OUT_OF_MEMORY', kind: 'oom', source: 'budget' });
    expect(created).toBe(1);
    expect(trace.events.at(-1)).toMatchObject({ kind: 'oom', label: 'over', bytes: 1000, source: 'budget' });
    await allocator.freeAll();
    expect(summarizeTrace(trace.events).liveAfter).toEqual([]);
  });

  gpuTest('a real GPUOutOfMemoryError is caught and reported the same way, using no memory', async ({ gpu }) => {
    // DESIGN.md: with the adapter's 1 GiB maxBufferSize, 1 073 741 812 B fails at once on SwiftShader.
    const size = 1_073_741_812;
    expect(gpu.device.limits.maxBufferSize).toBeGreaterThanOrEqual(size);
    const trace = new TraceRecorder();
    const limits = { maxBufferSize: gpu.device.limits.maxBufferSize, maxStorageBufferBindingSize: gpu.device.limits.maxStorageBufferBindingSize };
    const allocator = new TrackedAllocator(webgpuMemory(gpu.device), { budgetBytes: 2 ** 31, limits }, trace);
    const err = await failure(allocator.allocate(storage('huge', size)));
    expect({ code: err.code, kind: err.kind, source: err.source, bytes: err.bytes }).toEqual({ code: 'OUT_OF_MEMORY', kind: 'oom', source: 'device', bytes: size });
    expect(err.message).toMatch(/OUT_OF_DEVICE_MEMORY|out of memory/i);
    expect(trace.events).toEqual([expect.objectContaining({ kind: 'oom', label: 'huge', source: 'device' })]);
    expect(allocator.live).toEqual([]);
    // The device still works afterwards.
    const ok = await allocator.allocate(storage('small', 256));
    allocator.free(ok);
    await allocator.freeAll();
    expect(gpu.uncaptured).toEqual([]);
  });
});

gpuTest('a real out-of-memory during a run goes down the ladder like a simulated one, and the process carries on', async ({ gpu }) => {
  const size = 1_073_741_812;
  const result = parseScenario({
    version: 1, runs: 64,
    arrays: [
      { name: 'x', role: 'input', dtype: 'u32', shape: ['runs'] },
      // Fixed and scratch: neither uploaded nor read back, so the host never needs its gigabyte.
      { name: 'huge', role: 'scratch', dtype: 'u32', shape: [size / 4] },
      { name: 'y', role: 'output', dtype: 'u32', shape: ['runs'] },
    ],
    device: { budgetBytes: 2 ** 31, limits: { maxBufferSize: gpu.device.limits.maxBufferSize, maxStorageBufferBindingSize: gpu.device.limits.maxStorageBufferBindingSize } },
    recovery: { ladder: ['shrink'], maxAttempts: 1 },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const inputs = { x: new Uint32Array(64), huge: new Uint32Array(0), y: new Uint32Array(64) };
  const outcome = await runScenario(result.scenario, { backend: 'webgpu', device: gpu.device, inputs });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const report = outcome.report;
  expect(report.status).toBe('ladder-exhausted');
  expect(report.faults.map((f) => f.kind === 'oom' && [f.label, f.source])).toEqual([
    [`huge (fixed, ${size} B)`, 'device'],
    [`huge (fixed, ${size} B)`, 'device'],
  ]);
  expect(report.fallbacks.map((f) => f.to)).toEqual(['shrink']);
  expect(report.error).toMatchObject({ code: 'LADDER_EXHAUSTED', runsDone: 0 });
  expect(report.liveBuffersAfter).toBe(0);
});
