/**
 * The caching model (DESIGN.md, "Allocator models"): the CUDA caching allocator PyTorch
 * users meet, as rules over segments and blocks.
 *
 * - A request rounds up to the granule: `roundBytes` (512), or the offset alignment
 *   (`minStorageBufferOffsetAlignment`) when that is coarser, so every block starts aligned.
 * - Requests up to `smallSizeBytes` (1 MiB) come from the small pool, whose segments are
 *   `smallSegmentBytes` (2 MiB); larger ones from the large pool, whose segments are the
 *   request rounded up to `largeSegmentRoundBytes` (2 MiB).
 * - A request takes the smallest free block of its pool that holds it (ties: the lower
 *   segment, then the lower offset), from that block's start; only when none holds it is
 *   a new segment reserved.
 * - A freed block stays reserved in its segment, merged with free neighbours.
 * - When a segment cannot be reserved and `emptyCacheOnOom` is set, every wholly free
 *   segment is released and the reservation tried once more; then out-of-memory.
 *
 * Free blocks are kept per pool in (bytes, segment, offset) order, so best-fit is a
 * binary search; the test re-states the rules as a plain scan and checks the two agree.
 */
import {
  fragmentationOf,
  outOfMemoryMessage,
  type Allocation,
  type AllocatorModel,
  type AllocatorStats,
  type Block,
  type Segment,
  type SegmentLayout,
  type SegmentStep,
} from './allocator-model.ts';

/** The caching model's settings, as the scenario's `allocator` names them. */
export interface CachingConfig {
  roundBytes: number;
  smallSizeBytes: number;
  smallSegmentBytes: number;
  largeSegmentRoundBytes: number;
  emptyCacheOnOom: boolean;
}

/** PyTorch's defaults (CUDACachingAllocator: kMinBlockSize, kSmallSize, kSmallBuffer, kRoundLarge). */
export const kCachingDefaults: CachingConfig = {
  roundBytes: 512,
  smallSizeBytes: 1024 * 1024,
  smallSegmentBytes: 2 * 1024 * 1024,
  largeSegmentRoundBytes: 2 * 1024 * 1024,
  emptyCacheOnOom: true,
};

/** WebGPU's default `minStorageBufferOffsetAlignment`. */
export const kDefaultOffsetAlignment = 256;

/** A range of a segment: a block, or free (`block` null). */
interface Range {
  segment: number;
  offset: number;
  bytes: number;
  block: Block | null;
}

/** The caching model; see the module comment. */
export class CachingModel implements AllocatorModel {
  readonly name = 'caching' as const;
  /** Every request and every segment is a whole number of granules. */
  readonly granule: number;
  private readonly _config: CachingConfig;
  /** Live segments by id, each with its ranges in offset order. */
  private readonly _segments = new Map<number, { segment: Segment; ranges: Range[] }>();
  /** Free ranges per pool, in (bytes, segment, offset) order. */
  private readonly _free: Record<'small' | 'large', Range[]> = { small: [], large: [] };
  private readonly _blocks = new Map<number, Range>();
  private _nextSegment = 1;
  private _nextBlock = 1;
  private _allocated = 0;
  private _reserved = 0;
  private readonly _poolAllocated = { small: 0, large: 0 };
  private readonly _peaks = { allocated: 0, reserved: 0, expandable: 0 };

  constructor(config: CachingConfig = kCachingDefaults, alignmentBytes = kDefaultOffsetAlignment) {
    this._config = config;
    this.granule = lcm(config.roundBytes, alignmentBytes);
  }

  /** The request as the model rounds it. */
  roundedBytes(requestedBytes: number): number {
    return Math.max(this.granule, roundUp(requestedBytes, this.granule));
  }

  /** The pool a rounded request comes from. */
  poolOf(roundedBytes: number): 'small' | 'large' {
    return roundedBytes <= this._config.smallSizeBytes ? 'small' : 'large';
  }

  /** Bytes of the segment a rounded request would need. */
  segmentBytesFor(roundedBytes: number): number {
    const bytes = this.poolOf(roundedBytes) === 'small'
      ? this._config.smallSegmentBytes
      : roundUp(roundedBytes, this._config.largeSegmentRoundBytes);
    return roundUp(bytes, this.granule);
  }

  *allocate(requestedBytes: number): Generator<SegmentStep, Allocation, boolean | undefined> {
    const bytes = this.roundedBytes(requestedBytes);
    const pool = this.poolOf(bytes);
    const cached = this._bestFit(pool, bytes);
    if (cached) return { ok: true, block: this._take(cached, bytes, requestedBytes) };
    const segmentBytes = this.segmentBytesFor(bytes);
    const segment: Segment = { id: this._nextSegment++, bytes: segmentBytes, pool };
    let reserved = yield { kind: 'reserve', segment };
    if (!reserved && this._config.emptyCacheOnOom) {
      for (const released of this.emptyCache()) yield { kind: 'release', segment: released };
      reserved = yield { kind: 'reserve', segment };
    }
    if (!reserved) {
      const stats = this.stats();
      const expandableBytes = this._expandableBytes(pool === 'small' ? bytes : 0, pool === 'large' ? bytes : 0);
      return {
        ok: false,
        oom: { requestedBytes, roundedBytes: bytes, segmentBytes, stats, expandableBytes, message: outOfMemoryMessage(this.name, requestedBytes, segmentBytes, stats) },
      };
    }
    const whole: Range = { segment: segment.id, offset: 0, bytes: segmentBytes, block: null };
    this._segments.set(segment.id, { segment, ranges: [whole] });
    this._reserved += segmentBytes;
    this._insertFree(pool, whole);
    return { ok: true, block: this._take(whole, bytes, requestedBytes) };
  }

