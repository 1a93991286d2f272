// Where chunk bands show: with one set, bands never cover each other (on the time axis from
// the landing before, on the chunk axis each its own unit, wide enough to number); with two, whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ViewBand } from '../../src/core/timeline-view.ts';
import { bandSpans, numberReach, placeNumber } from '../../src/ui/band-spans.ts';

/** Chunk `index`'s band over [x0, x1]: landed, or still running when not `done`. */
function band(index: number, x0: number, x1: number, done = true): ViewBand {
  return { ordinal: index, index, attempt: 1, start: index * 10, end: index * 10 + 10, dangling: false, done, running: !done, beginEvent: 0, endEvent: undefined, x0, x1 };
}

describe('bandSpans', () => {
  it('on the chunk axis with one set, a chunk that landed just after the one before it still shows its whole unit', () => {
    // Chunk 1 landed late in chunk 2's unit, chunk 2 early in chunk 3's: the landing rule would leave chunk 2 a sliver.
    const bands = [band(0, 1, 2.5), band(1, 2, 3.98), band(2, 3, 4.02), band(3, 4, 5)];
    expect(bandSpans(bands, { sets: 1, axis: 'chunk' })).toEqual([[1, 2], [2, 3], [3, 4], [4, 5]]);
    expect(bandSpans(bands, { sets: 1, axis: 'time' })).toEqual([[1, 2.5], [2.5, 3.98], [3.98, 4.02], [4.02, 5]]);
  });

  it('a chunk cut short or still running has not landed: the bands after it keep their starts', () => {
    const bands = [band(0, 0, 5), band(1, 2, 9, false), band(2, 6, 8)];
    expect(bandSpans(bands, { sets: 1, axis: 'time' })).toEqual([[0, 5], [5, 9], [6, 8]]);
  });

  it('with two sets each band shows its whole span, on either axis', () => {
    const bands = [band(0, 1, 2.5), band(1, 2, 3.98)];
    for (const axis of ['time', 'chunk'] as const) expect(bandSpans(bands, { sets: 2, axis })).toEqual([[1, 2.5], [2, 3.98]]);
  });

  it('with one set, finished bands never overlap and each lies within its chunk’s span; on the chunk axis each is its unit', () => {
    // Pipelined one-set chunks: chunk i begins once chunk i−2 has landed and lands after chunk i+1 begins.
    const run = fc.array(fc.tuple(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true })), { minLength: 1, maxLength: 40 }).map((steps) => {
      const begins: number[] = [];
      let t = 0;
      for (const [gap] of steps) begins.push((t += gap));
      return steps.map(([, frac], i) => {
        const next = begins[i + 1] ?? begins[i] + 1;
        const after = begins[i + 2] ?? next + 1;
        return { begin: begins[i], land: next + frac * (after - next) };
      });
    });
    fc.assert(
      fc.property(run, (chunks) => {
        // Time axis: positions are times. Chunk axis: chunk i begins at i + 1, and a landing inside chunk j's unit maps into it.
        const timeBands = chunks.map((c, i) => band(i, c.begin, c.land));
        const unitOf = (t: number) => {
          let j = 0;
          while (j + 1 < chunks.length && chunks[j + 1].begin <= t) j++;
          const next = chunks[j + 1]?.begin ?? chunks[j].begin + 1;
          return j + 1 + Math.min(1, (t - chunks[j].begin) / (next - chunks[j].begin));
        };
        const chunkBands = chunks.map((c, i) => band(i, i + 1, unitOf(c.land)));
        for (const [bands, axis] of [[timeBands, 'time'], [chunkBands, 'chunk']] as const) {
          const spans = bandSpans(bands, { sets: 1, axis });
          spans.forEach(([from, to], i) => {
            expect(from).toBeGreaterThanOrEqual(bands[i].x0);
            expect(to).toBeLessThanOrEqual(bands[i].x1);
            if (i > 0) expect(from).toBeGreaterThanOrEqual(spans[i - 1][1]);
          });
          if (axis === 'chunk') spans.forEach(([from, to], i) => expect(to - from).toBeCloseTo(Math.min(1, bands[i].x1 - bands[i].x0)));
        }
      }),
    );
  });
});

describe('numberReach', () => {
  it('on the chunk axis, a chunk that landed long before the next began may number itself across its whole unit', () => {
    // Chunk 1 landed a fifth of the way into its unit (a stall before chunk 2 began): its band is a sliver, its unit is not.
    const bands = [band(0, 1, 2.5), band(1, 2, 2.2), band(2, 3, 4.5), band(3, 4, 5)];
    const spans = bandSpans(bands, { sets: 1, axis: 'chunk' });
    expect(spans[1]).toEqual([2, 2.2]);
    expect(numberReach(bands, spans, 1)).toEqual([2, 3, 4, Infinity]);
  });

  it('with two sets a number reaches to the next band of its own set, and at least to its own band’s end', () => {
    // Set 0: chunks 0 and 2; set 1: chunks 1 and 3. Chunk 2 begins before chunk 0 has landed.
    const bands = [band(0, 0, 4), band(1, 1, 2), band(2, 3, 6), band(3, 5, 7)];
    expect(numberReach(bands, bandSpans(bands, { sets: 2, axis: 'time' }), 2)).toEqual([4, 5, Infinity, Infinity]);
  });

  it('a number never reaches short of its own band, nor past the next band in its lane', () => {
    const bands = fc.array(fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: 1, maxLength: 30 }).map((xs) =>
      xs.sort(([a], [b]) => a - b).map(([x0, width], i) => band(i, x0, x0 + width)),
    );
    fc.assert(
      fc.property(bands, fc.integer({ min: 1, max: 2 }), fc.constantFrom('time' as const, 'chunk' as const), (list, sets, axis) => {
        const spans = bandSpans(list, { sets, axis });
        const reach = numberReach(list, spans, sets);
        list.forEach((b, i) => {
          expect(reach[i]).toBeGreaterThanOrEqual(spans[i][1]);
          const next = list.findIndex((n, j) => j > i && n.index % sets === b.index % sets);
          if (next < 0) expect(reach[i]).toBe(Infinity);
          else expect(reach[i]).toBe(Math.max(spans[i][1], spans[next][0]));
        });
      }),
    );
  });
});

describe('placeNumber', () => {
  const dangling = ['3921 (final, 29 runs)', '3921 final', '3921'];

  it('the longest words that fit on the band, down to the bare number', () => {
    expect(placeNumber(dangling, 200, 200)).toEqual({ text: '3921 (final, 29 runs)', inside: true });
    expect(placeNumber(dangling, 80, 80)).toEqual({ text: '3921 final', inside: true });
    // Too narrow for "3921 final" (69 px) but wide enough for the number (30 px): the number, not nothing.
    expect(placeNumber(dangling, 50, 50)).toEqual({ text: '3921', inside: true });
  });

  it('beside a sliver of a band when the lane after it has room, else none', () => {
    expect(placeNumber(dangling, 2, 150)).toEqual({ text: '3921 (final, 29 runs)', inside: false });
    expect(placeNumber(dangling, 2, 76)).toEqual({ text: '3921 final', inside: false });
    expect(placeNumber(['1961'], 2, 76)).toEqual({ text: '1961', inside: false });
    expect(placeNumber(['1961'], 2, 20)).toBeUndefined();
  });
});
