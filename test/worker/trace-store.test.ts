// The worker's trace store: the timeline's windows and samples, the event log's pages, search and jumps, and forgetting traces; any query value is answered, never thrown on.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../../src/core/trace.ts';
import { TraceStore } from '../../src/worker/trace-store.ts';

/** 100 chunks of one run: a staging buffer allocated and freed in each, two device buffers for the whole run. */
function run(): TraceEvent[] {
  const events: TraceEvent[] = [
    { t: 0, kind: 'attempt', attempt: 1, backend: 'webgpu', chunkLength: 1, precision: 'native', predictedPeakBytes: 16, start: 0 },
    { t: 1, kind: 'alloc', id: 1, label: 'x set 0 (8 B)', bytes: 8, usage: 'storage', array: 'x' },
    { t: 1, kind: 'alloc', id: 2, label: 'y set 0 (8 B)', bytes: 8, usage: 'storage', array: 'y' },
  ];
  for (let c = 0; c < 100; c++) {
    const t = 10 + c * 10;
    events.push(
      { t, kind: 'chunk-begin', index: c, start: c, end: c + 1 },
      { t: t + 1, kind: 'alloc', id: 10 + c, label: `upload staging chunk ${c} (${100 + c} B)`, bytes: 100 + c, usage: 'staging' },
      { t: t + 2, kind: 'upload', chunk: c, ms: 1, bytes: 8 },
      { t: t + 3, kind: 'free', id: 10 + c, label: `upload staging chunk ${c} (${100 + c} B)`, bytes: 100 + c, usage: 'staging' },
      { t: t + 4, kind: 'chunk-end', index: c, start: c, end: c + 1 },
    );
  }
  events.push({ t: 1100, kind: 'free', id: 1, label: 'x set 0 (8 B)', bytes: 8, usage: 'storage', array: 'x' }, { t: 1100, kind: 'free', id: 2, label: 'y set 0 (8 B)', bytes: 8, usage: 'storage', array: 'y' }, { t: 1101, kind: 'done', status: 'ok', runsDone: 100 });
  return events;
}

function stored(events = run()) {
  const store = new TraceStore();
  const trace = store.create();
  for (const e of events) trace.append(e);
  return { store, id: trace.id, events };
}

const all = { kind: 'all', search: '' };

