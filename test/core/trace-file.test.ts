// Trace files, over every feasible example: run → trace JSON → the same report; the Chrome export passes a structural check; CSV totals.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../src/engine/index.ts';
import { planScenario } from '../../src/core/planner.ts';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';
import { summarizeTrace, toChromeTrace, type TraceEvent } from '../../src/core/trace.ts';
import { parseTraceFile, timelineCsv, toTraceFile } from '../../src/core/trace-file.ts';
import { exampleFiles } from './example-files.ts';

/** Every valid example that runs on the CPU backend, faults and fallbacks included. */
const kRunnable = exampleFiles().flatMap(({ file, json }) => {
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
    // Checked as the file a viewer reads: plain JSON records, whatever the exporter's types promise.
    const { traceEvents } = JSON.parse(JSON.stringify(toChromeTrace(await traceOf(scenario)))) as {
      traceEvents: { name: unknown; ph: string; ts: number; pid: number; tid: number; dur?: number; args?: Record<string, unknown> }[];
    };
    expect(traceEvents.length).toBeGreaterThan(0);
    const open = new Map<string, number>();
    for (const e of traceEvents) {
      expect(typeof e.name).toBe('string');
      expect(['X', 'i', 'C', 'B', 'E']).toContain(e.ph);
      for (const key of ['ts', 'pid', 'tid'] as const) expect(Number.isFinite(e[key])).toBe(true);
      if (e.ph === 'C') for (const value of Object.values(e.args ?? {})) expect(typeof value).toBe('number');
      if (e.ph === 'X') expect(e.dur).toBeGreaterThanOrEqual(0);
      if (e.ph === 'B') open.set(`${e.tid}:${e.name}`, (open.get(`${e.tid}:${e.name}`) ?? 0) + 1);
      if (e.ph === 'E') open.set(`${e.tid}:${e.name}`, (open.get(`${e.tid}:${e.name}`) ?? 0) - 1);
    }
    // Durations are balanced: every begin has its end.
    for (const count of open.values()) expect(count).toBe(0);
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
