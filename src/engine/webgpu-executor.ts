/**
 * The WebGPU backend: runs an attempt on a `GPUDevice` it is given (browser or Node).
 *
 * Per attempt: compile the kernel for the arrays as stored, allocate the fixed buffers
 * and `bufferSets` sets of chunk buffers at chunkLength, upload the fixed inputs, then
 * per chunk: pack and upload each input's slice through a MAP_WRITE staging buffer,
 * dispatch with the chunk's run count (an `override`, one cached pipeline per distinct
 * count: normally chunkLength and the dangling final chunk), copy outputs into a
 * MAP_READ staging buffer, map it and unpack into the host arrays. With two buffer sets,
 * chunk i+1 is uploaded and dispatched while chunk i is read back.
 *
 * There are no uniform buffers: every kernel parameter is an `override` constant, so
 * the only device memory is the plan's arrays and the measured peak equals the predicted one.
 */
import { elementCount, packChunk, storageView, unpackChunk } from '../core/host-arrays.ts';
import { bufferBytes, chunkAt, type PlannedArray } from '../core/planner.ts';
import { bindGroupLayoutEntries, bindingPrelude } from '../kernels/bindings.ts';
import type { KernelArray } from '../kernels/kernel.ts';
import { TrackedAllocator, webgpuMemory, type TrackedBuffer } from './allocator.ts';
import { CancelledError, DeviceLostError, EngineError, throwIfCancelled } from './errors.ts';
import { isReadBack, isUploaded, kernelArrays, type AttemptJob, type ChunkExecutor } from './executor.ts';
import { kBufferUsage, kMapMode } from './gpu-flags.ts';

type Buffer = TrackedBuffer<GPUBuffer>;

/** A readback whose copies are submitted and whose map is under way. */
interface PendingReadback {
  staging: Buffer;
  mapped: Promise<undefined>;
  slices: { array: KernelArray; offset: number; bytes: number; elements: number }[];
  start: number;
  end: number;
  chunk: number;
  t0: number;
  total: number;
}

/** The WebGPU executor for one device; a lost device needs a new executor. */
export class WebGpuExecutor implements ChunkExecutor {
  readonly backend = 'webgpu' as const;
  private _lost: GPUDeviceLostInfo | null = null;
  private _injectedLoss: string | null = null;
  /** The chunk under way, for reporting where a loss struck. */
  private _chunk: number | undefined;
  private _lostInChunk: number | undefined;

  constructor(readonly device: GPUDevice) {
    device.lost.then((info) => {
      this._lost = info;
      this._lostInChunk ??= this._chunk;
    });
  }

  /** Whether the device has been lost. */
  get lost(): boolean {
    return this._lost !== null;
  }

  async execute(job: AttemptJob): Promise<void> {
    const { device } = this;
    const arrays = kernelArrays(job.scenario);
    const f64 = arrays.find((a) => a.dtype === 'f64');
    if (f64) {
      throw new EngineError('F64_ON_WEBGPU',
        `array "${f64.name}" is f64, and WGSL has no 64-bit float type, so f64 runs on the CPU backend only — run with --backend cpu or store it as f32`);
    }
    const maxBindings = device.limits.maxStorageBuffersPerShaderStage;
    if (arrays.length > maxBindings) {
      throw new EngineError('TOO_MANY_BINDINGS',
        `the scenario has ${arrays.length} arrays but this device binds at most ${maxBindings} storage buffers to one kernel` +
          ' (maxStorageBuffersPerShaderStage) — merge arrays or run with --backend cpu');
    }
    this._checkLost();
    const allocator = new TrackedAllocator(webgpuMemory(device), {
      budgetBytes: job.budgetBytes,
      limits: job.scenario.device.limits,
      ...(job.ledger && { ledger: job.ledger }),
    }, job.trace, job.faults);
    try {
      const kernel = await this._compile(job, arrays);
      await this._run(job, arrays, allocator, kernel);
    } catch (err) {
      throw await this._asDeviceLost(err);
    } finally {
      await allocator.freeAll().catch(() => {});
    }
  }