describe('TraceStore: the timeline', () => {
  test('a window is cut into the buckets asked for, keeps the staging peak, and lists the chunks in it', () => {
    const { store, id } = stored();
    const whole = store.view(id, { axis: 'time', buckets: 50, stackBy: 'array' })!.view;
    expect(whole.deviceMax.length).toBe(50);
    expect(whole.window).toEqual([0, 1101]);
    expect(whole.stagingMax.reduce((m, v) => Math.max(m, v), 0)).toBe(199);
    expect(whole.layers.map((l) => l.key)).toEqual(['x', 'y']);
    expect(whole.bandsInWindow).toBe(100);
    const zoomed = store.view(id, { axis: 'time', from: 500, to: 540, buckets: 40, stackBy: 'usage' })!.view;
    expect(zoomed.bands.map((b) => b.index)).toEqual([49, 50, 51, 52, 53]);
    expect(zoomed.layers.map((l) => l.key)).toEqual(['storage']);
    // By chunk, chunk 50 begins at 51: the window [51, 52) holds exactly its staging buffer.
    const byChunk = store.view(id, { axis: 'chunk', from: 51, to: 52, buckets: 10, stackBy: 'array' })!.view;
    expect(byChunk.stagingMax.reduce((m, v) => Math.max(m, v), 0)).toBe(150);
  });

  test('a sample names its allocation, the chunk and attempt it happened in, and the bytes live then', () => {
    const { store, id, events } = stored();
    const at = store.sample(id, { x: 511.5 }, 'time', 'array')!;
    expect(at.event).toMatchObject({ kind: 'alloc', label: 'upload staging chunk 50 (150 B)', bytes: 150 });
    expect(events[at.eventIndex]).toBe(at.event);
    expect([at.chunk, at.attempt, at.deviceBytes, at.stagingBytes]).toEqual([50, 1, 16, 150]);
    expect(at.layers).toEqual([{ key: 'x', bytes: 8 }, { key: 'y', bytes: 8 }]);
    expect(store.sample(id, { sample: 1e9 }, 'time', 'array')!.sample).toBe(at.sampleCount - 1);
  });

  test('another trace is drawn over the same window as a line', () => {
    const { store, id } = stored();
    const other = store.create();
    for (const e of run()) other.append(e);
    const both = store.view(id, { axis: 'time', buckets: 20, stackBy: 'array' }, other.id)!;
    expect(both.compare!.deviceMax).toEqual(both.view.deviceMax);
    expect(both.compare!.peakBytes).toBe(16);
  });

  test('a compared run is aligned at its first chunk: a run whose set-up took 50 ms longer is drawn 50 ms earlier', () => {
    const { store, id } = stored();
    const other = store.create();
    const late = run().map((e) => ({ ...e, t: e.t + 50 }));
    for (const e of late) other.append(e);
    const both = store.view(id, { axis: 'time', from: 0, to: 1000, buckets: 500, stackBy: 'array' }, other.id)!;
    expect(both.compare!.shiftMs).toBe(-50);
    // Shifted, its curve is this run's, bucket for bucket (the staging line would show it too; the device line is the one drawn).
    expect(both.compare!.deviceMax).toEqual(both.view.deviceMax);
    expect(both.compare!.deviceLast).toEqual(both.view.deviceLast);
    // Unshifted, the late run's buffers would appear 50 ms after this run's.
    const unshifted = store.view(other.id, { axis: 'time', from: 0, to: 1000, buckets: 500, stackBy: 'array' })!.view;
    expect(unshifted.deviceMax).not.toEqual(both.view.deviceMax);
    // By chunk the axis lines chunks up by itself: no shift.
    expect(store.view(id, { axis: 'chunk', buckets: 50, stackBy: 'array' }, other.id)!.compare!.shiftMs).toBe(0);
  });

  test('the stepped chunk is placed on the axis wherever the window is, and its rows are located for the log', () => {
    const { store, id, events } = stored();
    const view = store.view(id, { axis: 'time', from: 0, to: 100, buckets: 10, stackBy: 'array', stepChunk: 50 })!.view;
    expect(view.stepped).toEqual([{ index: 50, attempt: 1, start: 50, end: 51, dangling: false, x0: 510, x1: 514 }]);
    // By chunk, chunk 50 begins at 51 and ends 4 ms into the 10 ms before chunk 51.
    const byChunk = store.view(id, { axis: 'chunk', buckets: 10, stackBy: 'array', stepChunk: 50 })!.view;
    expect(byChunk.stepped.map((b) => [b.x0, b.x1])).toEqual([[51, 51.4]]);
    expect(store.view(id, { axis: 'time', buckets: 10, stackBy: 'array' })!.view.stepped).toEqual([]);
    const rows = store.chunkRows(id, 50);
    const begin = events.findIndex((e) => e.kind === 'chunk-begin' && e.index === 50);
    expect(rows).toEqual({ chunk: 50, ranges: [[begin, begin + 4]] });
    expect(events[begin + 4]).toMatchObject({ kind: 'chunk-end', index: 50 });
    expect(store.chunkRows(id, 100).ranges).toEqual([]);
  });

  test('a pointer names the allocation drawn at its height in the stack, in the layers\' order, not the last one made', () => {
    const { store, id } = stored();
    // In chunk 50 both whole-run buffers are live (x below y) and were allocated before any chunk.
    const at = (bytes: number, stack = ['x', 'y']) => store.sample(id, { x: 515, bytes, stack }, 'time', 'array')!;
    expect(at(3).block).toMatchObject({ eventIndex: 1, event: { label: 'x set 0 (8 B)' }, chunk: -1, attempt: 1, baseBytes: 0 });
    expect(at(12).block).toMatchObject({ eventIndex: 2, event: { label: 'y set 0 (8 B)' }, baseBytes: 8 });
    expect(at(3, ['y', 'x']).block).toMatchObject({ eventIndex: 2 });
    // Above the stack, no block: the readout names the event at that instant instead.
    expect(at(16).block).toBeUndefined();
    expect(at(-1).block).toBeUndefined();
    expect(store.sample(id, { x: 515 }, 'time', 'array')!.block).toBeUndefined();
    // By usage class both are storage: one layer, allocation order within it.
    expect(store.sample(id, { x: 515, bytes: 9, stack: ['storage'] }, 'time', 'usage')!.block).toMatchObject({ eventIndex: 2 });
    // The pointer's own time and chunk, though the last allocation or free was before it.
    expect(store.sample(id, { x: 513.5 }, 'time', 'array')!).toMatchObject({ t: 513.5, chunk: 50, event: { kind: 'free', label: 'upload staging chunk 50 (150 B)' } });
    expect(store.sample(id, { x: 515 }, 'time', 'array')!).toMatchObject({ t: 515, chunk: -1 });
    // After both are freed nothing is drawn, at any height.
    expect(store.sample(id, { x: 1100.5, bytes: 1, stack: ['x', 'y'] }, 'time', 'array')!.block).toBeUndefined();
  });

  test('segment events give reserved bytes above the allocated ones, their peak and the readout\'s reserved bytes', () => {
    const events: TraceEvent[] = [
      { t: 0, kind: 'attempt', attempt: 1, backend: 'webgpu', chunkLength: 1, precision: 'native', predictedPeakBytes: 16, start: 0 },
      { t: 1, kind: 'segment-alloc', id: 1, label: 'segment 0', bytes: 4096, pool: 'large' },
      { t: 2, kind: 'alloc', id: 1, label: 'x (1000 B)', bytes: 1000, usage: 'storage', array: 'x', segment: 1, offset: 0 },
      { t: 3, kind: 'free', id: 1, label: 'x (1000 B)', bytes: 1000, usage: 'storage', array: 'x' },
      { t: 4, kind: 'segment-free', id: 1, label: 'segment 0', bytes: 4096, pool: 'large' },
      { t: 5, kind: 'done', status: 'ok', runsDone: 1 },
    ];
    const { store, id } = stored(events);
    const view = store.view(id, { axis: 'time', buckets: 5, stackBy: 'array' })!.view;
    expect(view.reservedPeak).toEqual({ bytes: 4096, x: 1 });
    expect([...view.reservedMax]).toEqual([0, 4096, 4096, 4096, 4096]);
    expect([...view.deviceMax]).toEqual([0, 0, 1000, 1000, 0]);
    expect(store.sample(id, { x: 2.5 }, 'time', 'array')!).toMatchObject({ deviceBytes: 1000, reservedBytes: 4096 });
    // Without segments there is no reserved line to draw.
    const plain = stored();
    const none = plain.store.view(plain.id, { axis: 'time', buckets: 5, stackBy: 'array' })!.view;
    expect([none.reservedPeak, none.reservedMax.length]).toEqual([null, 0]);
  });
});

