/**
 * An allocator model on real buffers: the model decides blocks and segments, the tracked
 * allocator makes each segment a buffer (counted against the budget and recorded), and
 * this records each block's `alloc` / `free` at its segment and offset.
 *
 * Under `exact` each block is its own buffer and the tracked allocator's `alloc` / `free`
 * say everything. Under `caching` a segment is one buffer, recorded as `segment-alloc`,
 * and a block is a range of it, to bind at `offset` with `size`.
 *
 * A failed request throws {@link ModelOutOfMemoryError}, an `AllocationError` (so the
 * recovery ladder takes it) whose message gives allocated, reserved and reserved-but-free
 * bytes. A segment over a limit throws the tracked allocator's validation error as is.
 */
import type { AllocatorModel, Block, OutOfMemory, Segment } from '../core/allocator-model.ts';
import type { TraceRecorder } from '../core/trace.ts';
import { takeBufferId, type TrackedAllocator, type TrackedBuffer } from './allocator.ts';
import { AllocationError } from './errors.ts';

/** A block handed out: the buffer it lies in and where. */
export interface PlacedBlock<B> {
  /** The block's id in the trace. */
  id: number;
  label: string;
  array?: string;
  block: Block;
  /** The segment's buffer; bind `offset`..`offset + block.bytes` of it. */
  buffer: TrackedBuffer<B>;
  offset: number;
}

/** An allocator model's out-of-memory, with the model's figures at the failure. */
export class ModelOutOfMemoryError extends AllocationError {
  constructor(
    label: string,
    readonly oom: OutOfMemory,
    source: AllocationError['source'],
  ) {
    super('oom', label, oom.requestedBytes, source, oom.message);
  }
}

/** What a request asks for. */
export interface BlockRequest {
  label: string;
  bytes: number;
  /** The scenario array the block holds, for the timeline. */
  array?: string;
}

/** Drives an allocator model with real segments; see the module comment. */
export class ModelAllocator<B> {
  private readonly _segments = new Map<number, TrackedBuffer<B>>();
  private readonly _blocks = new Map<number, PlacedBlock<B>>();

  constructor(
    readonly model: AllocatorModel,
    private readonly _allocator: TrackedAllocator<B>,
    private readonly _trace: TraceRecorder,
    /** GPUBufferUsage flags of every segment. */
    private readonly _usage: number,
  ) {}

  /** Blocks handed out and not yet freed. */
  get live(): PlacedBlock<B>[] {
    return [...this._blocks.values()];
  }

  /** Serves a request or throws; see the module comment. */
  async allocate(request: BlockRequest): Promise<PlacedBlock<B>> {
    const steps = this.model.allocate(request.bytes);
    let source: AllocationError['source'] = 'budget';
    let next = steps.next();
    while (!next.done) {
      const step = next.value;
      if (step.kind === 'release') {
        this._release(step.segment);
        next = steps.next();
        continue;
      }
      let reserved = false;
      try {
        this._segments.set(step.segment.id, await this._reserve(step.segment, request));
        reserved = true;
      } catch (err) {
        if (!(err instanceof AllocationError) || err.kind !== 'oom') throw err;
        source = err.source;
      }
      next = steps.next(reserved);
    }
    const result = next.value;
    if (!result.ok) {
      // Under exact the refused buffer's own event says everything; a model with segments adds its figures.
      if (this.model.name !== 'exact') {
        const { stats, expandableBytes } = result.oom;
        this._trace.record({
          kind: 'oom',
          label: request.label,
          bytes: request.bytes,
          source,
          message: result.oom.message,
          allocator: {
            allocatedBytes: stats.allocatedBytes,
            reservedBytes: stats.reservedBytes,
            reservedFreeBytes: stats.reservedFreeBytes,
            largestFreeBytes: stats.largestFreeBytes,
            fragmentation: stats.fragmentation,
            expandableBytes,
          },
        });
      }
      throw new ModelOutOfMemoryError(request.label, result.oom, source);
    }
    const buffer = this._segments.get(result.block.segment)!;
    const placed: PlacedBlock<B> = {
      id: this.model.name === 'exact' ? buffer.id : takeBufferId(),
      label: request.label,
      ...(request.array !== undefined && { array: request.array }),
      block: result.block,
      buffer,
      offset: result.block.offset,
    };
    this._blocks.set(result.block.id, placed);
    if (this.model.name !== 'exact') this._recordBlock('alloc', placed);
    return placed;
  }

  /** Gives a block back to the model, releasing whatever segment it lets go of. */
  free(placed: PlacedBlock<B>): void {
    if (!this._blocks.delete(placed.block.id)) return;
    if (this.model.name !== 'exact') this._recordBlock('free', placed);
    for (const segment of this.model.free(placed.block.id)) this._release(segment);
  }

  /** Frees every block and releases every segment, then ticks the device so the memory is really gone. */
  async dispose(): Promise<void> {
    for (const placed of this.live.reverse()) this.free(placed);
    for (const segment of this.model.emptyCache()) this._release(segment);
    await this._allocator.freeAll();
  }

  private _reserve(segment: Segment, request: BlockRequest): Promise<TrackedBuffer<B>> {
    if (segment.pool === 'own') {
      return this._allocator.allocate({ label: request.label, size: segment.bytes, usage: this._usage, usageClass: 'storage', ...(request.array !== undefined && { array: request.array }) });
    }
    return this._allocator.allocate({
      label: `segment ${segment.id} (${segment.bytes} B, ${segment.pool} pool)`,
      size: segment.bytes,
      usage: this._usage,
      usageClass: 'storage',
      segment: segment.pool,
    });
  }

  private _release(segment: Segment): void {
    const buffer = this._segments.get(segment.id);
    if (!buffer) return;
    this._segments.delete(segment.id);
    this._allocator.free(buffer);
  }

  private _recordBlock(kind: 'alloc' | 'free', placed: PlacedBlock<B>): void {
    this._trace.record({
      kind,
      id: placed.id,
      label: placed.label,
      bytes: placed.block.bytes,
      usage: 'storage',
      ...(placed.array !== undefined && { array: placed.array }),
      segment: placed.buffer.id,
      offset: placed.offset,
    });
  }
}