  free(blockId: number): Segment[] {
    const range = this._blocks.get(blockId);
    if (!range || !range.block) return [];
    this._blocks.delete(blockId);
    const { segment, ranges } = this._segments.get(range.segment)!;
    const pool = segment.pool as 'small' | 'large';
    this._allocated -= range.bytes;
    this._poolAllocated[pool] -= range.bytes;
    range.block = null;
    let i = ranges.indexOf(range);
    const next = ranges[i + 1];
    if (next && !next.block) {
      this._removeFree(pool, next);
      range.bytes += next.bytes;
      ranges.splice(i + 1, 1);
    }
    const previous = ranges[i - 1];
    if (previous && !previous.block) {
      this._removeFree(pool, previous);
      previous.bytes += range.bytes;
      ranges.splice(i, 1);
      i--;
    }
    this._insertFree(pool, ranges[i]);
    return [];
  }

  emptyCache(): Segment[] {
    const released: Segment[] = [];
    for (const [id, { segment, ranges }] of this._segments) {
      if (ranges.length !== 1 || ranges[0].block) continue;
      this._removeFree(segment.pool as 'small' | 'large', ranges[0]);
      this._segments.delete(id);
      this._reserved -= segment.bytes;
      released.push(segment);
    }
    return released;
  }

  stats(): AllocatorStats {
    const reservedFreeBytes = this._reserved - this._allocated;
    const largestFreeBytes = Math.max(this._free.small.at(-1)?.bytes ?? 0, this._free.large.at(-1)?.bytes ?? 0);
    return {
      allocatedBytes: this._allocated,
      reservedBytes: this._reserved,
      reservedFreeBytes,
      largestFreeBytes,
      fragmentation: fragmentationOf(largestFreeBytes, reservedFreeBytes),
      segments: this._segments.size,
      blocks: this._blocks.size,
      allocatedPeakBytes: this._peaks.allocated,
      reservedPeakBytes: this._peaks.reserved,
      expandablePeakBytes: this._peaks.expandable,
    };
  }

  layout(): SegmentLayout[] {
    return [...this._segments.values()]
      .sort((a, b) => a.segment.id - b.segment.id)
      .map(({ segment, ranges }) => ({ segment, ranges: ranges.map(({ offset, bytes, block }) => ({ offset, bytes, block })) }));
  }

  /** The smallest free range of `pool` holding `bytes`, or null. */
  private _bestFit(pool: 'small' | 'large', bytes: number): Range | null {
    const free = this._free[pool];
    let lo = 0;
    let hi = free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (free[mid].bytes < bytes) lo = mid + 1;
      else hi = mid;
    }
    return free[lo] ?? null;
  }

  /** Hands out the first `bytes` of a free range, leaving the rest free after it. */
  private _take(range: Range, bytes: number, requested: number): Block {
    const { segment, ranges } = this._segments.get(range.segment)!;
    const pool = segment.pool as 'small' | 'large';
    this._removeFree(pool, range);
    if (range.bytes > bytes) {
      const rest: Range = { segment: range.segment, offset: range.offset + bytes, bytes: range.bytes - bytes, block: null };
      ranges.splice(ranges.indexOf(range) + 1, 0, rest);
      this._insertFree(pool, rest);
      range.bytes = bytes;
    }
    const block: Block = { id: this._nextBlock++, segment: range.segment, offset: range.offset, bytes, requested };
    range.block = block;
    this._blocks.set(block.id, range);
    this._allocated += bytes;
    this._poolAllocated[pool] += bytes;
    this._peaks.allocated = Math.max(this._peaks.allocated, this._allocated);
    this._peaks.reserved = Math.max(this._peaks.reserved, this._reserved);
    this._peaks.expandable = Math.max(this._peaks.expandable, this._expandableBytes(0, 0));
    return block;
  }

  /** What expandable segments would reserve with `small` and `large` more bytes allocated in each pool. */
  private _expandableBytes(small: number, large: number): number {
    return (
      roundUp(this._poolAllocated.small + small, this._config.smallSegmentBytes) +
      roundUp(this._poolAllocated.large + large, this._config.largeSegmentRoundBytes)
    );
  }

  private _insertFree(pool: 'small' | 'large', range: Range): void {
    const free = this._free[pool];
    free.splice(this._position(free, range), 0, range);
  }

  private _removeFree(pool: 'small' | 'large', range: Range): void {
    const free = this._free[pool];
    const i = this._position(free, range);
    if (free[i] !== range) throw new Error(`free list out of order at segment ${range.segment} offset ${range.offset}`);
    free.splice(i, 1);
  }

  /** Where `range` sits (or would sit) in a free list. */
  private _position(free: Range[], range: Range): number {
    let lo = 0;
    let hi = free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareRanges(free[mid], range) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function compareRanges(a: Range, b: Range): number {
  return a.bytes - b.bytes || a.segment - b.segment || a.offset - b.offset;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function lcm(a: number, b: number): number {
  let [x, y] = [a, b];
  while (y) [x, y] = [y, x % y];
  return (a / x) * b;
}
