/**
 * What can stop an attempt. Faults (allocation failures, a lost device) are caught by the
 * recovery ladder; the others end the run with a structured error.
 *
 * Errors cross worker boundaries as plain `Error`s, so each carries a `name` and a
 * stable `code` to check instead of `instanceof`.
 */

/** An allocation failed: what WebGPU would raise, whether WebGPU, the engine or a fault raised it. */
export class AllocationError extends Error {
  override name = 'AllocationError';
  /** `OUT_OF_MEMORY`, `VALIDATION`, or `DEVICE_BUSY` (an exclusive device another worker holds). */
  readonly code: 'OUT_OF_MEMORY' | 'VALIDATION' | 'DEVICE_BUSY';
  constructor(
    readonly kind: 'oom' | 'validation-error',
    readonly label: string,
    readonly bytes: number,
    readonly source: 'budget' | 'limit' | 'device' | 'injected' | 'ledger' | 'busy',
    message: string,
  ) {
    super(message);
    this.code = source === 'busy' ? 'DEVICE_BUSY' : kind === 'oom' ? 'OUT_OF_MEMORY' : 'VALIDATION';
  }
}

/** The device was lost while an attempt was running. */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
  readonly code = 'DEVICE_LOST';
  constructor(
    readonly reason: string,
    message: string,
    readonly injected: boolean,
    /** The chunk (within its attempt) that was running, if any. */
    readonly chunk?: number,
  ) {
    super(message);
  }
}

/** The run was cancelled through its AbortSignal. */
export class CancelledError extends Error {
  override name = 'AbortError';
  readonly code = 'CANCELLED';
  constructor(message = 'the run was cancelled') {
    super(message);
  }
}

/** Stable codes of the errors that end a run without a fault to recover from. */
export type EngineErrorCode = 'F64_ON_WEBGPU' | 'KERNEL_COMPILE' | 'TOO_MANY_BINDINGS' | 'NO_DEVICE' | 'LADDER_EXHAUSTED';

/** A run cannot go on, and no fallback would help (or the ladder is spent). */
export class EngineError extends Error {
  override name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Whether `err` is a fault the recovery ladder handles. */
export function isFault(err: unknown): err is AllocationError | DeviceLostError {
  return err instanceof AllocationError || err instanceof DeviceLostError;
}

/** Throws {@link CancelledError} when `signal` is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
