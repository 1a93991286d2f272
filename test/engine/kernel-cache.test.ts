// Kernels compiled once per device: one module and one pipeline per WGSL, constants and run count, shared by attempts, runs and the one-chunk reference; the final chunk's pipeline requested when the attempt starts.
import { expect } from 'vitest';
import { kernelArrays } from '../../src/engine/executor.ts';
import { compileKernel } from '../../src/engine/kernel-cache.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import { kAxpyKernel } from '../../src/kernels/axpy.ts';
import { gpuTest } from './gpu-fixture.ts';
import { scenario as parse } from './scenarios.ts';

/** axpy over 1000 runs in chunks of 375: 3 chunks, the last one dangling (250 runs). */
const kAxpy = parse({
  version: 1,
  runs: 1000,
  arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] }],
  device: { budgetBytes: 3000 },
  kernel: { name: 'axpy', a: 2.5 },
});

/** Counts the pipelines `device` is asked to create. */
function countPipelines(device: GPUDevice): { labels: string[] } {
  const seen = { labels: [] as string[] };
  const create = device.createComputePipelineAsync.bind(device);
  device.createComputePipelineAsync = (descriptor) => {
    seen.labels.push(descriptor.label ?? '');
    return create(descriptor);
  };
  return seen;
}

gpuTest('the same WGSL, constants and run count give the same pipeline on one device, and another on another device', async ({ gpu }) => {
  const arrays = kernelArrays(kAxpy);
  const a = await compileKernel(gpu.device, { kernel: kAxpyKernel, arrays, constants: { a: 2.5 } });
  const b = await compileKernel(gpu.device, { kernel: kAxpyKernel, arrays, constants: { a: 2.5 } });
  expect(b.layout).toBe(a.layout);
  expect(await b.pipelineFor(64)).toBe(await a.pipelineFor(64));
  expect(await b.pipelineFor(128)).not.toBe(await a.pipelineFor(64));
  const other = await compileKernel(gpu.device, { kernel: kAxpyKernel, arrays, constants: { a: 3 } });
  expect(other.layout).toBe(a.layout);
  expect(await other.pipelineFor(64)).not.toBe(await a.pipelineFor(64));
  const elsewhere = await compileKernel(await gpu.requestDevice(), { kernel: kAxpyKernel, arrays, constants: { a: 2.5 } });
  expect(elsewhere.layout).not.toBe(a.layout);
});

gpuTest('attempts, runs and the one-chunk reference on one device compile each run count once; the final chunk\'s before chunk 0 ends', async ({ gpu }) => {
  const seen = countPipelines(gpu.device);
  let atFirstChunk: string[] | undefined;
  const first = await runScenario(kAxpy, {
    backend: 'webgpu',
    device: gpu.device,
    onProgress: ({ chunk }) => {
      if (chunk === 0) atFirstChunk = [...seen.labels];
    },
  });
  if (!first.ok) throw new Error(first.error.message);
  expect(first.report.verification?.unchunked.skipped).toBeUndefined();
  expect(atFirstChunk).toEqual(['axpy for 375 runs', 'axpy for 250 runs']);
  // The reference runs all 1000 runs as one chunk: one more run count.
  expect(seen.labels).toEqual(['axpy for 375 runs', 'axpy for 250 runs', 'axpy for 1000 runs']);
  // A second run, and a run that shrinks after an out-of-memory on its first allocation, add only new run counts.
  const second = await runScenario(kAxpy, { backend: 'webgpu', device: gpu.device });
  if (!second.ok) throw new Error(second.error.message);
  expect(seen.labels).toHaveLength(3);
  const shrunk = await runScenario({ ...kAxpy, faults: [{ kind: 'out-of-memory', onAllocation: 1 }] }, { backend: 'webgpu', device: gpu.device });
  if (!shrunk.ok) throw new Error(shrunk.error.message);
  expect(shrunk.report.attempts.map((a) => a.chunkLength)).toEqual([375, 187]);
  expect(seen.labels.slice(3).sort()).toEqual(['axpy for 187 runs', 'axpy for 65 runs']);
});
