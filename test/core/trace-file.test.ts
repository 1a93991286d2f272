// Trace files, over every feasible example: run → trace JSON → the same report; the Chrome export passes a structural check; CSV totals.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/engine/index.ts';
import { planScenario } from '../../src/core/planner.ts';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';
import { kPhases, summarizeTrace, toChromeTrace, type TraceEvent } from '../../src/core/trace.ts';
import { parseTraceFile, timelineCsv, toTraceFile } from '../../src/core/trace-file.ts';
import { chromeTraceProblems, type ChromeRecord } from './chrome-trace-check.ts';
import { scenarioExampleFiles } from './example-files.ts';

/** Every valid example and preset that runs on the CPU backend, faults and fallbacks included. */
const kRunnable = scenarioExampleFiles().flatMap(({ file, json }) => {
  const parsed = parseScenario(json);
  return parsed.ok && planScenario(parsed.scenario).ok ? [{ file, scenario: parsed.scenario }] : [];
});

const traces = new Map<Scenario, Promise<TraceEvent[]>>();

/** The scenario's trace on the CPU backend, run once however many tests read it. */
function traceOf(scenario: Scenario): Promise<TraceEvent[]> {
  let trace = traces.get(scenario);
  if (!trace) {
    trace = runScenario(scenario, { backend: 'cpu', verify: false }).then((outcome) => {
      if (!outcome.ok) throw new Error(`${scenario.name}: ${outcome.error.message}`);
      return outcome.report.trace;
    });
    traces.set(scenario, trace);
  }
  return trace;
}

describe.each(kRunnable)('$file', ({ scenario }) => {
  test('run → trace JSON → the same summary, without running anything', async () => {
    const events = await traceOf(scenario);
    const file = JSON.parse(JSON.stringify(toTraceFile(scenario, 'the CPU', events)));
    const parsed = parseTraceFile(file);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.trace.scenario).toEqual(scenario);
    expect(summarizeTrace(parsed.trace.events)).toEqual(summarizeTrace(events));
  });

  test('the Chrome trace export is well-formed trace-event JSON', async () => {
    const events = await traceOf(scenario);
    // Checked as the file a viewer reads: plain JSON records, whatever the exporter's types promise.
    const { traceEvents } = JSON.parse(JSON.stringify(toChromeTrace(events))) as { traceEvents: ChromeRecord[] };
    expect(chromeTraceProblems(traceEvents)).toEqual([]);
    // Nothing of the run is lost on the way: a counter per allocation and free, a span per
    // chunk begun, a slice per phase, an instant per fault, fallback and attempt; a segment
    // reserved or released moves the reserved counter too.
    const count = (kinds: string[]) => events.filter((e) => kinds.includes(e.kind)).length;
    const phases: string[] = [...kPhases];
    expect(traceEvents.filter((e) => e.ph === 'C')).toHaveLength(count(['alloc', 'free', 'segment-alloc', 'segment-free']));
    expect(traceEvents.filter((e) => e.ph === 'b' && String(e.name).startsWith('chunk '))).toHaveLength(count(['chunk-begin']));
    expect(traceEvents.filter((e) => (e.ph === 'b' || e.ph === 'X') && phases.includes(String(e.name)))).toHaveLength(count(phases));
    for (const kind of ['oom', 'validation-error', 'device-lost', 'fallback', 'attempt']) {
      expect(traceEvents.filter((e) => e.ph === 'i' && e.name === kind), kind).toHaveLength(count([kind]));
    }
  });


  test('the CSV timeline ends with nothing live and peaks where the summary does', async () => {
    const events = await traceOf(scenario);
    const rows = timelineCsv(events).trim().split('\n').slice(1).map((line) => line.split(','));
    expect(rows).toHaveLength(events.length);
    const device = rows.map((r) => Number(r.at(-2)));
    expect(Math.max(...device)).toBe(summarizeTrace(events).peakBytes);
    expect(rows.at(-1)!.slice(-2)).toEqual(['0', '0']);
  });
});

