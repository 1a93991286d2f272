// The caching allocator model against a plain re-statement of its rules, over random request/free sequences.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allocateNow, ExactModel, type AllocatorModel, type Segment } from '../../src/core/allocator-model.ts';
import { CachingModel, kCachingDefaults, type CachingConfig } from '../../src/core/caching-allocator.ts';

/** The rules of DESIGN.md's caching allocator, restated as a plain scan over every segment. */
interface PlainSegment {
  id: number;
  bytes: number;
  pool: string;
  ranges: { offset: number; bytes: number; block: number | null }[];
}
class Restatement {
  segments: PlainSegment[] = [];
  private nextSegment = 1;
  private nextBlock = 1;
  constructor(private readonly config: CachingConfig, private readonly alignment: number, private readonly budget: number) {}

  get reserved() {
    return this.segments.reduce((sum, s) => sum + s.bytes, 0);
  }

  allocate(requested: number): { segment: number; offset: number; bytes: number; block: number } | 'oom' {
    let granule = Math.max(this.config.roundBytes, this.alignment);
    while (granule % this.config.roundBytes || granule % this.alignment) granule += Math.max(this.config.roundBytes, this.alignment);
    const bytes = Math.max(granule, Math.ceil(requested / granule) * granule);
    const pool = bytes <= this.config.smallSizeBytes ? 'small' : 'large';
    let best: { segment: PlainSegment; index: number } | undefined;
    for (const segment of this.segments) {
      if (segment.pool !== pool) continue;
      segment.ranges.forEach((range, index) => {
        if (range.block !== null || range.bytes < bytes) return;
        const current = best && best.segment.ranges[best.index];
        if (!current || range.bytes < current.bytes || (range.bytes === current.bytes && segment.id < best!.segment.id)) best = { segment, index };
      });
    }
    if (!best) {
      let segmentBytes = pool === 'small' ? this.config.smallSegmentBytes : Math.ceil(bytes / this.config.largeSegmentRoundBytes) * this.config.largeSegmentRoundBytes;
      segmentBytes = Math.ceil(segmentBytes / granule) * granule;
      const id = this.nextSegment++;
      if (this.reserved + segmentBytes > this.budget && this.config.emptyCacheOnOom) {
        this.segments = this.segments.filter((s) => s.ranges.some((r) => r.block !== null));
      }
      if (this.reserved + segmentBytes > this.budget) return 'oom';
      const segment: PlainSegment = { id, bytes: segmentBytes, pool, ranges: [{ offset: 0, bytes: segmentBytes, block: null }] };
      this.segments.push(segment);
      best = { segment, index: 0 };
    }
    const range = best.segment.ranges[best.index];
    if (range.bytes > bytes) best.segment.ranges.splice(best.index + 1, 0, { offset: range.offset + bytes, bytes: range.bytes - bytes, block: null });
    range.bytes = bytes;
    range.block = this.nextBlock++;
    return { segment: best.segment.id, offset: range.offset, bytes, block: range.block };
  }

  free(block: number): void {
    for (const segment of this.segments) {
      const range = segment.ranges.find((r) => r.block === block);
      if (!range) continue;
      range.block = null;
      // Merge every run of neighbouring free ranges into one.
      const merged: PlainSegment['ranges'] = [];
      for (const r of segment.ranges) {
        const last = merged.at(-1);
        if (last && last.block === null && r.block === null) last.bytes += r.bytes;
        else merged.push({ ...r });
      }
      segment.ranges = merged;
    }
  }
}

type Op = { kind: 'alloc'; bytes: number } | { kind: 'free'; pick: number };

const kSmallConfig: CachingConfig = { roundBytes: 512, smallSizeBytes: 4096, smallSegmentBytes: 8192, largeSegmentRoundBytes: 8192, emptyCacheOnOom: true };

const opsArb = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 40_000 })).map((bytes): Op => ({ kind: 'alloc', bytes })) },
    { weight: 2, arbitrary: fc.nat(1000).map((pick): Op => ({ kind: 'free', pick })) },
  ),
  { maxLength: 120 },
);

const caseArb = fc.record({
  ops: opsArb,
  budget: fc.integer({ min: 0, max: 160_000 }),
  alignment: fc.constantFrom(256, 512, 2048),
  emptyCacheOnOom: fc.boolean(),
});

/** Checks what must hold of any layout: ranges tile each segment, blocks aligned, no two free neighbours, reserved ≥ allocated. */
function checkLayout(model: AllocatorModel, alignment: number) {
  let allocated = 0;
  let reserved = 0;
  for (const { segment, ranges } of model.layout()) {
    reserved += segment.bytes;
    let end = 0;
    ranges.forEach((range, i) => {
      expect(range.offset).toBe(end);
      expect(range.bytes).toBeGreaterThan(0);
      end += range.bytes;
      if (range.block) {
        expect(range.block.segment).toBe(segment.id);
        expect(range.block.offset % alignment).toBe(0);
        expect(range.block.bytes).toBeGreaterThanOrEqual(range.block.requested);
        allocated += range.bytes;
      } else if (i > 0) {
        expect(ranges[i - 1].block).not.toBeNull();
      }
    });
    expect(end).toBe(segment.bytes);
  }
  const stats = model.stats();
  expect(stats.allocatedBytes).toBe(allocated);
  expect(stats.reservedBytes).toBe(reserved);
  expect(stats.reservedBytes).toBeGreaterThanOrEqual(stats.allocatedBytes);
  expect(stats.fragmentation).toBeGreaterThanOrEqual(0);
  expect(stats.fragmentation).toBeLessThan(1);
}

