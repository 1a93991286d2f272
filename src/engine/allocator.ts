/**
 * The tracked allocator: every buffer of a run goes through it.
 *
 * It records `alloc` and `free` in the trace, enforces the scenario's budget and limits
 * itself (browsers raise requested limits below the spec defaults back to the defaults,
 * so the device would not), and fails as WebGPU fails: an out-of-memory error for a
 * buffer over the budget, a validation error for one over a limit. Real WebGPU errors
 * come from error scopes around the allocation; engine-made and injected ones are made
 * in the same shape before it, and both go down one path ({@link TrackedAllocator.allocate}'s
 * `_fail`).
 */
import type { Limits } from '../core/scenario.ts';
import type { SegmentPool, TraceRecorder, UsageClass } from '../core/trace.ts';
import { formatBytesExact } from '../core/units.ts';
import { AllocationError } from './errors.ts';
import type { FaultInjector } from './faults.ts';

/** An allocation error as WebGPU reports it through an error scope. */
export interface MemoryError {
  kind: 'oom' | 'validation-error';
  message: string;
}

/** What a buffer is asked for. */
export interface BufferRequest {
  /** What it is and which chunk or set: shown in the timeline and in errors. */
  label: string;
  size: number;
  /** GPUBufferUsage flags (ignored by the CPU backend). */
  usage: number;
  usageClass: UsageClass;
  /** The scenario array it holds, when it holds one (the timeline stacks by it). */
  array?: string;
  mappedAtCreation?: boolean;
  /**
   * The buffer is a segment of an allocator model that hands out blocks of it (the
   * caching model), from this pool: recorded as `segment-alloc` / `segment-free`, the
   * blocks' own `alloc` / `free` recorded by whoever hands them out.
   */
  segment?: SegmentPool;
}

/** Where buffers come from: a GPUDevice, or host memory for the CPU backend. */
export interface MemoryBackend<B> {
  /** Creates a buffer; `error` is what the backend reported (WebGPU: its error scopes). */
  create(request: BufferRequest): Promise<{ buffer: B; error: MemoryError | null }>;
  destroy(buffer: B): void;
  /** Makes destroyed buffers' memory really released (WebGPU: a queue submission completes). */
  tick(): Promise<void>;
}

/** A live buffer the allocator tracks. */
export interface TrackedBuffer<B> {
  id: number;
  label: string;
  bytes: number;
  usage: UsageClass;
  array?: string;
  /** Set for a segment (see {@link BufferRequest.segment}). */
  segment?: SegmentPool;
  buffer: B;
  /** Set when a `leak` fault keeps this buffer alive past the run (see leaked-buffers.ts). */
  leaked?: true;
}

/** What the allocator enforces. */
export interface AllocatorPolicy {
  /** Device-local bytes (storage + uniform) that may be live at once. */
  budgetBytes: number;
  limits: Pick<Limits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>;
  /** The ledger of a device shared with other workers (a workload's lanes), consulted after the job's own budget. */
  ledger?: DeviceLedgerHook;
}

/**
 * A device ledger shared with other workers on the same device (DESIGN.md, "The device
 * ledger"). Only device-local allocations consult it.
 */
export interface DeviceLedgerHook {
  /** Before a device-local allocation: null to go ahead (its bytes are then counted), or why the device refuses it. */
  reserve(label: string, bytes: number): { source: 'ledger' | 'busy'; message: string } | null;
  /** Reserved bytes no longer held: a freed buffer, or an allocation that failed after its reservation. */
  release(bytes: number): void;
  /**
   * Whether a freed buffer stays alive and counted (memory a process holds until it
   * exits): the ledger's owner then keeps it and destroys it when its worker ends.
   */
  keep?(buffer: unknown, bytes: number, label: string): boolean;
}

let nextId = 1;

/**
 * A fresh buffer id. The trace pairs alloc and free by id, so blocks an allocator model
 * hands out inside segments take theirs from the same counter as buffers.
 */
