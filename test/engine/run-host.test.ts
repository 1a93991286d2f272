// The streaming host side: host bytes held stay within a small multiple of a chunk (counted where host buffers are made), the host budget refuses with the bytes it needs, and the chunked = unchunked check covers a sample it names and fails when chunking changes results.
import { describe, expect, test } from 'vitest';
import type { Scenario } from '../../src/core/scenario.ts';
import { HostMemory } from '../../src/engine/host-memory.ts';
import { hostBytes, hostParts } from '../../src/engine/host-budget.ts';
import { prepareRun, runPrepared, type PreparedRun, type RunOptions } from '../../src/engine/run-scenario.ts';
import { checksEveryRun, kSampleRuns } from '../../src/engine/run-sample.ts';
import { kTouchKernel } from '../../src/kernels/touch.ts';
import type { Kernel } from '../../src/kernels/kernel.ts';
import { gpuTest } from './gpu-fixture.ts';
import { scenario as parse } from './scenarios.ts';

/** A batch 80 times its chunk, checked on a sample (as a run over 64 MiB is; a small threshold keeps the test quick). */
const kLarge = parse({
  version: 1,
  runs: 20000,
  arrays: [
    { name: 'x', role: 'input', dtype: 'f32', shape: [32, 'runs'] },
    { name: 'y', role: 'output', dtype: 'f32', shape: ['runs', 32] },
    { name: 'fixed_in', role: 'input', dtype: 'u32', shape: [8] },
  ],
  device: { budgetBytes: 64 * 1024 },
});
const kSampled = { checkEveryRunBytes: 0 };
const kOutputBytes = 20000 * 32 * 4;

function prepared(s: Scenario): PreparedRun {
  const result = prepareRun(s);
  if (!result.ok) throw new Error(result.error.message);
  return result.run;
}

async function run(p: PreparedRun, options: RunOptions) {
  const outcome = await runPrepared(p, options);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.report;
}

describe('host bytes', () => {
  test('the case: 79 chunks, outputs 40 times a chunk', () => {
    const p = prepared(kLarge);
    expect(checksEveryRun(kLarge, 0)).toBe(false);
    expect(p.plan.numChunks).toBe(79);
    expect(kOutputBytes).toBeGreaterThan(39 * Number(p.plan.predictedPeakBytes));
  });

  test.each([['discard'], ['memory']] as const)('CPU backend, outputs %s: host bytes held are what was predicted, and within 3 chunks unless every output is kept', async (outputs) => {
    const p = prepared(kLarge);
    const memory = new HostMemory();
    const report = await run(p, { backend: 'cpu', outputs, hostMemory: memory, ...kSampled });
    expect(report.status).toBe('ok');
    expect(report.verification?.passed).toBe(true);
    const chunkBytes = Number(p.plan.predictedPeakBytes);
    const counted = hostBytes(hostParts(p, { backend: 'cpu', keepOutputs: outputs === 'memory', verify: true, ...kSampled }).filter((part) => part.counted));
    expect(memory.peakBytes).toBeGreaterThan(0);
    expect(memory.peakBytes).toBeLessThanOrEqual(counted);
    if (outputs === 'discard') expect(memory.peakBytes).toBeLessThanOrEqual(3 * chunkBytes);
    // Kept in memory, every output of every run is held: the counter sees it.
    else expect(memory.peakBytes).toBeGreaterThanOrEqual(kOutputBytes);
  });

  gpuTest('WebGPU, two buffer sets: host bytes held stay within 3 chunks', async ({ gpu }) => {
    const s: Scenario = { ...kLarge, planner: { headroom: 0, bufferSets: 2 } };
    const p = prepared(s);
    const memory = new HostMemory();
    const report = await run(p, { backend: 'webgpu', device: gpu.device, outputs: 'discard', hostMemory: memory, ...kSampled });
    expect(report.status).toBe('ok');
    expect(report.verification?.passed).toBe(true);
    expect(memory.peakBytes).toBeLessThanOrEqual(3 * Number(p.plan.predictedPeakBytes));
  });

  gpuTest('after the f16 fallback (inputs made in f32, then stored as f16) host bytes still stay within 3 chunks', async ({ gpu }) => {
    const s: Scenario = { ...kLarge, recovery: { ...kLarge.recovery, ladder: ['f16'] }, faults: [{ kind: 'out-of-memory', onAllocation: 1 }] };
    const p = prepared(s);
    const memory = new HostMemory();
    const report = await run(p, { backend: 'webgpu', device: gpu.device, outputs: 'discard', hostMemory: memory, ...kSampled });
    expect(report.fallbacks.map((f) => f.to)).toEqual(['f16']);
    expect(report.verification?.passed).toBe(true);
    expect(memory.peakBytes).toBeLessThanOrEqual(hostBytes(hostParts(p, { backend: 'webgpu', keepOutputs: false, verify: true, ...kSampled }).filter((part) => part.counted)));
    expect(memory.peakBytes).toBeLessThanOrEqual(3 * Number(p.plan.predictedPeakBytes));
  });
});

