// Importing legacy array requests: a faithful scenario, and every classic mistake named with its path.
import { describe, expect, test } from 'vitest';
import { importLegacyRequests } from '../../src/core/legacy-requests.ts';
import { planScenario } from '../../src/core/planner.ts';
import { parseScenario } from '../../src/core/scenario.ts';
import lorenz from '../../examples/lorenz-batch.json';
import { exampleFiles } from './example-files.ts';

test('the Lorenz requests become the Lorenz batch, and plan the same', () => {
  const [requests] = exampleFiles('legacy').filter((e) => e.file === 'lorenz-requests.json');
  const imported = importLegacyRequests(requests.json, { budgetBytes: lorenz.device.budgetBytes });
  expect(imported.ok).toBe(true);
  if (!imported.ok) return;
  expect(imported.notes).toEqual(['[5] ("host_copy") is pinned host memory: left out of the device budget']);
  const reference = parseScenario(lorenz);
  if (!reference.ok) throw new Error('the default example must be valid');
  expect(imported.scenario.runs).toBe(20000);
  expect(imported.scenario.arrays.map((a) => [a.name, a.shape])).toEqual(reference.scenario.arrays.map((a) => [a.name, a.shape]));
  const [a, b] = [planScenario(imported.scenario), planScenario(reference.scenario)];
  expect(a.ok && b.ok && [a.plan.chunkLength, a.plan.numChunks, a.plan.predictedPeakBytes]).toEqual(
    b.ok && [b.plan.chunkLength, b.plan.numChunks, b.plan.predictedPeakBytes],
  );
});

describe('each classic mistake has an example file and is named plainly', () => {
  test.each([
    { file: 'total-runs-disagree.json', code: 'TOTAL_RUNS_DISAGREE', path: '[1].total_runs' },
    { file: 'chunked-without-total-runs.json', code: 'CHUNKED_WITHOUT_TOTAL_RUNS', path: '[1]' },
    { file: 'chunk-axis-outside-shape.json', code: 'CHUNK_AXIS_OUTSIDE_SHAPE', path: '[0].chunk_axis_index' },
    { file: 'unit-chunk-axis.json', code: 'UNIT_CHUNK_AXIS', path: '[1].shape[2]' },
    { file: 'fixed-with-total-runs.json', code: 'FIXED_WITH_TOTAL_RUNS', path: '[1].total_runs' },
    // A fixed array described as one run beside chunked requests of 5: the disagreement, not the axis length it causes.
    { file: 'fixed-given-one-run.json', code: 'TOTAL_RUNS_DISAGREE', path: '[1].total_runs' },
  ])('$file → $code at $path', ({ file, code, path }) => {
    const [example] = exampleFiles('legacy').filter((e) => e.file === file);
    const imported = importLegacyRequests(example.json);
    expect(imported.ok).toBe(false);
    if (imported.ok) return;
    expect(imported.mistakes).toHaveLength(1);
    expect(imported.mistakes[0]).toMatchObject({ code, path });
    expect(imported.mistakes[0].message).toMatch(/ — /);
  });
});

test.each([
  { what: 'not a list', json: 42, code: 'NOT_A_REQUEST_LIST' },
  { what: 'a request without a shape', json: [{ dtype: 'float32' }], code: 'MALFORMED_REQUEST' },
  { what: 'an unknown dtype', json: [{ shape: [4], dtype: 'complex64', total_runs: 4 }], code: 'MALFORMED_REQUEST' },
  { what: 'only fixed requests', json: { table: { shape: [4, 4], unchunkable: true } }, code: 'NO_CHUNKED_REQUEST' },
  { what: 'a length that is not total_runs', json: [{ shape: [3, 50], dtype: 'float32', total_runs: 40 }], code: 'CHUNK_AXIS_LENGTH_MISMATCH' },
])('$what → $code', ({ json, code }) => {
  const imported = importLegacyRequests(json);
  expect(imported).toMatchObject({ ok: false, mistakes: [{ code }] });
});

test('a label → request map with the default chunk axis (the last) converts, labels made into names', () => {
  const imported = importLegacyRequests({
    'state out': { shape: [10, 3, 8], dtype: 'float32', total_runs: 8 },
    '2d': { shape: [5, 8], dtype: 'int32', total_runs: 8 },
  });
  expect(imported).toMatchObject({
    ok: true,
    scenario: { runs: 8, arrays: [{ name: 'state_out', shape: [10, 3, 'runs'], dtype: 'f32' }, { name: '_2d', shape: [5, 'runs'], dtype: 'i32' }] },
  });
});

test('fixed-given-one-run.json says what total_runs 1 most likely means', () => {
  const [example] = exampleFiles('legacy').filter((e) => e.file === 'fixed-given-one-run.json');
  const imported = importLegacyRequests(example.json);
  expect(imported).toMatchObject({ ok: false, mistakes: [{ message: expect.stringMatching(/gives total_runs 1 but \[0\]\.total_runs gives 5 — .* mark it unchunkable/) }] });
});

test('several-mistakes.json: every mistake is named, malformed fields and batch mistakes together', () => {
  const [example] = exampleFiles('legacy').filter((e) => e.file === 'several-mistakes.json');
  const imported = importLegacyRequests(example.json);
  expect(imported.ok).toBe(false);
  if (imported.ok) return;
  expect(imported.mistakes.map((m) => [m.code, m.path])).toEqual([
    ['MALFORMED_REQUEST', '[1].dtype'],
    ['MALFORMED_REQUEST', '[1].total_runs'],
    ['FIXED_WITH_TOTAL_RUNS', '[2].total_runs'],
    ['UNIT_CHUNK_AXIS', '[3].shape[2]'],
    ['CHUNK_AXIS_OUTSIDE_SHAPE', '[4].chunk_axis_index'],
  ]);
});

test.each([
  { what: 'the majority total_runs is the batch, whatever comes first', json: [{ shape: [7], total_runs: 7 }, { shape: [5], total_runs: 5 }, { shape: [2, 5], total_runs: 5 }], path: '[0].total_runs', says: /gives total_runs 7 but \[1\]\.total_runs gives 5/ },
  { what: 'on a tie total_runs 1 is the odd one out', json: [{ shape: [4, 4], total_runs: 1 }, { shape: [3, 5], total_runs: 5 }], path: '[0].total_runs', says: /gives total_runs 1 but \[1\]\.total_runs gives 5/ },
])('$what', ({ json, path, says }) => {
  const imported = importLegacyRequests(json);
  expect(imported).toMatchObject({ ok: false, mistakes: [{ code: 'TOTAL_RUNS_DISAGREE', path, message: expect.stringMatching(says) }] });
  if (!imported.ok) expect(imported.mistakes).toHaveLength(1);
});

test.each([
  { what: 'an object without a prototype', dtype: Object.create(null) },
  { what: 'a list holding a dtype name', dtype: ['f32'] },
  { what: 'a number', dtype: 32 },
])('a dtype that is $what is refused, never String()-ed', ({ dtype }) => {
  expect(importLegacyRequests([{ shape: [4], dtype, total_runs: 4 }])).toMatchObject({ ok: false, mistakes: [{ code: 'MALFORMED_REQUEST', path: '[0].dtype' }] });
});
