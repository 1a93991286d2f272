/**
 * Timeline benchmarks: what the worker does with a trace of 100 000 events for the
 * timeline — index it as it grows, cut a window into one bucket per pixel column —
 * and the exports. The page itself only draws the buckets (bench/browser.bench.ts).
 */
import { TimelineIndex } from '../src/core/timeline-view.ts';
import { toChromeTrace, type TraceEvent } from '../src/core/trace.ts';
import { timelineCsv } from '../src/core/trace-file.ts';
import { readTraceEvents } from '../src/core/trace-events.ts';
import { measure } from './measure.ts';
import type { BenchSection } from './section.ts';

/** 25 000 chunks of a 2-array run: per chunk an upload staging alloc and free, and the chunk's begin and end. */
function longTrace(): TraceEvent[] {
  const events: TraceEvent[] = [];
  let t = 0;
  let id = 0;
  events.push({ t, kind: 'alloc', id: ++id, label: 'x set 0', bytes: 4096, usage: 'storage', array: 'x' });
  events.push({ t, kind: 'alloc', id: ++id, label: 'y set 0', bytes: 4096, usage: 'storage', array: 'y' });
  for (let chunk = 0; events.length < 100_000; chunk++) {
    const staging = ++id;
    events.push({ t: (t += 0.01), kind: 'chunk-begin', index: chunk, start: chunk, end: chunk + 1 });
    events.push({ t: (t += 0.01), kind: 'alloc', id: staging, label: `upload staging chunk ${chunk}`, bytes: 8192, usage: 'staging' });
    events.push({ t: (t += 0.01), kind: 'free', id: staging, label: `upload staging chunk ${chunk}`, bytes: 8192, usage: 'staging' });
    events.push({ t: (t += 0.01), kind: 'chunk-end', index: chunk, start: chunk, end: chunk + 1 });
  }
  return events;
}

/** The same length of trace from a run that allocates per chunk (`reuseBuffers: false`): each chunk allocates and frees its x and y. */
function perChunkTrace(): TraceEvent[] {
  const events: TraceEvent[] = [];
  let t = 0;
  let id = 0;
  for (let chunk = 0; events.length < 100_000; chunk++) {
    const [x, y] = [++id, ++id];
    events.push({ t: (t += 0.01), kind: 'chunk-begin', index: chunk, start: chunk, end: chunk + 1 });
    events.push({ t: (t += 0.01), kind: 'alloc', id: x, label: `x chunk ${chunk}`, bytes: 4096, usage: 'storage', array: 'x' });
    events.push({ t: (t += 0.01), kind: 'alloc', id: y, label: `y chunk ${chunk}`, bytes: 4096, usage: 'storage', array: 'y' });
    events.push({ t: (t += 0.01), kind: 'free', id: x, label: `x chunk ${chunk}`, bytes: 4096, usage: 'storage', array: 'x' });
    events.push({ t: (t += 0.01), kind: 'free', id: y, label: `y chunk ${chunk}`, bytes: 4096, usage: 'storage', array: 'y' });
    events.push({ t: (t += 0.01), kind: 'chunk-end', index: chunk, start: chunk, end: chunk + 1 });
  }
  return events;
}

export async function timelineSection(): Promise<BenchSection> {
  const events = longTrace();
  const indexOf = () => {
    const index = new TimelineIndex();
    for (const event of events) index.append(event);
    return index;
  };
  const whole = await measure(indexOf, { warmups: 3, repetitions: 15 });
  const index = indexOf();
  const query = { axis: 'time', buckets: 1200, stackBy: 'array' } as const;
  const cut = await measure(() => index.view(query), { warmups: 3, repetitions: 15 });
  const tEnd = index.series.tEnd;
  const zoomed = await measure(() => index.view({ ...query, from: tEnd * 0.4, to: tEnd * 0.41 }), { warmups: 3, repetitions: 15 });
  const byChunk = await measure(() => index.view({ ...query, axis: 'chunk' }), { warmups: 3, repetitions: 15 });
  const live = await measure(
    () => {
      const growing = new TimelineIndex();
      // The page asks at most 10 times a second: over a 10 s run, 100 windows as the events arrive.
      for (let i = 0; i < events.length; i++) {
        growing.append(events[i]);
        if (i % 1000 === 999) growing.view(query);
      }
    },
    { warmups: 1, repetitions: 7 },
  );
  // Hover by height: the allocation drawn at the pointer, which scans the allocations for those live then.
  const perChunk = new TimelineIndex();
  for (const event of perChunkTrace()) perChunk.append(event);
  const middle = perChunk.sampleAtX('time', perChunk.series.tEnd / 2);
  const hover = await measure(() => perChunk.blockAt(middle, 6000, 'array', ['x', 'y']), { warmups: 3, repetitions: 15 });
  // A saved trace as Open trace… reads it (in the worker), and the two exports built on the page.
  const saved = JSON.parse(JSON.stringify(events)) as unknown;
  const read = await measure(() => readTraceEvents(saved), { warmups: 1, repetitions: 7 });
  const chrome = await measure(() => JSON.stringify(toChromeTrace(events)), { warmups: 1, repetitions: 7 });
  const csv = await measure(() => timelineCsv(events), { warmups: 1, repetitions: 7 });
  return {
    title: 'Timeline',
    note: `The worker's timeline index over a synthetic trace of ${events.length.toLocaleString('en-US')} events (${index.series.length.toLocaleString('en-US')} memory samples, ${index.marks.bands.length.toLocaleString('en-US')} chunks), cut for a 1 200 px wide chart.`,
    rows: [
      { name: 'index the whole trace (a trace opened, in the worker)', timing: whole, goal: '< 100 ms', met: whole.medianMs < 100 },
      { name: 'the whole run in 1 200 buckets (min, max, last, layers)', timing: cut, goal: '< 10 ms', met: cut.medianMs < 10 },
      { name: 'a window of 1 % of the run in 1 200 buckets (zoomed in)', timing: zoomed, goal: '< 10 ms', met: zoomed.medianMs < 10 },
      { name: 'the whole run by chunk in 1 200 buckets', timing: byChunk, goal: '< 20 ms', met: byChunk.medianMs < 20 },
      { name: 'live: index as events arrive, a window after each 1 000 (all together)', timing: live, goal: '< 300 ms', met: live.medianMs < 300 },
      { name: `hover by height: the allocation at the pointer, in a run allocating per chunk (${perChunk.marks.bands.length.toLocaleString('en-US')} chunks × 2 buffers)`, timing: hover, goal: '< 4 ms', met: hover.medianMs < 4 },
      { name: 'check every event of a saved trace (Open trace…, in the worker)', timing: read, goal: '< 500 ms', met: read.medianMs < 500 },
      { name: 'Download Chrome trace: build and stringify it (in the worker, off the page)', timing: chrome, goal: '< 1 000 ms', met: chrome.medianMs < 1000 },
      { name: 'Download timeline CSV: build it (in the worker, off the page)', timing: csv, goal: '< 1 000 ms', met: csv.medianMs < 1000 },
    ],
  };
}
