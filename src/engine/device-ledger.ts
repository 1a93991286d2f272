/**
 * The device ledger (DESIGN.md, "The device ledger"): one count of live device bytes
 * for every worker sharing a device, in a SharedArrayBuffer so each lane's worker
 * consults it synchronously before an allocation, as a driver would. The sum of live
 * bytes never passes the device budget; an allocation that would is refused with a
 * message naming who holds the rest. In exclusive mode the first worker to allocate
 * holds the device until it ends, and every other worker's allocation is refused as
 * DEVICE_BUSY.
 *
 * Every change happens under one lock (an Int32 spin lock with Atomics): the Atomics
 * operations order the plain reads and writes inside it, so the totals, the per-holder
 * bytes, the peak and who set it always agree.
 */
import { formatBytesExact } from '../core/units.ts';
import type { DeviceLedgerHook } from './allocator.ts';

/** What crosses to a worker: the shared memory and the names it reports with. */
export interface SharedLedgerState {
  buffer: SharedArrayBuffer;
  budgetBytes: number;
  /** Who can hold bytes: each lane, then the parent. */
  holders: string[];
  jobNames: string[];
  /** Exclusive mode without MPS: one worker holds the device at a time. */
  exclusive: boolean;
}

/** The allocation that set the ledger's peak. */
export interface LedgerPeakSetter {
  holder: string;
  /** The job running on that holder then; absent for the parent. */
  job?: string;
  label: string;
  bytes: number;
}

/** Why the ledger refuses an allocation. */
export type LedgerRefusal = { source: 'ledger' | 'busy'; message: string };

// Int32 slots.
const kLock = 0;
const kOwnerToken = 1;
const kOwnerHolder = 2;
const kLabelLength = 3;
const kPeakHolder = 4;
const kInts = 8;
// Float64 slots; then each holder's bytes, each holder's current job, and the bytes each holder keeps for finished jobs.
const kLive = 0;
const kPeak = 1;
const kPeakBytes = 2;
const kPeakJob = 3;
const kFloats = 4;
const kLabelBytes = 256;

/** One ledger over shared memory; every worker attaches its own view of the same bytes. */
export class DeviceLedger {
  private readonly _ints: Int32Array;
  private readonly _floats: Float64Array;
  private readonly _label: Uint8Array;

  private constructor(readonly shared: SharedLedgerState) {
    const holders = shared.holders.length;
    this._ints = new Int32Array(shared.buffer, 0, kInts);
    this._floats = new Float64Array(shared.buffer, kInts * 4, kFloats + 3 * holders);
    this._label = new Uint8Array(shared.buffer, kInts * 4 + (kFloats + 3 * holders) * 8, kLabelBytes);
  }

  /** A new ledger for a device of `budgetBytes` shared by `holders`. */
  static create(options: Omit<SharedLedgerState, 'buffer'>): DeviceLedger {
    const bytes = kInts * 4 + (kFloats + 3 * options.holders.length) * 8 + kLabelBytes;
    const ledger = new DeviceLedger({ ...options, buffer: new SharedArrayBuffer(bytes) });
    for (let h = 0; h < options.holders.length; h++) ledger._floats[kFloats + options.holders.length + h] = -1;
    ledger._ints[kPeakHolder] = -1;
    return ledger;
  }

  /** The same ledger, from the state a worker received. */
  static attach(shared: SharedLedgerState): DeviceLedger {
    return new DeviceLedger(shared);
  }

  /** Device bytes live now over every holder. */
  get liveBytes(): number {
    return this._locked(() => this._floats[kLive]);
  }

  /** Most device bytes live at once. */
  get peakBytes(): number {
    return this._locked(() => this._floats[kPeak]);
  }

  /** The allocation that first reached the peak, or null when nothing was allocated. */
  get peakSetBy(): LedgerPeakSetter | null {
    return this._locked(() => {
      const holder = this._ints[kPeakHolder];
      if (holder < 0) return null;
      const job = this._floats[kPeakJob];
      const label = new TextDecoder().decode(this._label.slice(0, this._ints[kLabelLength]));
      return { holder: this.shared.holders[holder], ...(job >= 0 && { job: this.shared.jobNames[job] }), label, bytes: this._floats[kPeakBytes] };
    });
  }

  /** Bytes `holder` holds now. */
  holderBytes(holder: number): number {
    return this._locked(() => this._floats[kFloats + holder]);
  }

  /** Marks the job now running on `holder` (-1 for none): refusals and the peak name it. */
  setJob(holder: number, job: number): void {
    this._locked(() => {
      this._floats[kFloats + this.shared.holders.length + holder] = job;
    });
  }

