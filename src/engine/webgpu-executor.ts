/**
 * The WebGPU backend: runs an attempt on a `GPUDevice` it is given (browser or Node).
 *
 * Per attempt: take the kernel from the device's cache (kernel-cache.ts; the final
 * chunk's pipeline starts compiling now, beside the first), allocate the fixed buffers and
 * `bufferSets` sets of chunk buffers at chunkLength, upload the fixed inputs through a
 * staging buffer freed at once, then allocate each used set's two staging buffers (upload:
 * MAP_WRITE, readback: MAP_READ), which live for the attempt. Per chunk, one queue round
 * trip: pack the inputs into the set's mapped upload staging buffer, copy them in,
 * dispatch with the chunk's run count (an `override`) and copy the outputs into the
 * readback staging buffer; the host waits only for that buffer's `mapAsync`, and the
 * upload buffer is re-mapped for writing right after the submission that reads it. With
 * two buffer sets that is ONE submission, and chunk i+1 is packed and submitted into the
 * other set while chunk i runs and is read back. With one set the kernel goes alone and
 * its copies out go first in the next chunk's submission of copies in: chunk i−1 is read
 * out and chunk i+1 packed while chunk i runs, and chunk i+1's work is queued before chunk
 * i ends, so the device need not wait for the host between chunks (on SwiftShader, eight
 * lorenz-rk4 dispatches of 512 runs each waited on took 1.04–1.39× the time of one dispatch of
 * 4 096, and submitted one after another without a wait 0.99–1.12×, medians of runs of
 * bench/diag/lorenz-dispatch.ts; the chunking bench's device-floor row times the latter).
 *
 * The fixed and chunk buffers go through the scenario's allocator model (device-arrays.ts):
 * under `caching` each is a block of a segment, bound and copied at its offset. With
 * `planner.reuseBuffers` false each chunk allocates its own set at its run count at its
 * start, the oldest set freed first once `bufferSets` are live (allocator-prediction.ts).
 *
 * There are no uniform buffers: every kernel parameter is an `override` constant, so
 * the only device memory is the plan's arrays and the measured peak equals the predicted
 * one; the staging buffers are those the planner's `stagingPeakBytes` counts.
 */
import { elementCount, storageView } from '../core/host-arrays.ts';
import { bufferBytes, chunkAt, type PlannedArray } from '../core/planner.ts';
import { reusesBuffers } from '../core/scenario.ts';
import type { KernelArray } from '../kernels/kernel.ts';
import { TrackedAllocator, webgpuMemory, type TrackedBuffer } from './allocator.ts';
import { DeviceArrays, type DeviceArray } from './device-arrays.ts';
import { CancelledError, DeviceLostError, EngineError, throwIfCancelled } from './errors.ts';
import { isReadBack, isUploaded, kernelArrays, type AttemptJob, type ChunkExecutor } from './executor.ts';
import { kBufferUsage, kMapMode } from './gpu-flags.ts';
import { compileKernel, type CompiledKernel } from './kernel-cache.ts';

type Buffer = TrackedBuffer<GPUBuffer>;
/** A fixed or chunk array's memory: a buffer, or a block of a segment. */
type ArrayMemory = DeviceArray<GPUBuffer>;

/** One set of chunk buffers and the bind group that binds it with the fixed buffers. */
interface ChunkSet {
  arrays: Map<string, ArrayMemory>;
  bindGroup: GPUBindGroup;
}

/** Where one array's slice sits in a staging buffer. */
interface Slice {
  array: KernelArray;
  offset: number;
  bytes: number;
  elements: number;
}

/** One buffer set's staging buffers, alive for the attempt. */
interface StagingSet {
  /** MAP_WRITE | COPY_SRC; absent when no chunked array is uploaded. */
  upload?: Buffer;
  /** MAP_READ | COPY_DST; absent when nothing is read back. */
  readback?: Buffer;
  /** The upload buffer's map for writing, started after the set's last submission; null while it is mapped. */
  writable: Promise<undefined> | null;
}

