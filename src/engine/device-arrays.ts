/**
 * The device arrays of an attempt (fixed and chunk buffers) under the scenario's allocator
 * model (DESIGN.md, "Allocator models"). Under `exact` each array is its own buffer of the
 * tracked allocator, as before; under `caching` it is a block of a segment that
 * {@link ModelAllocator} reserves through the tracked allocator, bound at its offset.
 * Staging buffers are host-visible memory, outside any model: they stay on the tracked
 * allocator.
 */
import { modelFor } from '../core/allocator-prediction.ts';
import type { AllocatorSpec } from '../core/scenario.ts';
import type { TraceRecorder } from '../core/trace.ts';
import type { TrackedAllocator, TrackedBuffer } from './allocator.ts';
import { ModelAllocator, type PlacedBlock } from './model-allocator.ts';

/** One array's device memory: bind `size` bytes of `buffer` from `offset`. */
export interface DeviceArray<B> {
  label: string;
  buffer: B;
  /** A multiple of the device's minStorageBufferOffsetAlignment (0 under `exact`). */
  offset: number;
  /** The bytes asked for: what is bound and checked against maxStorageBufferBindingSize. */
  size: number;
}

/** What {@link DeviceArrays} needs. */
export interface DeviceArraysOptions<B> {
  allocator: AllocatorSpec;
  tracked: TrackedAllocator<B>;
  trace: TraceRecorder;
  /** GPUBufferUsage flags of every array's buffer (ignored by the CPU backend). */
  usage: number;
  /** The device's minStorageBufferOffsetAlignment. */
  alignmentBytes: number;
}

/** Allocates and frees an attempt's device arrays under its allocator model; see the module comment. */
export class DeviceArrays<B> {
  private readonly _tracked: TrackedAllocator<B>;
  private readonly _usage: number;
  private readonly _blocks: ModelAllocator<B> | null;
  private readonly _owners = new Map<DeviceArray<B>, TrackedBuffer<B> | PlacedBlock<B>>();

  constructor(options: DeviceArraysOptions<B>) {
    this._tracked = options.tracked;
    this._usage = options.usage;
    this._blocks = options.allocator.model === 'caching'
      ? new ModelAllocator(modelFor(options.allocator, options.alignmentBytes), options.tracked, options.trace, options.usage)
      : null;
  }

  /** Allocates one array's memory, or throws the allocation error the ladder takes. */
  async allocate(request: { label: string; bytes: number; array: string }): Promise<DeviceArray<B>> {
    let array: DeviceArray<B>;
    if (this._blocks) {
      const placed = await this._blocks.allocate(request);
      array = { label: request.label, buffer: placed.buffer.buffer, offset: placed.offset, size: request.bytes };
      this._owners.set(array, placed);
    } else {
      const tracked = await this._tracked.allocate({ label: request.label, size: request.bytes, usage: this._usage, usageClass: 'storage', array: request.array });
      array = { label: request.label, buffer: tracked.buffer, offset: 0, size: request.bytes };
      this._owners.set(array, tracked);
    }
    return array;
  }

  /** Fails as bind group creation would for an array over maxStorageBufferBindingSize: the block is bound, not its segment. */
  checkBinding(array: DeviceArray<B>): void {
    this._tracked.checkBinding({ label: array.label, bytes: array.size, usage: 'storage' });
  }

  /** Frees one array (under `caching` its block stays cached in its segment). */
  free(array: DeviceArray<B>): void {
    const owner = this._owners.get(array);
    if (!owner) return;
    this._owners.delete(array);
    if (this._blocks) this._blocks.free(owner as PlacedBlock<B>);
    else this._tracked.free(owner as TrackedBuffer<B>);
  }

  /**
   * Frees every array and releases every segment (the cache ends with the attempt), then
   * frees whatever else the tracked allocator holds and ticks the device.
   */
  async dispose(): Promise<void> {
    if (this._blocks) await this._blocks.dispose();
    this._owners.clear();
    await this._tracked.freeAll();
  }
}
