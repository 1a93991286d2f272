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
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
