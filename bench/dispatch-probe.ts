/**
 * The device's own cost of splitting a kernel into dispatches: a scenario's kernel
 * dispatched straight from the kernel cache, with no planner, allocator, staging or
 * readback, over buffers made and written once, as one dispatch of every run or as
 * `chunks` dispatches of a chunk's runs each. The chunking bench holds the engine's
 * chunked run against it; bench/diag/lorenz-dispatch.ts tries other submission orders.
 */
import type { Scenario } from '../src/core/scenario.ts';
import { kernelArrays } from '../src/engine/executor.ts';
import { kBufferUsage } from '../src/engine/gpu-flags.ts';
import { compileKernel } from '../src/engine/kernel-cache.ts';
import type { HostArrays } from '../src/core/host-arrays.ts';
import { kernelFor } from '../src/kernels/registry.ts';

/** One dispatch's pipeline, bind group and workgroup count. */
export interface Dispatch {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: number;
}

/** The whole batch as one dispatch, the same runs as `chunks` dispatches, and who frees their buffers. */
export interface DispatchProbe {
  whole: Dispatch;
  parts: Dispatch[];
  destroy(): void;
}

/** Records `d` as a compute pass of its own. */
export function encodeDispatch(encoder: GPUCommandEncoder, d: Dispatch): void {
  const pass = encoder.beginComputePass();
  pass.setPipeline(d.pipeline);
  pass.setBindGroup(0, d.bindGroup);
  pass.dispatchWorkgroups(d.workgroups);
  pass.end();
}

/** Submits each of `dispatches` on its own and waits once, after the last: the queue never runs dry. Returns the milliseconds. */
export async function submitApart(device: GPUDevice, dispatches: Dispatch[]): Promise<number> {
  const t0 = performance.now();
  for (const d of dispatches) {
    const encoder = device.createCommandEncoder();
    encodeDispatch(encoder, d);
    device.queue.submit([encoder.finish()]);
  }
  await device.queue.onSubmittedWorkDone();
  return performance.now() - t0;
}

/**
 * Buffers for `scenario`'s runs as one dispatch and as `chunks` equal dispatches (f32
 * and u32 arrays, runs divisible by `chunks`), inputs written from `inputs`.
 */
export async function dispatchProbe(device: GPUDevice, scenario: Scenario, inputs: HostArrays, chunks: number): Promise<DispatchProbe> {
  const lookup = kernelFor(scenario);
  if (!lookup.ok) throw new Error(`no kernel for ${scenario.name}`);
  if (scenario.runs % chunks) throw new Error(`${chunks} chunks must divide ${scenario.runs} runs`);
  const kernel = await compileKernel(device, { kernel: lookup.kernel, arrays: kernelArrays(scenario), constants: lookup.kernel.constants(scenario) });
  const owned: GPUBuffer[] = [];
  const make = async (first: number, runs: number): Promise<Dispatch> => {
    const what = `runs ${first}–${first + runs - 1}`;
    const buffers = scenario.arrays.map((spec) => {
      const perRun = spec.shape.includes('runs');
      const rows = spec.shape.filter((d) => d !== 'runs').reduce<number>((p, d) => p * (d as number), 1);
      const elements = perRun ? rows * runs : rows;
      const buffer = device.createBuffer({ label: `dispatch probe ${spec.name}, ${what}`, size: elements * 4, usage: kBufferUsage.STORAGE | kBufferUsage.COPY_DST | kBufferUsage.COPY_SRC });
      owned.push(buffer);
      const source = inputs[spec.name] as Float32Array | Uint32Array | undefined;
      if (source) {
        const slice = new (source.constructor as Float32ArrayConstructor)(elements);
        if (perRun) for (let k = 0; k < rows; k++) slice.set(source.subarray(k * scenario.runs + first, k * scenario.runs + first + runs), k * runs);
        else slice.set(source);
        device.queue.writeBuffer(buffer, 0, slice);
      }
      return buffer;
    });
    return {
      pipeline: await kernel.pipelineFor(runs),
      bindGroup: device.createBindGroup({ label: `dispatch probe ${what}`, layout: kernel.layout, entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) }),
      workgroups: Math.ceil(runs / lookup.kernel.runsPerWorkgroup),
    };
  };
  const per = scenario.runs / chunks;
  const whole = await make(0, scenario.runs);
  const parts: Dispatch[] = [];
  for (let c = 0; c < chunks; c++) parts.push(await make(c * per, per));
  await device.queue.onSubmittedWorkDone();
  return { whole, parts, destroy: () => owned.forEach((b) => b.destroy()) };
}