  /**
   * Counts `bytes` for `holder`, or says why the device refuses them. `token` names the
   * worker asking: in exclusive mode the first to allocate holds the device until {@link endWorker}.
   */
  reserve(holder: number, token: number, label: string, bytes: number): LedgerRefusal | null {
    return this._locked(() => {
      const { budgetBytes } = this.shared;
      if (this.shared.exclusive) {
        const owner = this._ints[kOwnerToken];
        if (owner !== 0 && owner !== token) {
          return {
            source: 'busy' as const,
            message:
              `DEVICE_BUSY: the device is in exclusive-process mode and ${this._describe(this._ints[kOwnerHolder])} holds it;` +
              ` "${label}" cannot be allocated until it ends — share the device with MPS, or run these jobs in that worker`,
          };
        }
        this._ints[kOwnerToken] = token;
        this._ints[kOwnerHolder] = holder;
      }
      const live = this._floats[kLive];
      if (live + bytes > budgetBytes) {
        return {
          source: 'ledger' as const,
          message:
            `the device ledger refuses "${label}" (${formatBytesExact(bytes)}): ${formatBytesExact(live)} of the device's` +
            ` ${formatBytesExact(budgetBytes)} are live — ${this._holdings()}`,
        };
      }
      const now = live + bytes;
      this._floats[kLive] = now;
      this._floats[kFloats + holder] += bytes;
      if (now > this._floats[kPeak]) {
        this._floats[kPeak] = now;
        this._floats[kPeakBytes] = bytes;
        this._floats[kPeakJob] = this._floats[kFloats + this.shared.holders.length + holder];
        this._ints[kPeakHolder] = holder;
        // Browsers refuse to encode into shared memory: encode into a private buffer (whole characters only), then copy.
        const encoded = new Uint8Array(kLabelBytes);
        const written = new TextEncoder().encodeInto(label, encoded).written;
        this._label.set(encoded.subarray(0, written));
        this._ints[kLabelLength] = written;
      }
      return null;
    });
  }

  /** Stops counting `bytes` for `holder`. */
  release(holder: number, bytes: number): void {
    this._locked(() => {
      this._floats[kLive] -= bytes;
      this._floats[kFloats + holder] -= bytes;
    });
  }

  /** Marks `bytes` that `holder` holds as kept for a finished job (memory held until its worker exits). */
  hold(holder: number, bytes: number): void {
    this._locked(() => {
      this._floats[kFloats + 2 * this.shared.holders.length + holder] += bytes;
    });
  }

  /** Stops counting `bytes` that `holder` kept for a finished job: its worker ended. */
  releaseHeld(holder: number, bytes: number): void {
    this._locked(() => {
      this._floats[kLive] -= bytes;
      this._floats[kFloats + holder] -= bytes;
      this._floats[kFloats + 2 * this.shared.holders.length + holder] -= bytes;
    });
  }

  /** Stops counting everything `holder` holds (its worker is gone); returns the bytes. */
  releaseHolder(holder: number): number {
    return this._locked(() => {
      const bytes = this._floats[kFloats + holder];
      this._floats[kLive] -= bytes;
      this._floats[kFloats + holder] = 0;
      this._floats[kFloats + 2 * this.shared.holders.length + holder] = 0;
      return bytes;
    });
  }

  /** Takes the exclusive device for `token` at once (a parent that opens the device before its lanes start). */
  claim(holder: number, token: number): void {
    this._locked(() => {
      if (this._ints[kOwnerToken] !== 0) return;
      this._ints[kOwnerToken] = token;
      this._ints[kOwnerHolder] = holder;
    });
  }

  /** The worker `token` ended: an exclusive device it held is free again. */
  endWorker(token: number): void {
    this._locked(() => {
      if (this._ints[kOwnerToken] === token) this._ints[kOwnerToken] = 0;
    });
  }

  /** The hook a worker's allocator consults, as `holder` with worker `token`. */
  hook(holder: number, token: number, keep?: DeviceLedgerHook['keep']): DeviceLedgerHook {
    return {
      reserve: (label, bytes) => this.reserve(holder, token, label, bytes),
      release: (bytes) => this.release(holder, bytes),
      ...(keep && { keep }),
    };
  }

  private _describe(holder: number): string {
    const name = this.shared.holders[holder];
    const job = this._floats[kFloats + this.shared.holders.length + holder];
    return job >= 0 ? `lane "${name}" (job "${this.shared.jobNames[job]}")` : name === 'parent' ? 'the parent' : `lane "${name}"`;
  }

  private _holdings(): string {
    const parts: string[] = [];
    this.shared.holders.forEach((_, h) => {
      const bytes = this._floats[kFloats + h];
      const held = this._floats[kFloats + 2 * this.shared.holders.length + h];
      if (bytes <= 0) return;
      const kept = held > 0 ? ` (${formatBytesExact(held)} of it kept by finished jobs until the worker exits)` : '';
      parts.push(`${this._describe(h)} holds ${formatBytesExact(bytes)}${kept}`);
    });
    return parts.length ? parts.join(', ') : 'nobody holds any';
  }

  private _locked<T>(body: () => T): T {
    while (Atomics.compareExchange(this._ints, kLock, 0, 1) !== 0) Atomics.wait(this._ints, kLock, 1, 1);
    try {
      return body();
    } finally {
      Atomics.store(this._ints, kLock, 0);
      Atomics.notify(this._ints, kLock, 1);
    }
  }
}
