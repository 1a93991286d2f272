/**
 * Allocator models (DESIGN.md, "Allocator models"): how requests for device memory become
 * segments (what is really reserved on the device: one GPUBuffer each) and blocks (the
 * ranges of a segment handed out, bound at an offset).
 *
 * A model is pure bookkeeping. Reserving a segment is someone else's job (a budget check,
 * a real `createBuffer` that can fail), so `allocate` is a generator: it yields each
 * segment it wants reserved or released and is told whether the reservation succeeded.
 * {@link allocateNow} drives it synchronously (tests, the planner's prediction); the
 * engine drives it with awaits around real buffers. Both run the same rules.
 */
import { formatBytesExact } from './units.ts';

/** The allocator models a scenario can name. */
export const kAllocatorModels = ['exact', 'caching'] as const;
/** One of {@link kAllocatorModels}. */
export type AllocatorModelName = (typeof kAllocatorModels)[number];

/** Where a segment's blocks come from: the caching model's two pools, or `own` (one block, the exact model). */
export type Pool = 'small' | 'large' | 'own';

/** Memory reserved on the device: one buffer. */
export interface Segment {
  id: number;
  bytes: number;
  pool: Pool;
}

/** A range of a segment handed out for one request. */
export interface Block {
  id: number;
  segment: number;
  /** Bytes from the segment's start; a multiple of the model's alignment. */
  offset: number;
  /** Bytes the block occupies: the request rounded up. */
  bytes: number;
  /** Bytes asked for. */
  requested: number;
}

/** What `allocate` asks of its driver: reserve a segment (answer whether it could) or release one. */
export type SegmentStep = { kind: 'reserve'; segment: Segment } | { kind: 'release'; segment: Segment };

/** Byte counts of a model at one moment. */
export interface AllocatorStats {
  /** Bytes of live blocks. */
  allocatedBytes: number;
  /** Bytes of live segments. */
  reservedBytes: number;
  /** Reserved bytes no block holds: reserved − allocated. */
  reservedFreeBytes: number;
  /** The largest free range inside one segment. */
  largestFreeBytes: number;
  /** 1 − largest free block ÷ reserved-but-free bytes (0 when nothing reserved is free). */
  fragmentation: number;
  segments: number;
  blocks: number;
  /** Most allocated and reserved bytes so far. */
  allocatedPeakBytes: number;
  reservedPeakBytes: number;
  /**
   * Most bytes expandable segments would have reserved so far: each pool's allocated bytes
   * rounded up to its segment granularity (a segment that grows and shrinks in place).
   * WebGPU cannot grow a buffer, so this is reported, not run.
   */
  expandablePeakBytes: number;
}

/** A request that could not be had, with the figures that say why. */
export interface OutOfMemory {
  requestedBytes: number;
  /** The request rounded as the model rounds it. */
  roundedBytes: number;
  /** The segment that could not be reserved. */
  segmentBytes: number;
  /** The model's figures at the failure, after any emptying of the cache. */
  stats: AllocatorStats;
  /**
   * What expandable segments would have reserved with this request served: each pool's
   * allocated bytes, the request added to its own, rounded up to the pool's granularity.
   */
  expandableBytes: number;
  message: string;
}

/** The outcome of one request. */
export type Allocation = { ok: true; block: Block } | { ok: false; oom: OutOfMemory };

/** One segment as laid out: its ranges in offset order, each a block or free. */
export interface SegmentLayout {
  segment: Segment;
  ranges: { offset: number; bytes: number; block: Block | null }[];
}

/** An allocator model; see the module comment. */
export interface AllocatorModel {
  readonly name: AllocatorModelName;
  /** Serves a request of `requestedBytes`, yielding the segment steps it needs; the driver answers each `reserve`. */
  allocate(requestedBytes: number): Generator<SegmentStep, Allocation, boolean | undefined>;
  /** Frees a live block; returns the segments the driver must release now. */
  free(blockId: number): Segment[];
  /** Releases every wholly free segment; returns them for the driver to release. */
  emptyCache(): Segment[];
  stats(): AllocatorStats;
  /** Every live segment, in id order, with its ranges. */
  layout(): SegmentLayout[];
}