  private async _compile(job: AttemptJob, arrays: KernelArray[]) {
    const { device } = this;
    const code = `${bindingPrelude(arrays)}\n${job.kernel.wgsl(arrays)}`;
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ label: `${job.kernel.name} kernel`, code });
    const layout = device.createBindGroupLayout({ label: `${job.kernel.name} bindings`, entries: bindGroupLayoutEntries(arrays) });
    const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
    const error = await device.popErrorScope();
    if (error) {
      const info = await module.getCompilationInfo();
      const lines = info.messages.filter((m) => m.type === 'error').map((m) => `  line ${m.lineNum}: ${m.message}`);
      throw new EngineError('KERNEL_COMPILE', `the ${job.kernel.name} kernel does not compile: ${error.message}${lines.length ? `\n${lines.join('\n')}` : ''}`);
    }
    const constants = job.kernel.constants(job.scenario);
    const pipelines = new Map<number, Promise<GPUComputePipeline>>();
    const pipelineFor = (runs: number) => {
      let pipeline = pipelines.get(runs);
      if (!pipeline) {
        pipeline = device
          .createComputePipelineAsync({
            label: `${job.kernel.name} for ${runs} runs`,
            layout: pipelineLayout,
            compute: { module, entryPoint: 'main', constants: { ...constants, chunk_runs: runs } },
          })
          .catch((err: Error) => {
            // A parameter f32 cannot hold fails here, not in the module: say so as a kernel error.
            throw new EngineError('KERNEL_COMPILE', `the ${job.kernel.name} kernel's pipeline cannot be created: ${err.message}`);
          });
        pipelines.set(runs, pipeline);
      }
      return pipeline;
    };
    return { layout, pipelineFor };
  }

  private async _run(
    job: AttemptJob,
    arrays: KernelArray[],
    allocator: TrackedAllocator<GPUBuffer>,
    kernel: Awaited<ReturnType<WebGpuExecutor['_compile']>>,
  ): Promise<void> {
    const { device } = this;
    const { plan, trace } = job;
    const planned = new Map(plan.arrays.map((a) => [a.name, a]));
    const usage = kBufferUsage.STORAGE | kBufferUsage.COPY_DST | kBufferUsage.COPY_SRC;

    // Fixed buffers first (one each, for every chunk), then each set of chunk buffers.
    const fixed = new Map<string, Buffer>();
    for (const a of arrays.filter((x) => !x.layout.chunked)) {
      const bytes = Number(planned.get(a.name)!.bytes);
      fixed.set(a.name, await allocator.allocate({ label: `${a.name} (fixed, ${bytes} B)`, size: bytes, usage, usageClass: 'storage', array: a.name }));
    }
    const sets: Map<string, Buffer>[] = [];
    for (let s = 0; s < plan.bufferSets; s++) {
      const set = new Map<string, Buffer>();
      for (const a of arrays.filter((x) => x.layout.chunked)) {
        const bytes = Number(planned.get(a.name)!.bytes);
        set.set(a.name, await allocator.allocate({ label: `${a.name} set ${s} (${bytes} B)`, size: bytes, usage, usageClass: 'storage', array: a.name }));
      }
      sets.push(set);
    }
    const bindGroups = sets.map((set, s) =>
      device.createBindGroup({
        label: `${job.kernel.name} set ${s}`,
        layout: kernel.layout,
        entries: arrays.map((a) => {
          const buffer = a.layout.chunked ? set.get(a.name)! : fixed.get(a.name)!;
          allocator.checkBinding(buffer);
          return { binding: a.binding, resource: { buffer: buffer.buffer } };
        }),
      }),
    );

    const fixedInputs = arrays.filter((a) => !a.layout.chunked && isUploaded(a));
    if (fixedInputs.length) await this._upload(job, allocator, fixedInputs, fixed, planned, 0, 0, 'fixed', -1);

    const chunkedInputs = arrays.filter((a) => a.layout.chunked && isUploaded(a));
    // Fixed outputs come back with every chunk: they are the same each time, and a fault
    // after any finished chunk then cannot lose them.
    const outputs = arrays.filter(isReadBack);
    const overlap = plan.bufferSets > 1;
    let pending: Promise<void> | undefined;
    try {
      for (let i = 0; i < plan.numChunks; i++) {
        this._chunk = i;
        throwIfCancelled(job.signal);
        const before = job.faults.loseDevice('before', i);
        if (before) this._loseDevice(before);
        this._checkLost();
        const local = chunkAt(plan, i);
        const chunk = { index: i, start: job.start + local.start, end: job.start + local.end };
        const n = chunk.end - chunk.start;
        const set = sets[i % sets.length];
        trace.record({ kind: 'chunk-begin', ...chunk });

        if (chunkedInputs.length) {
          await this._upload(job, allocator, chunkedInputs, set, planned, chunk.start, chunk.end, `chunk ${i}`, i, !overlap);
        }

        const t0 = trace.elapsed();
        const pipeline = await kernel.pipelineFor(n);
        const encoder = device.createCommandEncoder({ label: `dispatch chunk ${i}` });
        const pass = encoder.beginComputePass({ label: `${job.kernel.name} chunk ${i}` });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroups[i % bindGroups.length]);
        pass.dispatchWorkgroups(Math.ceil(n / job.kernel.runsPerWorkgroup));
        pass.end();
        device.queue.submit([encoder.finish()]);
        if (!overlap) await device.queue.onSubmittedWorkDone();
        trace.record({ kind: 'dispatch', chunk: i, ms: trace.elapsed() - t0, bytes: 0 });
        const during = job.faults.loseDevice('during', i);
        if (during) this._loseDevice(during);

        const buffers = new Map([...fixed, ...set]);
        // Chunk i's outputs land after chunk i−1's, and never if it failed: so finished
        // runs are always a prefix and the ladder can resume at the first unfinished one.
        const started = outputs.length
          ? await this._startReadback(job, allocator, outputs, buffers, planned, chunk.start, chunk.end, i)
          : undefined;
        const previous = pending ?? Promise.resolve();
        const landed = previous.then(async () => {
          if (started) await this._finishReadback(job, allocator, started);
          trace.record({ kind: 'chunk-end', ...chunk });
          job.onChunkDone(chunk.end, i);
        });
        landed.catch(() => {});
        pending = landed;
        // One set: wait for this chunk. Two sets: let it land while the next chunk uploads
        // and dispatches into the other set, but wait for the one before it.
        await (overlap ? previous : landed);
      }
    } finally {
      // A fault leaves readbacks in flight: let them land (or fail) before the caller
      // frees the buffers they read.
      if (pending) await pending.catch(() => {});
    }
    if (pending) await pending;
  }

  /** Packs runs `[start, end)` of `arrays` into one MAP_WRITE staging buffer and copies each slice to its buffer. */
  private async _upload(
    job: AttemptJob,
    allocator: TrackedAllocator<GPUBuffer>,
    arrays: KernelArray[],
    buffers: Map<string, Buffer>,
    planned: Map<string, PlannedArray>,
    start: number,
    end: number,
    what: string,
    chunk: number,
    wait = true,
  ): Promise<void> {
    const { device } = this;
    const t0 = job.trace.elapsed();
    const n = end - start;
    const slices = this._slices(arrays, planned, n);
    const total = slices.reduce((sum, s) => sum + s.bytes, 0);
    const staging = await allocator.allocate({
      label: `upload staging ${what} (${total} B)`,
      size: total,
      usage: kBufferUsage.MAP_WRITE | kBufferUsage.COPY_SRC,
      usageClass: 'staging',
      mappedAtCreation: true,
    });
    try {
      const mapped = staging.buffer.getMappedRange();
      for (const { array, offset, elements } of slices) {
        const view = storageView(array.dtype, mapped, offset, elements);
        packChunk(job.host[array.name], job.hostDtypes[array.name], view, array.dtype, array.layout, job.scenario.runs, start, end);
      }
      staging.buffer.unmap();
      const encoder = device.createCommandEncoder({ label: `upload ${what}` });
      for (const { array, offset, bytes } of slices) {
        encoder.copyBufferToBuffer(staging.buffer, offset, buffers.get(array.name)!.buffer, 0, bytes);
      }
      device.queue.submit([encoder.finish()]);
      if (wait) await device.queue.onSubmittedWorkDone();
    } finally {
      // Safe right after submit: WebGPU keeps a destroyed buffer until its queued copies finish.
      allocator.free(staging);
    }
    job.trace.record({ kind: 'upload', chunk, ms: job.trace.elapsed() - t0, bytes: total });
  }

  /**
   * Allocates a MAP_READ staging buffer for `arrays` of runs `[start, end)`, submits the
   * copies into it and starts mapping it. Awaited in chunk order, so allocations are
   * numbered the same in every execution (injected faults depend on it).
   */
  private async _startReadback(
    job: AttemptJob,
    allocator: TrackedAllocator<GPUBuffer>,
    arrays: KernelArray[],
    buffers: Map<string, Buffer>,
    planned: Map<string, PlannedArray>,
    start: number,
    end: number,
    chunk: number,
  ): Promise<PendingReadback> {
    const { device } = this;
    const t0 = job.trace.elapsed();
    const slices = this._slices(arrays, planned, end - start);
    const total = slices.reduce((sum, s) => sum + s.bytes, 0);
    const staging = await allocator.allocate({
      label: `readback staging chunk ${chunk} (${total} B)`,
      size: total,
      usage: kBufferUsage.MAP_READ | kBufferUsage.COPY_DST,
      usageClass: 'staging',
    });
    const encoder = device.createCommandEncoder({ label: `readback chunk ${chunk}` });
    for (const { array, offset, bytes } of slices) {
      encoder.copyBufferToBuffer(buffers.get(array.name)!.buffer, 0, staging.buffer, offset, bytes);
    }
    device.queue.submit([encoder.finish()]);
    const mapped = staging.buffer.mapAsync(kMapMode.READ);
    // Observed by _finishReadback; if an earlier chunk failed, it is never awaited.
    mapped.catch(() => {});
    return { staging, mapped, slices, start, end, chunk, t0, total };
  }

  /** Waits for a started readback's map, unpacks it into the host arrays and frees its staging buffer. */
  private async _finishReadback(job: AttemptJob, allocator: TrackedAllocator<GPUBuffer>, pending: PendingReadback): Promise<void> {
    const { staging, slices, start, end, chunk, t0, total } = pending;
    try {
      await pending.mapped;
      this._checkLost();
      // The writeback starts where the readback's event stands, so the two never overlap in time.
      const t1 = job.trace.record({ kind: 'readback', chunk, ms: job.trace.elapsed() - t0, bytes: total }).t;
      const mapped = staging.buffer.getMappedRange();
      for (const { array, offset, elements } of slices) {
        const view = storageView(array.dtype, mapped, offset, elements);
        unpackChunk(view, array.dtype, job.host[array.name], job.hostDtypes[array.name], array.layout, job.scenario.runs, start, end);
      }
      staging.buffer.unmap();
      job.trace.record({ kind: 'writeback', chunk, ms: job.trace.elapsed() - t1, bytes: total });
    } finally {
      allocator.free(staging);
    }
  }

  /** Where each array's slice of `n` runs sits in a staging buffer (4-byte aligned). */
  private _slices(arrays: KernelArray[], planned: Map<string, PlannedArray>, n: number) {
    let offset = 0;
    return arrays.map((array) => {
      const bytes = Number(bufferBytes(planned.get(array.name)!, n));
      const slice = { array, offset, bytes, elements: elementCount(array.layout, n) };
      offset += bytes;
      return slice;
    });
  }

  /** Loses the device for an injected fault: the path a real loss takes from here on. */
  private _loseDevice(message: string): void {
    this._injectedLoss = message;
    this._lostInChunk = this._chunk;
    this.device.destroy();
  }

  private _checkLost(): void {
    if (this._injectedLoss !== null || this._lost) throw this._lostError();
  }

  private _lostError(): DeviceLostError {
    const injected = this._injectedLoss !== null;
    return new DeviceLostError(this._lost?.reason ?? 'destroyed', this._injectedLoss ?? this._lost?.message ?? 'the device was lost', injected, this._lostInChunk);
  }

  /** A failure on a lost device (a rejected mapAsync, an invalid buffer) is the loss itself. */
  private async _asDeviceLost(err: unknown): Promise<unknown> {
    if (err instanceof DeviceLostError || err instanceof CancelledError) return err;
    if (this._injectedLoss !== null || this._lost) return this._lostError();
    if ((err as Error)?.name === 'AbortError' || (err as Error)?.name === 'OperationError') {
      // mapAsync rejects as soon as the device goes; `lost` resolves a moment later.
      await Promise.race([this.device.lost, new Promise((r) => setTimeout(r, 500))]);
      if (this._lost) return this._lostError();
    }
    return err;
  }
}