/** A chunk whose kernel is submitted, with what reading it back needs. */
interface Dispatched {
  chunk: { index: number; start: number; end: number };
  n: number;
  set: Map<string, ArrayMemory>;
  stage: StagingSet;
  /** When its kernel was submitted: the device's wait for its outputs is timed from there. */
  dispatchedAt: number;
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
    const memory = new DeviceArrays({
      allocator: job.scenario.allocator,
      tracked: allocator,
      trace: job.trace,
      usage: kBufferUsage.STORAGE | kBufferUsage.COPY_DST | kBufferUsage.COPY_SRC,
      alignmentBytes: device.limits.minStorageBufferOffsetAlignment,
    });
    const ahead: Promise<GPUComputePipeline>[] = [];
    try {
      const kernel = await compileKernel(device, { kernel: job.kernel, arrays, constants: job.kernel.constants(job.scenario) });
      // Both run counts the attempt dispatches, compiling side by side from now on.
      ahead.push(kernel.pipelineFor(job.plan.chunkLength), kernel.pipelineFor(job.plan.finalChunkLength));
      await this._run(job, arrays, allocator, memory, kernel);
    } catch (err) {
      throw await this._asDeviceLost(err);
    } finally {
      await memory.dispose().catch(() => {});
      // An attempt that fails first leaves them compiling: Dawn aborts the process when a
      // device goes (a lane's thread ends) with a pipeline promise unsettled, so settle them.
      await Promise.race([Promise.allSettled(ahead), device.lost]);
    }
  }

  private async _run(job: AttemptJob, arrays: KernelArray[], allocator: TrackedAllocator<GPUBuffer>, memory: DeviceArrays<GPUBuffer>, kernel: CompiledKernel): Promise<void> {
    const { device } = this;
    const { plan, trace } = job;
    const planned = new Map(plan.arrays.map((a) => [a.name, a]));
    const chunkedArrays = arrays.filter((x) => x.layout.chunked);

    // Fixed buffers first (one each, for every chunk), then the chunk buffers: with
    // reuse, each set once at chunkLength; without, each chunk's own set at its run count.
    const fixed = new Map<string, ArrayMemory>();
    for (const a of arrays.filter((x) => !x.layout.chunked)) {
      const bytes = Number(planned.get(a.name)!.bytes);
      fixed.set(a.name, await memory.allocate({ label: `${a.name} (fixed, ${bytes} B)`, bytes, array: a.name }));
    }
    const allocateSet = async (what: string, runs: number): Promise<Map<string, ArrayMemory>> => {
      const set = new Map<string, ArrayMemory>();
      for (const a of chunkedArrays) {
        const bytes = Number(bufferBytes(planned.get(a.name)!, runs));
        set.set(a.name, await memory.allocate({ label: `${a.name} ${what} (${bytes} B)`, bytes, array: a.name }));
      }
      return set;
    };
    const bindSet = (set: Map<string, ArrayMemory>, what: string): ChunkSet => ({
      arrays: set,
      bindGroup: device.createBindGroup({
        label: `${job.kernel.name} ${what}`,
        layout: kernel.layout,
        entries: arrays.map((a) => {
          const x = a.layout.chunked ? set.get(a.name)! : fixed.get(a.name)!;
          memory.checkBinding(x);
          return { binding: a.binding, resource: { buffer: x.buffer, offset: x.offset, size: x.size } };
        }),
      }),
    });
    const reuse = reusesBuffers(job.scenario);
    const sets: ChunkSet[] = [];
    if (reuse) {
      const allocated: Map<string, ArrayMemory>[] = [];
      for (let s = 0; s < plan.bufferSets; s++) allocated.push(await allocateSet(`set ${s}`, plan.chunkLength));
      allocated.forEach((set, s) => sets.push(bindSet(set, `set ${s}`)));
    } else {
      for (const x of fixed.values()) memory.checkBinding(x);
    }

    const fixedInputs = arrays.filter((a) => !a.layout.chunked && isUploaded(a));
    if (fixedInputs.length) await this._uploadFixed(job, allocator, fixedInputs, fixed, planned);

    const chunkedInputs = arrays.filter((a) => a.layout.chunked && isUploaded(a));
    // Fixed outputs come back with every chunk: they are the same each time, and a fault
    // after any finished chunk then cannot lose them.
    const outputs = arrays.filter(isReadBack);
    const staging = await this._allocateStaging(allocator, plan, chunkedInputs, outputs, planned);
    const runsOf = (i: number) => chunkAt(plan, i).end - chunkAt(plan, i).start;
    const overlap = plan.bufferSets > 1;
    let pending: Promise<void> | undefined;
    // When the host last finished with a chunk's readback: the device's next wait is timed from there.
    let hostFreeAt = 0;
    // One set: the chunk dispatched last, whose copies out go with the next chunk's copies in.
    let unread: Dispatched | undefined;

    /**
     * Encodes a dispatched chunk's copies out into the readback staging buffer; the
     * returned function, called once they are submitted, maps it and lands the chunk
     * after the one before (so finished runs are always a prefix and the ladder resumes
     * at the first unfinished one). It returns the landing of the chunk before.
     */
    const encodeReadback = (encoder: GPUCommandEncoder, dispatched: Dispatched) => {
      const { chunk, n, set, stage } = dispatched;
      const buffers = new Map([...fixed, ...set]);
      const readSlices = this._slices(outputs, planned, n);
      const readTotal = readSlices.reduce((sum, x) => sum + x.bytes, 0);
      for (const { array, offset, bytes } of readSlices) {
        const x = buffers.get(array.name)!;
        encoder.copyBufferToBuffer(x.buffer, x.offset, stage.readback!.buffer, offset, bytes);
      }
      return (): Promise<void> => {
        const mapped = stage.readback ? stage.readback.buffer.mapAsync(kMapMode.READ, 0, readTotal) : device.queue.onSubmittedWorkDone();
        // Observed when the chunk lands; if an earlier chunk failed, it is never awaited.
        mapped.catch(() => {});
        const previous = pending ?? Promise.resolve();
        const landed = previous.then(async () => {
          const waitFrom = Math.max(dispatched.dispatchedAt, hostFreeAt);
          await mapped;
          this._checkLost();
          // The writeback starts where the readback's event stands, so the two never overlap in time.
          const t2 = trace.record({ kind: 'readback', chunk: chunk.index, ms: trace.elapsed() - waitFrom, bytes: readTotal }).t;
          if (stage.readback) {
            const range = stage.readback.buffer.getMappedRange(0, readTotal);
            for (const { array, offset, elements } of readSlices) {
              const view = storageView(array.dtype, range, offset, elements);
              job.host.unpackOutput(array, view, chunk.start, chunk.end);
            }
            stage.readback.buffer.unmap();
          }
          hostFreeAt = trace.record({ kind: 'writeback', chunk: chunk.index, ms: trace.elapsed() - t2, bytes: readTotal }).t;
          trace.record({ kind: 'chunk-end', ...chunk });
          job.onChunkDone(chunk.end, chunk.index);
        });
        landed.catch(() => {});
        pending = landed;
        return previous;
      };
    };
    /** Submits the unread chunk's copies out on their own, once the readback buffer is free. */
    const readUnread = async () => {
      if (!unread) return;
      if (pending) await pending;
      const encoder = device.createCommandEncoder({ label: `chunk ${unread.chunk.index} readback` });
      const land = encodeReadback(encoder, unread);
      unread = undefined;
      device.queue.submit([encoder.finish()]);
      land();
    };

    try {
      for (let i = 0; i < plan.numChunks; i++) {
        if (unread && pending) {
          // One set: chunk i−1's copies out go first in chunk i's first submission, into the
          // readback buffer chunk i−2 is read out of, so chunk i begins once that has landed
          // (chunk i−1's kernel runs meanwhile; a loss now strikes there).
          await pending;
        }
        this._chunk = i;
        // A cancel stops before chunk i; with one set chunk i−1, whose kernel is queued, is not read back.
        throwIfCancelled(job.signal);
        const before = job.faults.loseDevice('before', i);
        if (before) {
          // A loss before or during chunk i strikes once the chunks before it have landed, as the fault says.
          await readUnread();
          if (pending) await pending;
          this._loseDevice(before);
        }
        this._checkLost();
        const local = chunkAt(plan, i);
        const chunk = { index: i, start: job.start + local.start, end: job.start + local.end };
        const n = chunk.end - chunk.start;
        const s = i % staging.length;
        if (!reuse) {
          // The oldest set is freed before a new one once bufferSets are live: its chunk has
          // landed, or with one set its copies out are submitted (WebGPU keeps a destroyed
          // buffer, and queue order a reused block, until the work queued on it has run).
          await readUnread();
          if (sets.length === plan.bufferSets) for (const x of sets.shift()!.arrays.values()) memory.free(x);
          sets.push(bindSet(await allocateSet(`chunk ${i}`, n), `chunk ${i}`));
        }
        const { arrays: set, bindGroup } = reuse ? sets[i % sets.length] : sets[sets.length - 1];
        const stage = staging[s];
        trace.record({ kind: 'chunk-begin', ...chunk });

        // Compiled ahead; awaited before anything is submitted, so nothing lands between this
        // chunk's submissions and chunk i−1 cannot land before chunk i's kernel is queued. The
        // wait counts in the chunk's first phase: its upload, or its dispatch when it has none.
        const t0 = trace.elapsed();
        const pipeline = await kernel.pipelineFor(n);
        let encoder = device.createCommandEncoder({ label: unread ? `chunk ${i - 1} out, chunk ${i} in` : `chunk ${i}` });
        let land: (() => Promise<void>) | undefined;
        if (unread) {
          land = encodeReadback(encoder, unread);
          unread = undefined;
        }
        if (stage.upload) {
          const slices = this._slices(chunkedInputs, planned, n);
          const total = slices.reduce((sum, x) => sum + x.bytes, 0);
          if (stage.writable) await stage.writable;
          stage.writable = null;
          this._checkLost();
          const mapped = stage.upload.buffer.getMappedRange(0, total);
          for (const { array, offset, elements } of slices) {
            const view = storageView(array.dtype, mapped, offset, elements);
            job.host.packInput(array, view, chunk.start, chunk.end);
          }
          stage.upload.buffer.unmap();
          for (const { array, offset, bytes } of slices) {
            const x = set.get(array.name)!;
            encoder.copyBufferToBuffer(stage.upload.buffer, offset, x.buffer, x.offset, bytes);
          }
          trace.record({ kind: 'upload', chunk: i, ms: trace.elapsed() - t0, bytes: total });
        }
        // The set's upload buffer is mapped for its next chunk right after the submission
        // that last reads it, so it resolves once that has run.
        const next = i + staging.length;
        const mapForNext = () => {
          if (!stage.upload || next >= plan.numChunks) return;
          const writable = stage.upload.buffer.mapAsync(kMapMode.WRITE, 0, this._slices(chunkedInputs, planned, runsOf(next)).reduce((sum, x) => sum + x.bytes, 0));
          writable.catch(() => {});
          stage.writable = writable;
        };
        if (!overlap && (stage.upload || land)) {
          // One set: the copies go apart from the kernel, so the upload buffer is free for
          // chunk i+1 and chunk i−1 lands while chunk i's kernel runs, and chunk i+1's
          // submissions queue behind it: the device need not wait for the host between chunks.
          device.queue.submit([encoder.finish()]);
          mapForNext();
          land?.();
          encoder = device.createCommandEncoder({ label: `chunk ${i} kernel` });
        }

        const t1 = stage.upload ? trace.elapsed() : t0;
        const pass = encoder.beginComputePass({ label: `${job.kernel.name} chunk ${i}` });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(Math.ceil(n / job.kernel.runsPerWorkgroup));
        pass.end();
        // Its time is set once it is submitted, before anything waits for its outputs.
        const dispatched: Dispatched = { chunk, n, set, stage, dispatchedAt: 0 };
        // Two sets: the chunk's copies out go in its own submission.
        const landThis = overlap ? encodeReadback(encoder, dispatched) : undefined;
        device.queue.submit([encoder.finish()]);
        dispatched.dispatchedAt = trace.record({ kind: 'dispatch', chunk: i, ms: trace.elapsed() - t1, bytes: 0 }).t;
        // Two sets: let it land while the next chunk is packed and submitted into the other
        // set, but wait for the one before it. One set: it is read back with chunk i+1.
        let previous: Promise<void> | undefined;
        if (landThis) {
          mapForNext();
          previous = landThis();
        } else {
          unread = dispatched;
        }
        const during = job.faults.loseDevice('during', i);
        const landing = previous ?? pending;
        if (during) {
          if (landing) await landing;
          this._loseDevice(during);
        }
        if (previous) await previous;
      }
      await readUnread();
    } finally {
      // A fault leaves readbacks in flight: let them land (or fail) before the caller
      // frees the buffers they read.
      if (pending) await pending.catch(() => {});
    }
    if (pending) await pending;
  }

  /** Packs the fixed inputs into a staging buffer, submits their copies and frees it (the queue keeps it until they ran). */
  private async _uploadFixed(
    job: AttemptJob,
    allocator: TrackedAllocator<GPUBuffer>,
    arrays: KernelArray[],
    buffers: Map<string, ArrayMemory>,
    planned: Map<string, PlannedArray>,
  ): Promise<void> {
    const { device } = this;
    const t0 = job.trace.elapsed();
    const slices = this._slices(arrays, planned, 0);
    const total = slices.reduce((sum, s) => sum + s.bytes, 0);
    const staging = await allocator.allocate({
      label: `upload staging fixed (${total} B)`,
      size: total,
      usage: kBufferUsage.MAP_WRITE | kBufferUsage.COPY_SRC,
      usageClass: 'staging',
      mappedAtCreation: true,
    });
    try {
      const mapped = staging.buffer.getMappedRange();
      for (const { array, offset, elements } of slices) {
        const view = storageView(array.dtype, mapped, offset, elements);
        job.host.packInput(array, view, 0, 0);
      }
      staging.buffer.unmap();
      const encoder = device.createCommandEncoder({ label: 'upload fixed' });
      for (const { array, offset, bytes } of slices) {
        const x = buffers.get(array.name)!;
        encoder.copyBufferToBuffer(staging.buffer, offset, x.buffer, x.offset, bytes);
      }
      device.queue.submit([encoder.finish()]);
    } finally {
      // Safe right after submit: WebGPU keeps a destroyed buffer until its queued copies finish.
      allocator.free(staging);
    }
    job.trace.record({ kind: 'upload', chunk: -1, ms: job.trace.elapsed() - t0, bytes: total });
  }

  /**
   * The staging buffers of every buffer set a chunk uses, at chunkLength: set by set, the
   * upload buffer (mapped at creation, ready for the set's first chunk) then the readback
   * buffer. Allocated in this order in every execution: injected faults count on it.
   */
  private async _allocateStaging(
    allocator: TrackedAllocator<GPUBuffer>,
    plan: AttemptJob['plan'],
    inputs: KernelArray[],
    outputs: KernelArray[],
    planned: Map<string, PlannedArray>,
  ): Promise<StagingSet[]> {
    const uploadBytes = this._slices(inputs, planned, plan.chunkLength).reduce((sum, x) => sum + x.bytes, 0);
    const readbackBytes = this._slices(outputs, planned, plan.chunkLength).reduce((sum, x) => sum + x.bytes, 0);
    const staging: StagingSet[] = [];
    for (let s = 0; s < Math.min(plan.bufferSets, plan.numChunks); s++) {
      const set: StagingSet = { writable: null };
      if (uploadBytes) {
        set.upload = await allocator.allocate({
          label: `upload staging set ${s} (${uploadBytes} B)`,
          size: uploadBytes,
          usage: kBufferUsage.MAP_WRITE | kBufferUsage.COPY_SRC,
          usageClass: 'staging',
          mappedAtCreation: true,
        });
      }
      if (readbackBytes) {
        set.readback = await allocator.allocate({
          label: `readback staging set ${s} (${readbackBytes} B)`,
          size: readbackBytes,
          usage: kBufferUsage.MAP_READ | kBufferUsage.COPY_DST,
          usageClass: 'staging',
        });
      }
      staging.push(set);
    }
    return staging;
  }

  /** Where each array's slice of `n` runs sits in a staging buffer (4-byte aligned). */
  private _slices(arrays: KernelArray[], planned: Map<string, PlannedArray>, n: number): Slice[] {
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