describe('TraceStore: the event log', () => {
  test('pages reach every event, the last one included', () => {
    const { store, id, events } = stored();
    const page = store.log(id, all, events.length - 3, 10);
    expect(page.total).toBe(events.length);
    expect(page.rows.map((r) => r.index)).toEqual([events.length - 3, events.length - 2, events.length - 1]);
    expect(page.rows.at(-1)!.event.kind).toBe('done');
  });

  test('a search finds events by kind or by label, in any case; a kind filter narrows it', () => {
    const { store, id } = stored();
    expect(store.log(id, { kind: 'all', search: 'chunk-end' }, 0, 500).total).toBe(100);
    const found = store.log(id, { kind: 'all', search: 'STAGING CHUNK 42' }, 0, 500);
    expect(found.rows.map((r) => r.event.kind)).toEqual(['alloc', 'free']);
    expect(store.log(id, { kind: 'free', search: 'staging chunk 42' }, 0, 500).total).toBe(1);
    expect(store.log(id, { kind: 'upload', search: '' }, 0, 500).total).toBe(100);
  });

  test('an event is located by its index or by a time, under the filter or not', () => {
    const { store, id, events } = stored();
    expect(store.locate(id, all, { t: 505 })).toEqual({ eventIndex: events.findIndex((e) => e.t >= 505), position: events.findIndex((e) => e.t >= 505) });
    const filter = { kind: 'chunk-begin', search: '' };
    const begin7 = events.findIndex((e) => e.kind === 'chunk-begin' && e.index === 7);
    expect(store.locate(id, filter, { eventIndex: begin7 })).toEqual({ eventIndex: begin7, position: 7 });
    expect(store.locate(id, filter, { eventIndex: begin7 + 1 }).position).toBe(-1);
  });

  test('a forgotten trace answers empty, and the run in flight is never forgotten', () => {
    const { store, id } = stored();
    const busy = store.create();
    store.keep([], busy.id);
    expect(store.has(id)).toBe(false);
    expect(store.has(busy.id)).toBe(true);
    expect(store.view(id, { axis: 'time', buckets: 10, stackBy: 'array' })).toBeUndefined();
    expect(store.log(id, all, 0, 10)).toEqual({ total: 0, from: 0, rows: [], kinds: [] });
  });

  test('the downloads are the whole trace: Chrome trace and CSV at once, the trace file once the run has its scenario', () => {
    const { store, id, events } = stored();
    expect(JSON.parse(store.exportText(id, 'chrome')!).traceEvents.length).toBeGreaterThan(0);
    expect(store.exportText(id, 'csv')!.trim().split('\n').length).toBe(events.length + 1);
    expect(store.exportText(id, 'trace')).toBeUndefined();
  });
});

describe('TraceStore answers whatever it is asked', () => {
  const weird = fc.oneof(fc.anything(), fc.constantFrom('__proto__', 'constructor', 'toString', NaN, Infinity, -1, 1e12));
  test('log, locate, view and sample never throw on odd filters, positions and windows', () => {
    const { store, id } = stored();
    fc.assert(
      fc.property(weird, weird, weird, weird, (a, b, c, d) => {
        const filter = { kind: a, search: b } as { kind: string; search: string };
        const page = store.log(id, filter, c as number, d as number);
        expect(page.rows.length).toBeLessThanOrEqual(500);
        store.locate(id, filter, { eventIndex: c as number });
        store.locate(id, filter, { t: d as number });
        const view = store.view(id, { axis: b as 'time', from: c as number, to: d as number, buckets: a as number, stackBy: a as 'usage' })!.view;
        expect(view.window[0]).toBeLessThanOrEqual(view.window[1]);
        expect(view.deviceMax.every((v) => Number.isFinite(v))).toBe(true);
        store.sample(id, { x: c as number }, 'chunk', 'array');
        store.sample(id, { sample: d as number }, b as 'time', a as 'usage');
        store.sample(id, { x: c as number, bytes: d as number, stack: a as string[] }, 'time', b as 'usage');
        store.sample(id, a as { x: number }, 'time', 'array');
        store.view(id, { axis: 'time', buckets: 10, stackBy: 'array', stepChunk: c as number }, id);
        expect(Array.isArray(store.chunkRows(id, d as number).ranges)).toBe(true);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
