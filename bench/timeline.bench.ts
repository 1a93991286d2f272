/**
 * Timeline benchmarks: what the main thread does with a trace of 100 000 events — the
 * whole trace when a run's report arrives, and the live batches while it goes on.
 * Goal: well under the 200 ms that makes a long task, and a bounded number of points.
 */
import { MemorySeries } from '../src/core/memory-series.ts';
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

export async function timelineSection(): Promise<BenchSection> {
  const events = longTrace();
  const whole = await measure(() => MemorySeries.of(events), { warmups: 3, repetitions: 15 });
  const series = MemorySeries.of(events);
  const thin = await measure(() => series.thinned(1200), { warmups: 3, repetitions: 15 });
  const live = await measure(
    () => {
      const s = new MemorySeries();
      // The worker's batches at 10 a second over a 10 s run: 100 batches of 1 000, thinned after each.
      for (let i = 0; i < events.length; i += 1000) {
        s.appendAll(events.slice(i, i + 1000));
        s.thinned(1200);
      }
    },
    { warmups: 1, repetitions: 7 },
  );
  // A saved trace as Open trace… reads it (in the worker), and the two exports built on the page.
  const saved = JSON.parse(JSON.stringify(events)) as unknown;
  const read = await measure(() => readTraceEvents(saved), { warmups: 1, repetitions: 7 });
  const chrome = await measure(() => JSON.stringify(toChromeTrace(events)), { warmups: 1, repetitions: 7 });
  const csv = await measure(() => timelineCsv(events), { warmups: 1, repetitions: 7 });
  const points = series.thinned(1200).length;
  return {
    title: 'Timeline',
    note: `MemorySeries over a synthetic trace of ${events.length.toLocaleString('en-US')} events (${series.length.toLocaleString('en-US')} memory samples), thinned for a 1 200 px wide chart.`,
    rows: [
      { name: 'build the series of the whole trace (a report arrives)', timing: whole, goal: '< 50 ms', met: whole.medianMs < 50 },
      { name: 'thin it to the points drawn', timing: thin, figure: `${points.toLocaleString('en-US')} points drawn`, goal: '≤ 4 800 points, < 10 ms', met: points <= 4800 && thin.medianMs < 10 },
      { name: 'live: 100 batches of 1 000, thinned after each (all batches together)', timing: live, goal: '< 200 ms', met: live.medianMs < 200 },
      { name: 'check every event of a saved trace (Open trace…, in the worker)', timing: read, goal: '< 500 ms', met: read.medianMs < 500 },
      { name: 'Download Chrome trace: build and stringify it (on the page)', timing: chrome, goal: '< 200 ms', met: chrome.medianMs < 200 },
      { name: 'Download timeline CSV: build it (on the page)', timing: csv, goal: '< 200 ms', met: csv.medianMs < 200 },
    ],
  };
}