describe('the caching model', () => {
  test('agrees with the re-statement on every placement and every failure, and keeps its layout sound', () => {
    fc.assert(
      fc.property(caseArb, ({ ops, budget, alignment, emptyCacheOnOom }) => {
        const config = { ...kSmallConfig, emptyCacheOnOom };
        const model = new CachingModel(config, alignment);
        const plain = new Restatement(config, alignment, budget);
        const reservedNow = () => model.stats().reservedBytes;
        const reserve = (segment: Segment) => reservedNow() + segment.bytes <= budget;
        const live: number[] = [];
        for (const op of ops) {
          if (op.kind === 'alloc') {
            const expected = plain.allocate(op.bytes);
            const got = allocateNow(model, op.bytes, reserve);
            if (expected === 'oom') {
              expect(got.ok).toBe(false);
              if (!got.ok) {
                expect(got.oom.stats.reservedBytes).toBe(plain.reserved);
                expect(got.oom.stats.reservedFreeBytes).toBe(got.oom.stats.reservedBytes - got.oom.stats.allocatedBytes);
              }
            } else {
              expect(got).toEqual({ ok: true, block: { id: expected.block, segment: expected.segment, offset: expected.offset, bytes: expected.bytes, requested: op.bytes } });
              live.push(expected.block);
            }
          } else if (live.length) {
            const [block] = live.splice(op.pick % live.length, 1);
            expect(model.free(block)).toEqual([]);
            plain.free(block);
          }
          expect(model.stats().reservedBytes).toBe(plain.reserved);
          expect(model.stats().reservedBytes).toBeLessThanOrEqual(Math.max(budget, 0));
          checkLayout(model, alignment);
        }
        const released = model.emptyCache();
        expect(model.layout().every((s) => s.ranges.some((r) => r.block))).toBe(true);
        expect(released.every((s) => s.bytes > 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('PyTorch rounding and segment sizes with the defaults', () => {
    const model = new CachingModel(kCachingDefaults);
    expect([0, 1, 512, 513, 1 << 20].map((n) => model.roundedBytes(n))).toEqual([512, 512, 512, 1024, 1 << 20]);
    expect(model.segmentBytesFor(512)).toBe(2 << 20);
    expect(model.segmentBytesFor((1 << 20) + 512)).toBe(2 << 20);
    expect(model.segmentBytesFor((5 << 20) + 512)).toBe(6 << 20);
  });

  test('a freed block is reused by the next request it holds, and a request larger than any free block fails as fragmentation', () => {
    const MiB = 1 << 20;
    const model = new CachingModel(kCachingDefaults);
    const budget = 8 * MiB;
    const reserve = (s: Segment) => model.stats().reservedBytes + s.bytes <= budget;
    const a = allocateNow(model, 3 * MiB, reserve);
    const b = allocateNow(model, 3 * MiB, reserve);
    if (!a.ok || !b.ok) throw new Error('the first two fit');
    // Each 3 MiB request gets a 4 MiB segment: 8 MiB reserved, 6 MiB allocated.
    expect(model.stats()).toMatchObject({ allocatedBytes: 6 * MiB, reservedBytes: 8 * MiB });
    model.free(a.block.id);
    const c = allocateNow(model, 2 * MiB, reserve);
    expect(c).toMatchObject({ ok: true, block: { segment: a.block.segment, offset: 0 } });
    // 3 MiB + 2 MiB allocated, 8 MiB reserved: 3 MiB free in two pieces (2 MiB and 1 MiB); 4 MiB fits in neither.
    const d = allocateNow(model, 4 * MiB, reserve);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.oom.stats).toMatchObject({ allocatedBytes: 5 * MiB, reservedBytes: 8 * MiB, reservedFreeBytes: 3 * MiB, largestFreeBytes: 2 * MiB });
    expect(d.oom.stats.fragmentation).toBeCloseTo(1 / 3);
    // Expandable segments: 5 MiB allocated and 4 MiB asked, rounded up to 2 MiB pages, is 10 MiB.
    expect(d.oom.expandableBytes).toBe(10 * MiB);
    expect(d.oom.message).toContain('5 MiB (5,242,880 B) allocated, 8 MiB (8,388,608 B) reserved, 3 MiB (3,145,728 B) reserved but free');
  });

  test('emptyCacheOnOom releases wholly free segments and retries once', () => {
    const MiB = 1 << 20;
    const model = new CachingModel(kCachingDefaults);
    const released: Segment[] = [];
    const reserve = (s: Segment) => model.stats().reservedBytes + s.bytes <= 8 * MiB;
    const a = allocateNow(model, 6 * MiB, reserve);
    if (!a.ok) throw new Error('6 MiB fits 8');
    model.free(a.block.id);
    const b = allocateNow(model, 7 * MiB, reserve, (s) => released.push(s));
    expect(b.ok).toBe(true);
    expect(released).toEqual([{ id: 1, bytes: 6 * MiB, pool: 'large' }]);
    expect(model.stats()).toMatchObject({ allocatedBytes: 7 * MiB, reservedBytes: 8 * MiB, reservedPeakBytes: 8 * MiB, expandablePeakBytes: 8 * MiB });
  });
});

describe('the exact model', () => {
  test('one segment per request, released with its block; allocated equals reserved', () => {
    const model = new ExactModel();
    const a = allocateNow(model, 10, () => true);
    expect(a).toEqual({ ok: true, block: { id: 1, segment: 1, offset: 0, bytes: 12, requested: 10 } });
    expect(model.free(1)).toEqual([{ id: 1, bytes: 12, pool: 'own' }]);
    expect(model.stats()).toMatchObject({ allocatedBytes: 0, reservedBytes: 0, allocatedPeakBytes: 12, reservedPeakBytes: 12 });
    const failed = allocateNow(model, 100, () => false);
    expect(failed.ok).toBe(false);
  });
});
