/**
 * Probes the engine is held against, on the same device in the same process (Node) or
 * page (Chromium): the floor of one queue round trip per chunk, and a raw unchunked
 * upload → kernel → readback. Both run the axpy kernel itself (compiled through the
 * engine's kernel cache), with no planner, allocator or trace. Browser-safe: no Node imports.
 */
import type { Scenario } from '../src/core/scenario.ts';
import { kernelArrays } from '../src/engine/executor.ts';
import { kBufferUsage, kMapMode } from '../src/engine/gpu-flags.ts';
import { compileKernel, type CompiledKernel } from '../src/engine/kernel-cache.ts';
import { kAxpyKernel } from '../src/kernels/axpy.ts';

/** How the floor probe gets its inputs to the device. */
export type FloorUpload = 'writeBuffer' | 'staging';

const kStorage = kBufferUsage.STORAGE | kBufferUsage.COPY_DST | kBufferUsage.COPY_SRC;

/** The axpy kernel for a one-dimensional f32 x (input) and y (inout), compiled on `device`. */
function axpy(device: GPUDevice): Promise<CompiledKernel> {
  const scenario: Pick<Scenario, 'arrays' | 'allocator'> = {
    arrays: [
      { name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] },
      { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] },
    ],
    allocator: { model: 'exact' },
  };
  return compileKernel(device, { kernel: kAxpyKernel, arrays: kernelArrays(scenario), constants: { a: 2.5 } });
}

/** What a floor probe runs. */
export interface FloorOptions {
  /** Round trips to make. */
  roundTrips: number;
  /** Runs per round trip (64: one workgroup). */
  runs?: number;
  /** `writeBuffer`: queue.writeBuffer of x and y; `staging`: a reused MAP_WRITE buffer re-mapped after each submission. */
  upload?: FloorUpload;
  /** Round trips kept in flight at once: 1, or 2 as with two buffer sets. */
  inFlight?: 1 | 2;
}

/**
 * The floor: per round trip, x and y uploaded, a one-workgroup axpy dispatch, y copied
 * into a reused MAP_READ buffer in the same submission, and a wait on its mapAsync, then
 * its bytes read out. Returns the milliseconds all round trips took.
 */
export async function floorProbe(device: GPUDevice, options: FloorOptions): Promise<number> {
  const { roundTrips, runs = 64, upload = 'writeBuffer', inFlight = 1 } = options;
  const kernel = await axpy(device);
  const pipeline = await kernel.pipelineFor(runs);
  const bytes = runs * 4;
  const host = new Float32Array(runs).fill(1);
  const out = new Float32Array(runs);
  const owned: GPUBuffer[] = [];
  const make = (size: number, usage: number, mappedAtCreation = false) => {
    const b = device.createBuffer({ size, usage, mappedAtCreation });
    owned.push(b);
    return b;
  };
  const sets = Array.from({ length: inFlight }, () => {
    const x = make(bytes, kStorage);
    const y = make(bytes, kStorage);
    return {
      x,
      y,
      read: make(bytes, kBufferUsage.MAP_READ | kBufferUsage.COPY_DST),
      up: upload === 'staging' ? make(2 * bytes, kBufferUsage.MAP_WRITE | kBufferUsage.COPY_SRC, true) : undefined,
      writable: null as Promise<undefined> | null,
      bindGroup: device.createBindGroup({ layout: kernel.layout, entries: [{ binding: 0, resource: { buffer: x } }, { binding: 1, resource: { buffer: y } }] }),
      mapped: null as Promise<undefined> | null,
    };
  });
  try {
    const t0 = performance.now();
    for (let i = 0; i < roundTrips + inFlight - 1; i++) {
      if (i < roundTrips) {
        const set = sets[i % inFlight];
        const encoder = device.createCommandEncoder();
        if (set.up) {
          if (set.writable) await set.writable;
          const range = new Float32Array(set.up.getMappedRange(0, 2 * bytes));
          range.set(host, 0);
          range.set(host, runs);
          set.up.unmap();
          encoder.copyBufferToBuffer(set.up, 0, set.x, 0, bytes);
          encoder.copyBufferToBuffer(set.up, bytes, set.y, 0, bytes);
        } else {
          device.queue.writeBuffer(set.x, 0, host);
          device.queue.writeBuffer(set.y, 0, host);
        }
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, set.bindGroup);
        pass.dispatchWorkgroups(Math.ceil(runs / 64));
        pass.end();
        encoder.copyBufferToBuffer(set.y, 0, set.read, 0, bytes);
        device.queue.submit([encoder.finish()]);
        if (set.up && i + inFlight < roundTrips) set.writable = set.up.mapAsync(kMapMode.WRITE, 0, 2 * bytes);
        set.mapped = set.read.mapAsync(kMapMode.READ);
      }
      // With two in flight, the round trip before this one lands while this one runs.
      const landing = i - (inFlight - 1);
      if (landing >= 0) {
        const set = sets[landing % inFlight];
        await set.mapped;
        out.set(new Float32Array(set.read.getMappedRange()));
        set.read.unmap();
      }
    }
    return performance.now() - t0;
  } finally {
    for (const b of owned) b.destroy();
  }
}

/**
 * The raw unchunked probe: axpy over `x` and `y` as one dispatch, with buffers created
 * for it as a one-off computation would: x and y written with queue.writeBuffer, the
 * kernel, y copied to a MAP_READ buffer in the same submission, mapped and copied out.
 * Returns the milliseconds it took, buffer creation included.
 */
export async function rawProbe(device: GPUDevice, x: Float32Array<ArrayBuffer>, y: Float32Array<ArrayBuffer>, out: Float32Array): Promise<number> {
  const kernel = await axpy(device);
  const runs = x.length;
  const pipeline = await kernel.pipelineFor(runs);
  const t0 = performance.now();
  const bytes = runs * 4;
  const bx = device.createBuffer({ size: bytes, usage: kStorage });
  const by = device.createBuffer({ size: bytes, usage: kStorage });
  const read = device.createBuffer({ size: bytes, usage: kBufferUsage.MAP_READ | kBufferUsage.COPY_DST });
  try {
    device.queue.writeBuffer(bx, 0, x);
    device.queue.writeBuffer(by, 0, y);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, device.createBindGroup({ layout: kernel.layout, entries: [{ binding: 0, resource: { buffer: bx } }, { binding: 1, resource: { buffer: by } }] }));
    pass.dispatchWorkgroups(Math.ceil(runs / 64));
    pass.end();
    encoder.copyBufferToBuffer(by, 0, read, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await read.mapAsync(kMapMode.READ);
    out.set(new Float32Array(read.getMappedRange()));
    read.unmap();
    return performance.now() - t0;
  } finally {
    bx.destroy();
    by.destroy();
    read.destroy();
  }
}
