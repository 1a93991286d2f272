/**
 * Buffers a `leak` fault kept alive: never destroyed by the run that made them, still
 * holding device memory, as a buffer forgotten by real code does. Whoever owns this
 * holder (a run, or a soak over many runs) destroys them in the end; until then they
 * count against the budget of every later allocation on the device.
 */

/** One leaked buffer: what it held and how to destroy it at last. */
export interface LeakedBuffer {
  label: string;
  bytes: number;
  /** Whether its bytes are device-local (staging ones do not count against the budget). */
  deviceLocal: boolean;
  destroy(): void;
  /** Makes destroyed memory really released (WebGPU: a queue submission completes). */
  tick(): Promise<void>;
}

/** The leaked buffers of a run or a soak, destroyed together by their owner. */
export class LeakedBuffers {
  private _held: LeakedBuffer[] = [];

  /** Device-local bytes the leaked buffers hold. */
  get deviceBytes(): number {
    return this._held.reduce((sum, b) => (b.deviceLocal ? sum + b.bytes : sum), 0);
  }

  /** Leaked buffers still alive. */
  get count(): number {
    return this._held.length;
  }

  keep(buffer: LeakedBuffer): void {
    this._held.push(buffer);
  }

  /** Destroys every leaked buffer and waits until their memory is released. */
  async destroyAll(): Promise<void> {
    const held = this._held;
    this._held = [];
    for (const b of held) b.destroy();
    for (const tick of new Set(held.map((b) => b.tick))) await tick();
  }
}