test.each([
  { what: 'not a trace', json: { events: [] }, message: /not a chunkscope trace/ },
  { what: 'a newer version', json: { format: 'chunkscope-trace', version: 2 }, message: /version 2/ },
  { what: 'an invalid scenario', json: { format: 'chunkscope-trace', version: 1, scenario: { version: 1 }, events: [] }, message: /scenario\.runs: is required/ },
  { what: 'an unknown event', json: { format: 'chunkscope-trace', version: 1, scenario: { version: 1, runs: 1, arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }] }, events: [{ t: 0, kind: 'boom' }] }, message: /events\[0\]/ },
])('$what is refused with a sentence', ({ json, message }) => {
  const parsed = parseTraceFile(json);
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.message).toMatch(message);
});

describe('a hand-edited trace is refused at the first event that is wrong', () => {
  const scenario = { version: 1, runs: 1, arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }] };
  const attempt = { t: 0, kind: 'attempt', attempt: 1, backend: 'cpu', chunkLength: 1, precision: 'native', predictedPeakBytes: 4, start: 0 };
  const alloc = { t: 1, kind: 'alloc', id: 1, label: 'x', bytes: 4, usage: 'storage', array: 'x' };
  const free = { t: 2, kind: 'free', id: 1, label: 'x', bytes: 4, usage: 'storage', array: 'x' };
  const done = { t: 3, kind: 'done', status: 'ok', runsDone: 1 };
  const fileOf = (events: object[]) => ({ format: 'chunkscope-trace', version: 1, scenario, device: 'x', events });
  const segmentAlloc = { t: 0.5, kind: 'segment-alloc', id: 7, label: 'segment 7', bytes: 4096, pool: 'small' };
  const segmentFree = { ...segmentAlloc, t: 2.5, kind: 'segment-free' };
  const block = { ...alloc, segment: 7, offset: 512 };

  test('blocks inside segments are read, and the summary gives reserved above allocated', () => {
    const parsed = parseTraceFile(fileOf([attempt, segmentAlloc, block, free, segmentFree, done]));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(summarizeTrace(parsed.trace.events)).toMatchObject({ peakBytes: 4, reservedPeakBytes: 4096 });
    expect(summarizeTrace([attempt, alloc, free, done] as TraceEvent[])).toMatchObject({ peakBytes: 4, reservedPeakBytes: 4 });
    const counters = toChromeTrace(parsed.trace.events).traceEvents.filter((e) => e.ph === 'C').map((e) => e.args);
    expect(counters).toEqual([
      { device: 0, staging: 0, reserved: 4096 },
      { device: 4, staging: 0, reserved: 4096 },
      { device: 0, staging: 0, reserved: 4096 },
      { device: 0, staging: 0, reserved: 0 },
    ]);
  });

  test('the same events, unedited, are read', () => {
    const parsed = parseTraceFile(fileOf([attempt, alloc, free, done]));
    expect(parsed.ok && parsed.trace.events.length).toBe(4);
  });

  test.each([
    { what: 'bytes that are not a number', events: [attempt, { ...alloc, bytes: 'lots' }, free, done], message: 'events[1].bytes must be a number' },
    { what: 'a fraction of a byte', events: [attempt, { ...alloc, bytes: 1.5 }, free, done], message: 'events[1].bytes must be a whole number' },
    { what: 'an unknown usage', events: [attempt, { ...alloc, usage: 'texture' }, free, done], message: 'events[1].usage must be one of storage, uniform, staging' },
    { what: 'an attempt without its backend', events: [{ ...attempt, backend: undefined }, alloc, free, done], message: 'events[0].backend is required' },
    { what: 'a buffer allocated twice', events: [attempt, alloc, { ...alloc, t: 1.5 }, free, done], message: 'events[2] allocates buffer 1 again before it was freed' },
    { what: 'a buffer freed that was never allocated', events: [attempt, free, done], message: 'events[1] frees buffer 1, which is not allocated' },
    { what: 'events out of time order', events: [attempt, { ...alloc, t: 5 }, free, done], message: 'events[2] is earlier than the event before it' },
    { what: 'a cut-short trace', events: [attempt, alloc], message: 'does not end with its "done" event' },
    { what: 'an unknown pool', events: [attempt, { ...segmentAlloc, pool: 'huge' }, done], message: 'events[1].pool must be one of small, large' },
    { what: 'a segment reserved twice', events: [attempt, segmentAlloc, { ...segmentAlloc, t: 0.5 }, done], message: 'events[2] reserves segment 7 again before it was released' },
    { what: 'a segment released that was never reserved', events: [attempt, segmentFree, done], message: 'events[1] releases segment 7, which is not reserved' },
    { what: 'a block in a segment not reserved', events: [attempt, block, free, done], message: 'events[1] allocates buffer 1 in segment 7, which is not reserved' },
    { what: 'a block past its segment\'s end', events: [attempt, segmentAlloc, { ...block, offset: 4096 - 2 }, free, segmentFree, done], message: 'events[2] allocates buffer 1 at bytes 4094–4098 of segment 7, which has 4096' },
    { what: 'a segment released while a block in it is live', events: [attempt, segmentAlloc, block, segmentFree, free, done], message: 'events[3] releases segment 7 while buffer 1 in it is live' },
  ])('$what', ({ events, message }) => {
    const parsed = parseTraceFile(JSON.parse(JSON.stringify(fileOf(events))));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

test('the structural check of the Chrome trace finds what a viewer would choke on', () => {
  const base = { pid: 1, tid: 1, ts: 0 };
  const async = { ...base, cat: 'chunk', id: '1:0' };
  expect(chromeTraceProblems([{ ...async, name: 'chunk 0', ph: 'b' }])).toEqual(['chunk/1:0: chunk 0 begun and never ended']);
  expect(chromeTraceProblems([{ ...async, name: 'chunk 0', ph: 'b' }, { ...async, name: 'upload', ph: 'b' }, { ...async, name: 'chunk 0', ph: 'e' }])[0]).toContain('the innermost span open on chunk/1:0 is another');
  expect(chromeTraceProblems([{ ...base, name: 'chunk 0', ph: 'b' }])[0]).toContain('needs a cat and an id');
  expect(chromeTraceProblems([{ ...base, name: 'memory', ph: 'C', args: { device: '12' } }])[0]).toContain('numeric args');
  expect(chromeTraceProblems([{ ...base, name: 'upload', ph: 'X', dur: 10 }, { ...base, name: 'dispatch', ph: 'X', ts: 5, dur: 10 }])[0]).toContain('overlaps');
  expect(chromeTraceProblems([{ ...base, name: 'upload', ph: 'X', dur: 10 }, { ...base, name: 'dispatch', ph: 'X', ts: 10, dur: 10 }])).toEqual([]);
  expect(chromeTraceProblems([{ ...base, name: 'x', ph: 'i', ts: 5 }, { ...base, name: 'y', ph: 'i', ts: 4 }])[0]).toContain('earlier than the record before it');
  expect(chromeTraceProblems([{ ...base, name: 'x', ph: 'i', tid: Number.NaN }])[0]).toContain('tid is not a number');
});

describe('chunks in the Chrome trace', () => {
  const at = (t: number) => ({ t });
  const begin = (t: number, index: number) => ({ ...at(t), kind: 'chunk-begin', index, start: index * 10, end: index * 10 + 10 }) as TraceEvent;
  const end = (t: number, index: number) => ({ ...at(t), kind: 'chunk-end', index, start: index * 10, end: index * 10 + 10 }) as TraceEvent;
  const phase = (t: number, kind: 'upload' | 'dispatch' | 'readback' | 'writeback', chunk: number, ms: number) => ({ t, kind, chunk, ms, bytes: 4 }) as TraceEvent;
  const attempt = (t: number, n: number) => ({ t, kind: 'attempt', attempt: n, backend: 'webgpu', chunkLength: 10, precision: 'native', predictedPeakBytes: 8, start: 0 }) as TraceEvent;
  /** Each chunk span's [begin, end] and whether it was cut, by span id. */
  const spansOf = (events: TraceEvent[]) => {
    const { traceEvents } = toChromeTrace(events);
    expect(chromeTraceProblems(traceEvents)).toEqual([]);
    const spans: Record<string, { from?: number; to?: number; cut?: boolean; phases: string[] }> = {};
    for (const e of traceEvents.filter((r) => r.cat === 'chunk')) {
      const span = (spans[e.id!] ??= { phases: [] });
      if (!String(e.name).startsWith('chunk ')) {
        if (e.ph === 'b') span.phases.push(e.name);
      } else if (e.ph === 'b') span.from = e.ts;
      else [span.to, span.cut] = [e.ts, e.args?.cut === true];
    }
    return spans;
  };

  test('two buffer sets: chunks that overlap keep their own spans, each phase under its chunk', () => {
    // Chunk 1 uploads while chunk 0 reads back; chunk 0 ends after chunk 1 began.
    const spans = spansOf([
      attempt(0, 1),
      begin(1, 0), phase(2, 'upload', 0, 1), phase(3, 'dispatch', 0, 1),
      begin(4, 1), phase(5, 'upload', 1, 1), phase(6, 'readback', 0, 3), phase(7, 'writeback', 0, 1), end(7, 0),
      phase(8, 'dispatch', 1, 1), phase(10, 'readback', 1, 2), phase(11, 'writeback', 1, 1), end(11, 1),
      { t: 12, kind: 'done', status: 'ok', runsDone: 20 } as TraceEvent,
    ]);
    expect(spans).toEqual({
      '1:0': { from: 1000, to: 7000, cut: false, phases: ['upload', 'dispatch', 'readback', 'writeback'] },
      '1:1': { from: 4000, to: 11000, cut: false, phases: ['upload', 'dispatch', 'readback', 'writeback'] },
    });
  });

  test('a fault stops chunk 1 while chunk 0 finishes: chunk 0 ends whole, chunk 1 is cut where its attempt ended, and the retry\'s chunks are new spans', () => {
    const spans = spansOf([
      attempt(0, 1),
      begin(1, 0), phase(2, 'dispatch', 0, 1), begin(3, 1), phase(4, 'writeback', 0, 1), end(4, 0),
      { t: 5, kind: 'device-lost', reason: 'destroyed', message: 'lost', injected: true, chunk: 1 } as TraceEvent,
      { t: 6, kind: 'fallback', from: 'start', to: 'retry', reason: 'device lost', chunkLengthBefore: 10, chunkLengthAfter: 10, resumeAt: 10 } as TraceEvent,
      attempt(6, 2), begin(7, 0), phase(8, 'dispatch', 0, 1), end(9, 0),
      { t: 10, kind: 'done', status: 'cancelled', runsDone: 20 } as TraceEvent,
    ]);
    expect(spans['1:0']).toMatchObject({ to: 4000, cut: false });
    expect(spans['1:1']).toMatchObject({ from: 3000, to: 6000, cut: true, phases: [] });
    expect(spans['2:0']).toMatchObject({ from: 7000, to: 9000, cut: false, phases: ['dispatch'] });
  });

  test('a chunk still open when a cancelled run ends is cut at its end', () => {
    const spans = spansOf([attempt(0, 1), begin(1, 0), phase(2, 'upload', 0, 1), { t: 3, kind: 'done', status: 'cancelled', runsDone: 0 } as TraceEvent]);
    expect(spans['1:0']).toEqual({ from: 1000, to: 3000, cut: true, phases: ['upload'] });
  });
});