export function takeBufferId(): number {
  return nextId++;
}

/** Allocates, tracks and frees every buffer of a run; see the module comment. */
export class TrackedAllocator<B> {
  private readonly _live = new Map<number, TrackedBuffer<B>>();
  private _deviceBytes = 0;

  constructor(
    private readonly _backend: MemoryBackend<B>,
    private readonly _policy: AllocatorPolicy,
    private readonly _trace: TraceRecorder,
    private readonly _faults?: FaultInjector,
  ) {}

  /** Buffers allocated and not yet freed. */
  get live(): TrackedBuffer<B>[] {
    return [...this._live.values()];
  }

  /** Device-local bytes live now. */
  get deviceBytes(): number {
    return this._deviceBytes;
  }

  /** Allocates a buffer or throws {@link AllocationError}, recording either outcome in the trace. */
  async allocate(request: BufferRequest): Promise<TrackedBuffer<B>> {
    const injected = this._faults?.nextAllocation(request.size) ?? null;
    if (injected) this._fail(request, injected, 'injected');
    const deviceLocal = request.usageClass !== 'staging';
    if (request.size > this._policy.limits.maxBufferSize) {
      this._fail(request, {
        kind: 'validation-error',
        message: `buffer "${request.label}" is ${formatBytesExact(request.size)}, over maxBufferSize ${formatBytesExact(this._policy.limits.maxBufferSize)}`,
      }, 'limit');
    }
    // Buffers leaked earlier (this run's or an earlier cycle's) still hold the device.
    const leaked = this._faults?.leaks.deviceBytes ?? 0;
    if (deviceLocal && leaked + this._deviceBytes + request.size > this._policy.budgetBytes) {
      this._fail(request, {
        kind: 'oom',
        message:
          `buffer "${request.label}" needs ${formatBytesExact(request.size)} with ${formatBytesExact(this._deviceBytes)} live` +
          `${leaked ? ` and ${formatBytesExact(leaked)} held by leaked buffers` : ''}; the budget is ${formatBytesExact(this._policy.budgetBytes)}`,
      }, 'budget');
    }
    const ledger = deviceLocal ? this._policy.ledger : undefined;
    const refused = ledger?.reserve(request.label, request.size);
    if (refused) this._fail(request, { kind: 'oom', message: refused.message }, refused.source);
    let created: Awaited<ReturnType<MemoryBackend<B>['create']>>;
    try {
      created = await this._backend.create(request);
    } catch (err) {
      ledger?.release(request.size);
      throw err;
    }
    const { buffer, error } = created;
    if (error) {
      this._backend.destroy(buffer);
      ledger?.release(request.size);
      this._fail(request, error, 'device');
    }
    const tracked: TrackedBuffer<B> = {
      id: takeBufferId(),
      label: request.label,
      bytes: request.size,
      usage: request.usageClass,
      ...(request.array !== undefined && { array: request.array }),
      ...(request.segment !== undefined && { segment: request.segment }),
      buffer,
      ...(this._faults?.leaksThisAllocation && { leaked: true as const }),
    };
    this._live.set(tracked.id, tracked);
    if (deviceLocal) this._deviceBytes += request.size;
    this._record('alloc', tracked);
    return tracked;
  }

  /**
   * Checks a binding (a buffer, or a block of one) against maxStorageBufferBindingSize
   * before it is bound, failing as bind group creation would.
   */
  checkBinding(tracked: Pick<TrackedBuffer<B>, 'label' | 'bytes' | 'usage'>): void {
    const limit = this._policy.limits.maxStorageBufferBindingSize;
    if (tracked.bytes <= limit) return;
    this._fail({ label: tracked.label, size: tracked.bytes, usage: 0, usageClass: tracked.usage }, {
      kind: 'validation-error',
      message: `binding "${tracked.label}" is ${formatBytesExact(tracked.bytes)}, over maxStorageBufferBindingSize ${formatBytesExact(limit)}`,
    }, 'limit');
  }

