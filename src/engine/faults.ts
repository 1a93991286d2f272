/**
 * Fault injection from a scenario's `faults`, deterministic for a given scenario: the
 * allocator asks it before every allocation and the executors before and during every
 * chunk. An injected fault then travels the path a real one takes.
 *
 * Counting: allocations are numbered from 1 over the whole execution (every attempt,
 * device-local and staging alike). Chunks are numbered from 0 within each attempt.
 * `onAllocation` and non-repeating device losses fire once; `aboveBytes` fires on every
 * allocation above the size; a repeating device loss fires on every attempt that reaches its chunk.
 * A `leak` keeps its allocation's buffer alive past the run, in the holder the run was given.
 */
import type { FaultSpec } from '../core/scenario.ts';
import { LeakedBuffers } from './leaked-buffers.ts';

/** The injected outcome of one allocation, if any. */
export type InjectedAllocationFault = { kind: 'oom' | 'validation-error'; message: string } | null;

/** Decides, deterministically, which allocation or chunk an injected fault strikes. */
export class FaultInjector {
  private _allocations = 0;
  private readonly _fired = new Set<number>();

  /**
   * @param leaks where leaked buffers go: a soak's holder outlives each run; by default
   * the run's own (see {@link FaultInjector.leaks}).
   */
  constructor(
    private readonly _faults: readonly FaultSpec[],
    readonly leaks: LeakedBuffers = new LeakedBuffers(),
  ) {}

  /** Whether the allocation just numbered by {@link nextAllocation} is one a `leak` fault never frees. */
  get leaksThisAllocation(): boolean {
    return this._faults.some((f) => f.kind === 'leak' && f.onAllocation === this._allocations);
  }

  /** Allocations asked about so far. */
  get allocations(): number {
    return this._allocations;
  }

  /** Called once per allocation, before it is made. */
  nextAllocation(bytes: number): InjectedAllocationFault {
    const n = ++this._allocations;
    for (const [i, fault] of this._faults.entries()) {
      if (fault.kind === 'out-of-memory') {
        if (fault.onAllocation === n && this._fire(i)) {
          return { kind: 'oom', message: `injected out-of-memory on allocation ${n} (faults[${i}])` };
        }
        if (fault.aboveBytes !== undefined && bytes > fault.aboveBytes) {
          return { kind: 'oom', message: `injected out-of-memory: ${bytes} B is above ${fault.aboveBytes} B (faults[${i}])` };
        }
      } else if (fault.kind === 'validation-error' && fault.onAllocation === n && this._fire(i)) {
        return { kind: 'validation-error', message: `injected validation error on allocation ${n} (faults[${i}])` };
      }
    }
    return null;
  }

  /** Whether the device is to be lost at `when` chunk `chunk` of the current attempt. */
  loseDevice(when: 'before' | 'during', chunk: number): string | null {
    for (const [i, fault] of this._faults.entries()) {
      if (fault.kind !== 'device-lost') continue;
      const at = when === 'before' ? fault.beforeChunk : fault.duringChunk;
      if (at !== chunk) continue;
      if (fault.repeat || this._fire(i)) return `injected device loss ${when} chunk ${chunk} (faults[${i}])`;
    }
    return null;
  }

  /** Whether any fault is a device loss (which only the WebGPU backend can suffer). */
  get losesDevices(): boolean {
    return this._faults.some((f) => f.kind === 'device-lost');
  }

  private _fire(i: number): boolean {
    if (this._fired.has(i)) return false;
    this._fired.add(i);
    return true;
  }
}
