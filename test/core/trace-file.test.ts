// Trace files, over every feasible example: run → trace JSON → the same report; the Chrome export passes a structural check; CSV totals.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/engine/index.ts';
import { planScenario } from '../../src/core/planner.ts';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';
import { summarizeTrace, toChromeTrace, type TraceEvent } from '../../src/core/trace.ts';
import { parseTraceFile, timelineCsv, toTraceFile } from '../../src/core/trace-file.ts';
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
    // Nothing of the run is lost on the way: a counter per allocation and free, a slice per
    // phase, a span per chunk begun, an instant per fault, fallback and attempt.
    const count = (kinds: string[]) => events.filter((e) => kinds.includes(e.kind)).length;
    expect(traceEvents.filter((e) => e.ph === 'C')).toHaveLength(count(['alloc', 'free']));
    expect(traceEvents.filter((e) => e.ph === 'X')).toHaveLength(count(['upload', 'dispatch', 'readback', 'writeback']));
    expect(traceEvents.filter((e) => e.ph === 'B')).toHaveLength(count(['chunk-begin']));
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
  ])('$what', ({ events, message }) => {
    const parsed = parseTraceFile(JSON.parse(JSON.stringify(fileOf(events))));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

/** A record of a Chrome trace file, as JSON gives it back. */
interface ChromeRecord {
  name: unknown;
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  args?: Record<string, unknown>;
}

/**
 * What is wrong with a Chrome trace-event list, in words (empty when nothing): every record
 * has a name, ph, ts, pid and tid; counters carry numbers; begin/end pairs match on their
 * thread in order; complete slices on one thread nest or follow one another, never overlap.
 */
function chromeTraceProblems(records: ChromeRecord[]): string[] {
  const problems: string[] = [];
  const open = new Map<number, string[]>();
  const slices = new Map<number, { from: number; to: number }[]>();
  records.forEach((e, i) => {
    const at = `record ${i} (${String(e.name)})`;
    if (typeof e.name !== 'string' || e.name === '') problems.push(`${at}: no name`);
    if (!['X', 'B', 'E', 'i', 'C', 'M'].includes(e.ph)) problems.push(`${at}: unknown ph ${e.ph}`);
    for (const key of ['ts', 'pid', 'tid'] as const) if (!Number.isFinite(e[key])) problems.push(`${at}: ${key} is not a number`);
    if (e.ph === 'C') {
      const values = Object.values(e.args ?? {});
      if (values.length === 0 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) problems.push(`${at}: a counter needs numeric args`);
    }
    if (e.ph === 'X') {
      if (!(typeof e.dur === 'number' && e.dur >= 0)) problems.push(`${at}: a complete slice needs dur ≥ 0`);
      else slices.set(e.tid, [...(slices.get(e.tid) ?? []), { from: e.ts, to: e.ts + e.dur }]);
    }
    if (e.ph === 'B') open.set(e.tid, [...(open.get(e.tid) ?? []), String(e.name)]);
    if (e.ph === 'E') {
      const stack = open.get(e.tid) ?? [];
      if (stack.pop() !== e.name) problems.push(`${at}: ends a span that is not the one open on thread ${e.tid}`);
      open.set(e.tid, stack);
    }
  });
  for (const [tid, stack] of open) if (stack.length) problems.push(`thread ${tid}: ${stack.join(', ')} begun and never ended`);
  for (const [tid, list] of slices) {
    const sorted = [...list].sort((a, b) => a.from - b.from || b.to - a.to);
    const enclosing: { from: number; to: number }[] = [];
    for (const slice of sorted) {
      while (enclosing.length && enclosing.at(-1)!.to <= slice.from) enclosing.pop();
      const outer = enclosing.at(-1);
      if (outer && slice.to > outer.to) problems.push(`thread ${tid}: slice [${slice.from}, ${slice.to}] overlaps [${outer.from}, ${outer.to}]`);
      enclosing.push(slice);
    }
  }
  return problems;
}

test('the structural check of the Chrome trace finds what a viewer would choke on', () => {
  const base = { pid: 1, tid: 1, ts: 0 };
  expect(chromeTraceProblems([{ ...base, name: 'chunk 0', ph: 'B' }])).toEqual(['thread 1: chunk 0 begun and never ended']);
  expect(chromeTraceProblems([{ ...base, name: 'a', ph: 'B' }, { ...base, name: 'b', ph: 'E' }])[0]).toContain('ends a span that is not the one open');
  expect(chromeTraceProblems([{ ...base, name: 'memory', ph: 'C', args: { device: '12' } }])[0]).toContain('numeric args');
  expect(chromeTraceProblems([{ ...base, name: 'upload', ph: 'X', dur: 10 }, { ...base, name: 'dispatch', ph: 'X', ts: 5, dur: 10 }])[0]).toContain('overlaps');
  expect(chromeTraceProblems([{ ...base, name: 'upload', ph: 'X', dur: 10 }, { ...base, name: 'dispatch', ph: 'X', ts: 10, dur: 10 }])).toEqual([]);
  expect(chromeTraceProblems([{ ...base, name: 'x', ph: 'i', tid: Number.NaN }])[0]).toContain('tid is not a number');
});
