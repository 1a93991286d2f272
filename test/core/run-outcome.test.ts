// A trace file's `outcome`: values JSON cannot carry (NaN, ±Infinity, -0) come back exactly; a malformed outcome or a trace cut short is refused with a sentence.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { encodeOutcome, parseTraceOutcome, type TraceOutcome } from '../../src/core/run-outcome.ts';
import { parseTraceFile } from '../../src/core/trace-file.ts';

const kDiverged: TraceOutcome = {
  verification: {
    passed: false,
    maxAbsError: Infinity,
    twin: {
      passed: false,
      tolerance: { exact: false, abs: 1e-5, rel: 1e-4, why: 'float reassociation' },
      arrays: [{ name: 'state', elements: 6, mismatches: 2, maxAbsError: Infinity, maxRelError: 0, first: { index: 1, expected: -0, actual: NaN } }],
    },
    unchunked: { passed: true, skipped: 'the run was already one chunk', tolerance: { exact: true }, arrays: [] },
    precisionLoss: { maxAbsError: -Infinity, maxRelError: 0.5 },
  },
  error: { code: 'CANCELLED', message: 'NaN is a word here, not a number', runsDone: 3 },
};

test('NaN, ±Infinity and -0 survive JSON text; strings that spell them stay strings', () => {
  const text = JSON.stringify(encodeOutcome(kDiverged));
  expect(text).toContain('"Infinity"');
  const parsed = parseTraceOutcome(JSON.parse(text));
  expect(parsed).toEqual({ ok: true, outcome: kDiverged });
  if (!parsed.ok) return;
  expect(Object.is(parsed.outcome.verification!.twin.arrays[0].first!.expected, -0)).toBe(true);
  expect(parsed.outcome.error!.message).toBe('NaN is a word here, not a number');
});

test('an absent outcome reads as none', () => {
  expect(parseTraceOutcome(undefined)).toEqual({ ok: true, outcome: {} });
});

test.each([
  { what: 'not an object', json: [1], message: /outcome must be an object/ },
  { what: 'an unknown failure code', json: { error: { code: 'BOOM', message: 'x', runsDone: 0 } }, message: /outcome\.error\.code must be one of LADDER_EXHAUSTED/ },
  { what: 'a verification without its twin', json: { verification: { passed: true, maxAbsError: 0, unchunked: {} } }, message: /outcome\.verification\.twin must be an object/ },
  { what: 'a number spelled wrongly', json: { verification: { passed: true, maxAbsError: 'inf', twin: {}, unchunked: {} } }, message: /outcome\.verification\.maxAbsError must be a number/ },
  { what: 'arrays that are not a list', json: { verification: { passed: true, maxAbsError: 0, twin: { passed: true, tolerance: { exact: true }, arrays: {} }, unchunked: {} } }, message: /twin\.arrays must be a list/ },
])('$what is refused with a sentence that names the field', ({ json, message }) => {
  const parsed = parseTraceOutcome(json);
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.message).toMatch(message);
});

const kScenario = { version: 1, runs: 1, arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }] };
const kDone = { t: 1, kind: 'done', status: 'ok', runsDone: 1 };

test.each([
  { what: 'a trace cut short (no done event)', json: { format: 'chunkscope-trace', version: 1, scenario: kScenario, events: [{ t: 0, kind: 'chunk-begin', index: 0, start: 0, end: 1 }] }, message: /does not end with its "done" event/ },
  { what: 'a trace whose outcome is malformed', json: { format: 'chunkscope-trace', version: 1, scenario: kScenario, events: [kDone], outcome: { error: 'boom' } }, message: /the trace's outcome\.error must be an object/ },
])('parseTraceFile refuses $what with a sentence', ({ json, message }) => {
  const parsed = parseTraceFile(json);
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.message).toMatch(message);
});

test('the runs a comparison covered come back through the file; an older file without them still reads', () => {
  const covered: TraceOutcome = {
    verification: {
      ...kDiverged.verification!,
      unchunked: {
        passed: true,
        tolerance: { exact: true },
        arrays: [],
        runs: { how: 'a sample: the runs beside the boundaries of 3 of 3 chunks and 2 runs drawn with seed 1', count: 6, ranges: [[0, 2], [7, 9], [40, 42]] },
      },
    },
  };
  const back = parseTraceOutcome(JSON.parse(JSON.stringify(encodeOutcome(covered))));
  expect(back).toEqual({ ok: true, outcome: covered });
  expect(parseTraceOutcome(JSON.parse(JSON.stringify(encodeOutcome(kDiverged))))).toEqual({ ok: true, outcome: kDiverged });
});

test.each([
  [{ how: 'x', count: 1, ranges: [[0]] }, 'outcome.verification.unchunked.runs.ranges[0] must be a pair [start, end]'],
  [{ how: 'x', count: 1, ranges: 'all' }, 'outcome.verification.unchunked.runs.ranges must be a list'],
  [{ how: 1, count: 1, ranges: [] }, 'outcome.verification.unchunked.runs.how must be a string'],
])('a malformed coverage %j is refused with its path', (runs, message) => {
  const json = JSON.parse(JSON.stringify(encodeOutcome(kDiverged))) as { verification: { unchunked: Record<string, unknown> } };
  json.verification.unchunked.runs = runs;
  expect(parseTraceOutcome(json)).toEqual({ ok: false, message: `the trace's ${message}` });
});

test('any value where an outcome or its coverage goes reads as an outcome or a sentence, never an exception', () => {
  const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype', 'runs', 'ranges', 'how', 'count');
  const anything = fc.oneof(fc.anything(), fc.dictionary(prototypeKeys, fc.anything()), fc.array(fc.array(fc.anything(), { maxLength: 3 })));
  fc.assert(
    fc.property(anything, anything, (outcome, runs) => {
      for (const value of [outcome, { verification: { ...(encodeOutcome(kDiverged) as { verification: object }).verification, unchunked: { passed: true, tolerance: { exact: true }, arrays: [], runs } } }]) {
        const parsed = parseTraceOutcome(value);
        if (!parsed.ok) expect(parsed.message).toMatch(/^the trace's outcome/);
      }
    }),
    { numRuns: 2000, seed: 23 },
  );
});