/** Drives `model.allocate` with a synchronous reserve (and optional release). */
export function allocateNow(
  model: AllocatorModel,
  requestedBytes: number,
  reserve: (segment: Segment) => boolean,
  release: (segment: Segment) => void = () => {},
): Allocation {
  const steps = model.allocate(requestedBytes);
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    if (step.kind === 'reserve') next = steps.next(reserve(step.segment));
    else {
      release(step.segment);
      next = steps.next();
    }
  }
  return next.value;
}

/** 1 − largest ÷ free, or 0 when nothing is free. */
export function fragmentationOf(largestFreeBytes: number, reservedFreeBytes: number): number {
  return reservedFreeBytes === 0 ? 0 : 1 - largestFreeBytes / reservedFreeBytes;
}

/** The sentence of an out-of-memory: allocated, reserved and reserved-but-free bytes, and why the free bytes did not help. */
export function outOfMemoryMessage(model: AllocatorModelName, requestedBytes: number, segmentBytes: number, stats: AllocatorStats): string {
  const free = stats.reservedFreeBytes;
  return (
    `out of memory (${model} allocator): tried to allocate ${formatBytesExact(requestedBytes)}` +
    ` (a new segment of ${formatBytesExact(segmentBytes)} could not be reserved);` +
    ` ${formatBytesExact(stats.allocatedBytes)} allocated, ${formatBytesExact(stats.reservedBytes)} reserved,` +
    ` ${formatBytesExact(free)} reserved but free` +
    (free > 0 ? ` (largest free block ${formatBytesExact(stats.largestFreeBytes)}, fragmentation ${stats.fragmentation.toFixed(2)})` : '')
  );
}

/**
 * The exact model: one segment per request, exactly its size (rounded up to 4, as WebGPU
 * buffers are), released when the block is freed. Allocated always equals reserved.
 */
export class ExactModel implements AllocatorModel {
  readonly name = 'exact' as const;
  private readonly _blocks = new Map<number, { block: Block; segment: Segment }>();
  private _nextId = 1;
  private _allocated = 0;
  private _peak = 0;

  *allocate(requestedBytes: number): Generator<SegmentStep, Allocation, boolean | undefined> {
    const bytes = Math.max(4, Math.ceil(requestedBytes / 4) * 4);
    const segment: Segment = { id: this._nextId++, bytes, pool: 'own' };
    const reserved = yield { kind: 'reserve', segment };
    if (!reserved) {
      const stats = this.stats();
      return {
        ok: false,
        oom: { requestedBytes, roundedBytes: bytes, segmentBytes: bytes, stats, expandableBytes: stats.allocatedBytes + bytes, message: outOfMemoryMessage(this.name, requestedBytes, bytes, stats) },
      };
    }
    const block: Block = { id: segment.id, segment: segment.id, offset: 0, bytes, requested: requestedBytes };
    this._blocks.set(block.id, { block, segment });
    this._allocated += bytes;
    this._peak = Math.max(this._peak, this._allocated);
    return { ok: true, block };
  }

  free(blockId: number): Segment[] {
    const live = this._blocks.get(blockId);
    if (!live) return [];
    this._blocks.delete(blockId);
    this._allocated -= live.block.bytes;
    return [live.segment];
  }

  emptyCache(): Segment[] {
    return [];
  }

  stats(): AllocatorStats {
    return {
      allocatedBytes: this._allocated,
      reservedBytes: this._allocated,
      reservedFreeBytes: 0,
      largestFreeBytes: 0,
      fragmentation: 0,
      segments: this._blocks.size,
      blocks: this._blocks.size,
      allocatedPeakBytes: this._peak,
      reservedPeakBytes: this._peak,
      expandablePeakBytes: this._peak,
    };
  }

  layout(): SegmentLayout[] {
    return [...this._blocks.values()].map(({ block, segment }) => ({ segment, ranges: [{ offset: 0, bytes: block.bytes, block }] }));
  }
}