describe('host budget', () => {
  test('a run over it is refused before it starts, with the bytes it needs', async () => {
    const p = prepared(kLarge);
    const needed = hostBytes(hostParts(p, { backend: 'cpu', keepOutputs: true, verify: true, ...kSampled }));
    const outcome = await runPrepared(p, { backend: 'cpu', outputs: 'memory', hostBudgetBytes: needed - 1, ...kSampled });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('HOST_BUDGET_EXCEEDED');
    expect(outcome.error.message).toContain(`${needed.toLocaleString('en-US')} B`);
    expect(outcome.error.message).toMatch(/every output kept in memory.*--outputs DIR/);
  });

  test('the same run fits once its outputs are not kept', async () => {
    const p = prepared(kLarge);
    const needed = hostBytes(hostParts(p, { backend: 'cpu', keepOutputs: true, verify: true, ...kSampled }));
    const report = await run(p, { backend: 'cpu', outputs: 'discard', hostBudgetBytes: needed - 1, ...kSampled });
    expect(report.status).toBe('ok');
  });

  test('10^9 runs kept in memory need gigabytes, and the sentence says how many', async () => {
    const p = prepared(parse({ version: 1, runs: 1e9, arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] }], kernel: { name: 'axpy' } }));
    const outcome = await runPrepared(p, { backend: 'cpu', outputs: 'memory', hostBudgetBytes: 2 ** 30 });
    expect(!outcome.ok && outcome.error.message).toMatch(/^the run needs 3\.\d+ GiB \([\d,]+ B\) of host memory, over the host budget of 1 GiB/);
  });
});

/** Writes each run's position within its chunk: right chunk by chunk (its twin agrees), wrong as soon as chunks change. */
const kChunkPosition: Kernel = {
  ...kTouchKernel,
  name: 'chunk-position',
  twin(_scenario, arrays, runs) {
    const y = arrays.find((a) => a.name === 'y')!;
    for (let r = 0; r < runs; r++) y.view.set(r, r);
  },
};

describe('chunked = unchunked on a sample', () => {
  const sampled = parse({
    version: 1,
    runs: 30000,
    arrays: [
      { name: 'x', role: 'input', dtype: 'u32', shape: ['runs'] },
      { name: 'y', role: 'output', dtype: 'u32', shape: ['runs'] },
    ],
    device: { budgetBytes: 8000 },
  });

  test('covers the runs beside every chunk boundary and a seeded set, and says so', async () => {
    const p = prepared(sampled);
    expect(checksEveryRun(sampled, 0)).toBe(false);
    const report = await run(p, { backend: 'cpu', ...kSampled });
    const { twin, unchunked } = report.verification!;
    expect(twin.runs).toEqual({ how: 'every finished run, chunk by chunk as it landed', count: 30000, ranges: [[0, 30000]] });
    expect(unchunked.passed).toBe(true);
    const coverage = unchunked.runs!;
    const length = p.plan.chunkLength;
    expect(coverage.count).toBeLessThanOrEqual(Math.min(kSampleRuns, length));
    expect(coverage.how).toMatch(/^a sample: the runs beside the boundaries of \d+ of \d+ chunks and \d+ runs drawn with seed 1$/);
    const covered = (run: number) => coverage.ranges.some(([s, e]) => run >= s && run < e);
    // The first chunk's edges and the first boundary's two sides are always in.
    for (const run of [0, 1, length - 2, length - 1, length, length + 1]) expect(covered(run), `run ${run}`).toBe(true);
    expect(unchunked.arrays.find((a) => a.name === 'y')!.elements).toBe(coverage.count);
  });

  test('fails, naming the first run that differs, when a result depends on the chunk', async () => {
    const p: PreparedRun = { ...prepared(sampled), kernel: kChunkPosition };
    const report = await run(p, { backend: 'cpu', ...kSampled });
    const v = report.verification!;
    expect(v.twin.passed).toBe(true);
    expect(v.unchunked.passed).toBe(false);
    expect(v.passed).toBe(false);
    const y = v.unchunked.arrays.find((a) => a.name === 'y')!;
    expect(y.mismatches).toBeGreaterThan(0);
    // Runs 0 and 1 sit at the same place in the check's one chunk as in the run's first; the next sampled run does not.
    expect(y.first!.index).toBeGreaterThan(1);
    expect(v.unchunked.runs!.ranges.some(([s, e]) => y.first!.index >= s && y.first!.index < e)).toBe(true);
  });

  test('a small run is still checked whole, every run as one chunk', async () => {
    const small: Scenario = { ...sampled, runs: 6000 };
    expect(checksEveryRun(small)).toBe(true);
    const report = await run(prepared(small), { backend: 'cpu' });
    expect(report.verification!.unchunked.runs).toEqual({ how: 'every finished run', count: 6000, ranges: [[0, 6000]] });
  });
});
