// The memory series the timeline draws and the CSV writes: totals, layers, peaks, and time buckets that lose no peak.
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { kUnnamedLayer, lastAtOrBefore, MemorySeries } from '../../src/core/memory-series.ts';
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

  test('each bucket holds the least, most and last bytes of its samples and of the step entering it, as a scan finds them', () => {
    fc.assert(
      fc.property(arbTrace, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (trace, cuts) => {
        const s = MemorySeries.of(trace);
        const span = s.tEnd || 1;
        const edges = [0, ...cuts.map((c) => c * span).sort((a, b) => a - b), span];
        const got = s.buckets(edges);
        for (let b = 0; b + 1 < edges.length; b++) {
          const last = b + 2 === edges.length;
          let entering = 0;
          for (let i = 0; i < s.length; i++) if (s.t[i] < edges[b]) entering = i;
          const inside = [entering];
          for (let i = 0; i < s.length; i++) if (s.t[i] >= edges[b] && (last ? s.t[i] <= edges[b + 1] : s.t[i] < edges[b + 1])) inside.push(i);
          const device = inside.map((i) => s.device[i]);
          const staging = inside.map((i) => s.staging[i]);
          const most = device.reduce((m, v) => Math.max(m, v), -Infinity);
          expect([got.deviceMin[b], got.deviceMax[b], got.deviceLast[b]]).toEqual([device.reduce((m, v) => Math.min(m, v), Infinity), most, s.device[Math.max(...inside)]]);
          expect([got.stagingMin[b], got.stagingMax[b], got.stagingLast[b]]).toEqual([staging.reduce((m, v) => Math.min(m, v), Infinity), staging.reduce((m, v) => Math.max(m, v), -Infinity), s.staging[Math.max(...inside)]]);
          expect(s.device[got.top[b]]).toBe(most);
          expect(inside).toContain(got.top[b]);
        }
        // However coarse, the buckets keep the peak.
        expect(got.deviceMax.reduce((m, v) => Math.max(m, v), 0)).toBe(s.peakBytes);
        expect(got.stagingMax.reduce((m, v) => Math.max(m, v), 0)).toBe(s.stagingPeakBytes);
      }),
      { numRuns: 300 },
    );
  });

  test('100 000 allocations and frees give one value a bucket, the peak kept', () => {
    const trace: TraceEvent[] = [];
    for (let i = 0; i < 50_000; i++) {
      trace.push(alloc(i, i + 1, 1000 + (i % 7), 'storage', 'x'));
      trace.push(free(i + 0.5, i + 1, 1000 + (i % 7), 'storage', 'x'));
    }
    const s = MemorySeries.of(trace);
    expect(s.length).toBe(100_001);
    const edges = Array.from({ length: 1001 }, (_, i) => (i / 1000) * s.tEnd);
    const got = s.buckets(edges);
    expect(got.deviceMax.length).toBe(1000);
    expect(got.deviceMax.reduce((m, v) => Math.max(m, v), 0)).toBe(1006);
    expect(got.deviceMin.reduce((m, v) => Math.min(m, v), Infinity)).toBe(0);
  });
});

describe('lastAtOrBefore', () => {
  it('is the last index whose value is at most x, searching [0, last]; 0 when none is', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: -60, max: 60 }), fc.nat(), (raw, x, cut) => {
        const values = [...raw].sort((a, b) => a - b);
        const last = cut % values.length;
        let expected = 0;
        for (let i = 0; i <= last; i++) if (values[i] <= x) expected = i;
        expect(lastAtOrBefore(values, x, last)).toBe(expected);
      }),
    );
  });
});
