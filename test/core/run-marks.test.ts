// Chunk bands, fault and fallback markers and the chunk axis, built one trace event at a time.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { eventOfChunk, RunMarks } from '../../src/core/run-marks.ts';
import type { TraceEvent } from '../../src/core/trace.ts';

const attempt = (t: number, n: number, chunkLength: number): TraceEvent => ({ t, kind: 'attempt', attempt: n, backend: 'webgpu', chunkLength, precision: 'native', predictedPeakBytes: 0, start: 0 });
const begin = (t: number, index: number, start: number, end: number): TraceEvent => ({ t, kind: 'chunk-begin', index, start, end });
const end = (t: number, index: number, start: number, stop: number): TraceEvent => ({ t, kind: 'chunk-end', index, start, end: stop });

function marksOf(events: TraceEvent[]): RunMarks {
  const marks = new RunMarks();
  for (const e of events) marks.append(e);
  return marks;
}

describe('RunMarks', () => {
  // 105 runs in chunks of 25 with two buffer sets: chunks overlap, the last one holds 5 runs, an oom cuts chunk 2.
  const trace: TraceEvent[] = [
    attempt(0, 1, 25),
    begin(100, 0, 0, 25),
    begin(101, 1, 25, 50),
    end(110, 0, 0, 25),
    begin(111, 2, 50, 75),
    end(112, 1, 25, 50),
    { t: 113, kind: 'oom', label: 'state chunk 2', bytes: 100, source: 'budget', message: 'over the budget' },
    { t: 114, kind: 'fallback', from: 'webgpu', to: 'shrink', reason: 'oom', chunkLengthBefore: 25, chunkLengthAfter: 25, resumeAt: 50 },
    attempt(115, 2, 25),
    begin(116, 0, 50, 75),
    end(117, 0, 50, 75),
    begin(118, 1, 75, 100),
    end(119, 1, 75, 100),
    begin(120, 2, 100, 105),
    end(121, 2, 100, 105),
    { t: 130, kind: 'done', status: 'ok', runsDone: 105 },
  ];
  const marks = marksOf(trace);

  test('one band per chunk begun, with its attempt; a fault cuts the chunks open; only the short last chunk dangles', () => {
    expect(marks.bands.map((b) => [b.index, b.attempt, b.begin, b.finish, b.done, b.dangling])).toEqual([
      [0, 1, 100, 110, true, false],
      [1, 1, 101, 112, true, false],
      [2, 1, 111, 113, false, false],
      [0, 2, 116, 117, true, false],
      [1, 2, 118, 119, true, false],
      [2, 2, 120, 121, true, true],
    ]);
    expect(marks.markers.map((m) => [m.event.kind, m.eventIndex])).toEqual([['oom', 6], ['fallback', 7]]);
  });

  test('each band knows the trace rows it spans: its chunk-begin to its chunk-end, or to the fault that cut it short', () => {
    expect(marks.bands.map((b) => [b.beginEvent, b.endEvent])).toEqual([[1, 3], [2, 5], [4, 6], [9, 10], [11, 12], [13, 14]]);
  });

  test('within chunk 0\'s rows, the events naming chunk 1 (two buffer sets overlap them) are not chunk 0\'s', () => {
    const rows: TraceEvent[] = [
      begin(100, 0, 0, 25),
      begin(101, 1, 25, 50),
      { t: 102, kind: 'upload', chunk: 1, ms: 1, bytes: 8 },
      { t: 103, kind: 'dispatch', chunk: 0, ms: 1, bytes: 0 },
      { t: 104, kind: 'alloc', id: 1, label: 'x chunk 0', bytes: 8, usage: 'storage', array: 'x' },
      end(110, 0, 0, 25),
    ];
    expect(rows.filter((e) => eventOfChunk(e, 0)).map((e) => e.t)).toEqual([100, 103, 104, 110]);
    expect(rows.filter((e) => eventOfChunk(e, 1)).map((e) => e.t)).toEqual([101, 102, 104]);
  });

  test('the chunk axis gives each chunk one unit: set-up first, chunk k begins at k + 1, the run ends at chunks + 1', () => {
    expect(marks.chunkX(0, 130)).toBe(0);
    expect(marks.chunkX(50, 130)).toBeCloseTo(0.5);
    expect(marks.chunkX(100, 130)).toBe(1);
    expect(marks.chunkX(120, 130)).toBe(6);
    expect(marks.chunkX(130, 130)).toBe(7);
    expect(marks.timeAtChunkX(1.5, 130)).toBeCloseTo(100.5);
  });

  test('bands in a window are listed (the one still open from before it included), or only counted past the limit', () => {
    const inside = marks.bandsBetween(105, 111.5, 130, 10);
    expect(inside.bands.map((b) => b.ordinal)).toEqual([0, 1, 2]);
    expect(inside.count).toBe(3);
    expect(marks.bandsBetween(105, 111.5, 130, 2)).toEqual({ count: 3, bands: [] });
  });
});

describe('the chunk axis over random runs', () => {
  // Distinct chunk begins: where two chunks begin at once, the slot between them has no time of its own.
  test('is monotone in time and its inverse gives the time back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.double({ min: 0, max: 1000, noNaN: true }), { maxLength: 60 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 20 }), (begins, probes) => {
        const sorted = [...begins].sort((a, b) => a - b);
        const marks = marksOf(sorted.map((t, i) => begin(t, i, i, i + 1)));
        const tEnd = (sorted.at(-1) ?? 0) + 10;
        const times = probes.map((p) => p * tEnd).sort((a, b) => a - b);
        const xs = times.map((t) => marks.chunkX(t, tEnd));
        for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1]);
        for (const x of xs) expect(marks.chunkX(marks.timeAtChunkX(x, tEnd), tEnd)).toBeCloseTo(x, 6);
      }),
      { numRuns: 200 },
    );
  });
});
