// The memory series the timeline draws and the CSV writes: totals, layers, peaks, and thinning that loses no peak.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { kUnnamedLayer, MemorySeries } from '../../src/core/memory-series.ts';
import type { TraceEvent, UsageClass } from '../../src/core/trace.ts';

const alloc = (t: number, id: number, bytes: number, usage: UsageClass, array?: string): TraceEvent => ({
  t, kind: 'alloc', id, label: `${array ?? usage} #${id}`, bytes, usage, ...(array && { array }),
});
const free = (t: number, id: number, bytes: number, usage: UsageClass, array?: string): TraceEvent => ({
  t, kind: 'free', id, label: `${array ?? usage} #${id}`, bytes, usage, ...(array && { array }),
});

describe('MemorySeries', () => {
  const trace: TraceEvent[] = [
    { t: 0, kind: 'attempt', attempt: 1, backend: 'webgpu', chunkLength: 10, precision: 'native', predictedPeakBytes: 700, start: 0 },
    alloc(1, 1, 400, 'storage', 'x'),
    alloc(2, 2, 200, 'storage', 'y'),
    alloc(3, 3, 1000, 'staging'),
    free(4, 3, 1000, 'staging'),
    alloc(5, 4, 100, 'uniform'),
    free(6, 2, 200, 'storage', 'y'),
    alloc(7, 5, 200, 'storage', 'y'),
    free(8, 99, 5000, 'storage', 'z'),
    { t: 9, kind: 'done', status: 'ok', runsDone: 10 },
  ];
  const series = MemorySeries.of(trace);

  test('one sample per alloc and free of a known buffer, after an empty start', () => {
    expect(series.eventIndex).toEqual([-1, 1, 2, 3, 4, 5, 6, 7]);
    expect(series.t).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(series.tEnd).toBe(9);
    expect(series.eventCount).toBe(trace.length);
  });

  test('device-local bytes in all, per array and per usage class; staging apart', () => {
    expect(series.device).toEqual([0, 400, 600, 600, 600, 700, 500, 700]);
    expect(series.staging).toEqual([0, 0, 0, 1000, 0, 0, 0, 0]);
    expect([...series.byArray.keys()]).toEqual(['x', 'y', kUnnamedLayer]);
    expect(series.byArray.get('x')).toEqual([0, 400, 400, 400, 400, 400, 400, 400]);
    expect(series.byArray.get('y')).toEqual([0, 0, 200, 200, 200, 200, 0, 200]);
    expect(series.byArray.get(kUnnamedLayer)).toEqual([0, 0, 0, 0, 0, 100, 100, 100]);
    expect(series.byUsage.storage).toEqual([0, 400, 600, 600, 600, 600, 400, 600]);
    expect(series.byUsage.uniform).toEqual([0, 0, 0, 0, 0, 100, 100, 100]);
  });

  test('the peak is the first allocation that reached the most device bytes', () => {
    expect(series.peakBytes).toBe(700);
    expect(series.peakSample).toBe(5);
    expect(series.peakSetBy).toEqual({ label: 'uniform #4', bytes: 100, t: 5 });
    expect(series.stagingPeakBytes).toBe(1000);
    expect(series.liveBuffers().map((b) => b.id)).toEqual([1, 4, 5]);
  });

  test('without segments, reserved is the device-local bytes', () => {
    expect(series.reserved).toEqual(series.device);
    expect(series.reservedPeakBytes).toBe(700);
    expect(series.hasSegments).toBe(false);
  });

  test('segments add samples in which reserved moves and allocated stays; blocks in a segment add no reserved bytes', () => {
    const segment = (t: number, kind: 'segment-alloc' | 'segment-free', id: number, bytes: number): TraceEvent => ({ t, kind, id, label: `segment ${id}`, bytes, pool: 'large' });
    const withSegments = MemorySeries.of([
      segment(1, 'segment-alloc', 1, 4096),
      { ...alloc(2, 1, 1024, 'storage', 'x'), segment: 1, offset: 0 } as TraceEvent,
      alloc(3, 2, 100, 'storage', 'y'),
      free(4, 1, 1024, 'storage', 'x'),
      segment(5, 'segment-free', 1, 4096),
      segment(6, 'segment-free', 1, 4096),
    ]);
    expect(withSegments.t).toEqual([0, 1, 2, 3, 4, 5]);
    expect(withSegments.device).toEqual([0, 0, 1024, 1124, 100, 100]);
    expect(withSegments.reserved).toEqual([0, 4096, 4096, 4196, 4196, 100]);
    expect(withSegments.byArray.get('x')).toEqual([0, 0, 1024, 1024, 0, 0]);
    expect(withSegments.byUsage.storage).toEqual(withSegments.device);
    expect(withSegments).toMatchObject({ peakBytes: 1124, reservedPeakBytes: 4196, hasSegments: true });
  });

  test('appending in batches gives the series of the whole trace', () => {
    const live = new MemorySeries();
    live.appendAll(trace.slice(0, 4));
    expect(live.deviceNow).toBe(600);
    expect(live.stagingNow).toBe(1000);
    live.appendAll(trace.slice(4));
    expect(live).toEqual(series);
  });

  test('sampleAt gives the step the line shows at a time', () => {
    expect(series.sampleAt(-1)).toBe(0);
    expect(series.sampleAt(2.5)).toBe(2);
    expect(series.sampleAt(100)).toBe(series.length - 1);
  });
});

