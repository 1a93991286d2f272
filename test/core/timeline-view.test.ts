// The timeline's view of a trace on the chunk axis: each chunk in a slot of its own, even when
// several chunks begin and land in the same tick of the trace's clock (a fast CPU run).
import { expect, test } from 'vitest';
import { TimelineIndex } from '../../src/core/timeline-view.ts';
import type { TraceEvent } from '../../src/core/trace.ts';

const begin = (t: number, index: number): TraceEvent => ({ t, kind: 'chunk-begin', index, start: index * 10, end: index * 10 + 10 });
const end = (t: number, index: number): TraceEvent => ({ t, kind: 'chunk-end', index, start: index * 10, end: index * 10 + 10 });

test('chunks begun in the same tick each keep their own slot on the chunk axis, one unit or more wide', () => {
  const trace: TraceEvent[] = [
    { t: 0, kind: 'attempt', attempt: 1, backend: 'cpu', chunkLength: 10, precision: 'native', predictedPeakBytes: 0, start: 0 },
    begin(1, 0),
    end(2, 0),
    // Chunks 1–3 begin and land within one tick.
    begin(2, 1),
    end(2, 1),
    begin(2, 2),
    end(2, 2),
    begin(2, 3),
    end(3, 3),
    begin(3, 4),
    end(4, 4),
    { t: 5, kind: 'done', status: 'ok', runsDone: 50 },
  ];
  const index = new TimelineIndex();
  for (const e of trace) index.append(e);
  const chunkAxis = index.view({ axis: 'chunk', buckets: 100, stackBy: 'array' });
  expect(chunkAxis.bands.map((b) => b.index)).toEqual([0, 1, 2, 3, 4]);
  chunkAxis.bands.forEach((b, i) => {
    expect(b.x0).toBe(i + 1);
    expect(b.x1).toBeGreaterThanOrEqual(b.x0);
  });
  // Each landed no earlier than the next began, so its band reaches the next slot; the last shares its slot with the end of the run.
  expect(chunkAxis.bands.filter((b) => b.x1 - b.x0 >= 1).map((b) => b.index)).toEqual([0, 1, 2, 3]);
  // On the time axis they share the tick, as the trace says.
  const timeAxis = index.view({ axis: 'time', buckets: 100, stackBy: 'array' });
  expect(timeAxis.bands.map((b) => b.x0)).toEqual([1, 2, 2, 2, 3]);
});