  /**
   * Destroys a buffer (once) and records the free. A leaked buffer is neither: it moves
   * to the leak holder alive, and the trace shows it live after the run, as it is.
   */
  free(tracked: TrackedBuffer<B>): void {
    if (!this._live.delete(tracked.id)) return;
    const ledger = tracked.usage !== 'staging' ? this._policy.ledger : undefined;
    if (tracked.leaked && this._faults) {
      if (tracked.usage !== 'staging') this._deviceBytes -= tracked.bytes;
      const backend = this._backend;
      this._faults.leaks.keep({
        label: tracked.label,
        bytes: tracked.bytes,
        deviceLocal: tracked.usage !== 'staging',
        // A leaked buffer stays counted in a shared device's ledger until it is really destroyed.
        destroy: () => {
          backend.destroy(tracked.buffer);
          ledger?.release(tracked.bytes);
        },
        tick: () => backend.tick(),
      });
      return;
    }
    if (!ledger?.keep?.(tracked.buffer, tracked.bytes, tracked.label)) {
      this._backend.destroy(tracked.buffer);
      ledger?.release(tracked.bytes);
    }
    if (tracked.usage !== 'staging') this._deviceBytes -= tracked.bytes;
    this._record('free', tracked);
  }

  /** Frees every live buffer, then ticks the backend so their memory is really released. */
  async freeAll(): Promise<void> {
    for (const tracked of [...this._live.values()].reverse()) this.free(tracked);
    await this._backend.tick();
  }

  /** A buffer's `alloc` / `free`, or a segment's `segment-alloc` / `segment-free`. */
  private _record(kind: 'alloc' | 'free', tracked: TrackedBuffer<B>): void {
    if (tracked.segment === undefined) this._trace.record({ kind, ...bufferFields(tracked) });
    else this._trace.record({ kind: `segment-${kind}`, id: tracked.id, label: tracked.label, bytes: tracked.bytes, pool: tracked.segment });
  }

  private _fail(request: BufferRequest, error: MemoryError, source: AllocationError['source']): never {
    this._trace.record({ kind: error.kind, label: request.label, bytes: request.size, source, message: error.message });
    throw new AllocationError(error.kind, request.label, request.size, source, error.message);
  }
}

/** What an alloc or free event says of a buffer. */
function bufferFields({ id, label, bytes, usage, array }: TrackedBuffer<unknown>) {
  return { id, label, bytes, usage, ...(array !== undefined && { array }) };
}

/** The WebGPU memory backend: `createBuffer` inside out-of-memory and validation error scopes. */
export function webgpuMemory(device: GPUDevice): MemoryBackend<GPUBuffer> {
  return {
    async create(request) {
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
      const buffer = device.createBuffer({
        label: request.label,
        size: request.size,
        usage: request.usage,
        mappedAtCreation: request.mappedAtCreation ?? false,
      });
      const validation = await device.popErrorScope();
      const oom = await device.popErrorScope();
      const error: MemoryError | null = oom
        ? { kind: 'oom', message: oom.message }
        : validation
          ? { kind: 'validation-error', message: validation.message }
          : null;
      return { buffer, error };
    },
    destroy: (buffer) => buffer.destroy(),
    async tick() {
      // Dawn releases a destroyed buffer's memory only once a later submission completes.
      device.queue.submit([]);
      await device.queue.onSubmittedWorkDone();
    },
  };
}

/** The CPU backend's memory: host ArrayBuffers, with a failed allocation reported as out of memory. */
export function hostMemory(): MemoryBackend<ArrayBuffer> {
  return {
    async create(request) {
      try {
        return { buffer: new ArrayBuffer(request.size), error: null };
      } catch (err) {
        return { buffer: new ArrayBuffer(0), error: { kind: 'oom', message: (err as Error).message } };
      }
    },
    destroy: () => {},
    tick: async () => {},
  };
}