/** A random trace: allocations and frees of buffers of a few arrays and usage classes, in time order. */
const arbTrace = fc
  .array(fc.record({ free: fc.boolean(), bytes: fc.integer({ min: 4, max: 1 << 20 }), usage: fc.constantFrom<UsageClass>('storage', 'uniform', 'staging'), array: fc.constantFrom('a', 'b', 'c', undefined), dt: fc.nat(3) }), { maxLength: 3000 })
  .map((steps) => {
    const events: TraceEvent[] = [];
    const live: { id: number; bytes: number; usage: UsageClass; array?: string }[] = [];
    let t = 0;
    let id = 0;
    for (const step of steps) {
      t += step.dt;
      const victim = step.free && live.length ? live.splice(step.bytes % live.length, 1)[0] : undefined;
      if (victim) events.push(free(t, victim.id, victim.bytes, victim.usage, victim.array));
      else {
        const array = step.usage === 'staging' ? undefined : step.array;
        live.push({ id: ++id, bytes: step.bytes, usage: step.usage, array });
        events.push(alloc(t, id, step.bytes, step.usage, array));
      }
    }
    return events;
  });

describe('MemorySeries over random traces', () => {
  test('the layers of either stacking add up to the device total at every sample', () => {
    fc.assert(
      fc.property(arbTrace, (trace) => {
        const s = MemorySeries.of(trace);
        for (let i = 0; i < s.length; i++) {
          let byArray = 0;
          for (const column of s.byArray.values()) byArray += column[i];
          expect(byArray).toBe(s.device[i]);
          expect(s.byUsage.storage[i] + s.byUsage.uniform[i]).toBe(s.device[i]);
          expect(s.device[i]).toBeGreaterThanOrEqual(0);
        }
        expect(Math.max(...s.device)).toBe(s.peakBytes);
        expect(Math.max(...s.staging)).toBe(s.stagingPeakBytes);
      }),
      { numRuns: 200 },
    );
  });

  test('thinning keeps at most 4 samples a bucket, in order, with the first and last samples, the peak and the staging maximum', () => {
    fc.assert(
      fc.property(arbTrace, fc.integer({ min: 1, max: 200 }), (trace, buckets) => {
        const s = MemorySeries.of(trace);
        const kept = s.thinned(buckets);
        expect(kept.length).toBeLessThanOrEqual(Math.min(s.length, 4 * buckets));
        for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1]);
        expect(kept[0]).toBe(0);
        expect(kept.at(-1)).toBe(s.length - 1);
        expect(kept).toContain(s.peakSample);
        expect(Math.max(...kept.map((i) => s.staging[i]))).toBe(s.stagingPeakBytes);
      }),
      { numRuns: 200 },
    );
  });

  test('thinning keeps, in every time bucket, that bucket\'s highest device and staging bytes', () => {
    fc.assert(
      fc.property(arbTrace, fc.integer({ min: 1, max: 12 }), (trace, buckets) => {
        const s = MemorySeries.of(trace);
        const kept = new Set(s.thinned(buckets));
        // A bucket is a slice 1/buckets of the run's time; the last one holds the end.
        const span = Math.max(s.tEnd, s.t[s.length - 1]) || 1;
        const bucketOf = (i: number) => Math.min(buckets - 1, Math.floor((s.t[i] / span) * buckets));
        const most = (column: number[], only: (i: number) => boolean) => {
          const best = new Map<number, number>();
          for (let i = 0; i < s.length; i++) if (only(i)) best.set(bucketOf(i), Math.max(best.get(bucketOf(i)) ?? -1, column[i]));
          return best;
        };
        expect(most(s.device, (i) => kept.has(i))).toEqual(most(s.device, () => true));
        expect(most(s.staging, (i) => kept.has(i))).toEqual(most(s.staging, () => true));
      }),
      { numRuns: 300 },
    );
  });

  test('100 000 allocations and frees thin to a bounded number of points', () => {
    const trace: TraceEvent[] = [];
    for (let i = 0; i < 50_000; i++) {
      trace.push(alloc(i, i + 1, 1000 + (i % 7), 'storage', 'x'));
      trace.push(free(i + 0.5, i + 1, 1000 + (i % 7), 'storage', 'x'));
    }
    const s = MemorySeries.of(trace);
    expect(s.length).toBe(100_001);
    const kept = s.thinned(1000);
    expect(kept.length).toBeLessThanOrEqual(4000);
    expect(Math.max(...kept.map((i) => s.device[i]))).toBe(1006);
  });
});
