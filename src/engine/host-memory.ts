/**
 * The host bytes a run holds, counted where the engine's host side makes its buffers
 * (inputs generated per chunk, outputs on their way to a sink, verification, outputs
 * kept in memory). Counting bytes, not reading RSS, makes "host memory is bounded by
 * the chunk" a property a test can check exactly on any machine.
 */
import type { Dtype } from '../core/dtypes.ts';
import { createStorage, type HostArray } from '../core/host-arrays.ts';

/** Live and peak host bytes of the buffers made through it. */
export class HostMemory {
  /** Bytes made and not yet released. */
  liveBytes = 0;
  /** The most bytes live at once. */
  peakBytes = 0;

  /** A zeroed typed array of `count` elements of `dtype`, counted until it is {@link release}d. */
  make(dtype: Dtype, count: number): HostArray {
    const array = createStorage(dtype, count);
    this.liveBytes += array.byteLength;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
    return array;
  }

  /** Stops counting a buffer made here: the caller drops every reference to it. */
  release(array: HostArray): void {
    this.liveBytes -= array.byteLength;
  }
}
