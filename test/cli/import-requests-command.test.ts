// `chunkscope import-requests`: a scenario on stdout that plans, or each mistake with its code and exit 1.
import { expect, test } from 'vitest';
import { runCli } from './cli-process.ts';

test('the Lorenz requests become a scenario that plans like the default example', async () => {
  const imported = await runCli(['import-requests', 'examples/legacy/lorenz-requests.json', '--budget', '8388608', '--name', 'Lorenz batch']);
  expect(imported.code).toBe(0);
  expect(imported.stderr).toContain('note: [5] ("host_copy") is pinned host memory');
  const planned = await runCli(['plan', '-', '--json'], imported.stdout);
  expect(planned.code).toBe(0);
  expect(JSON.parse(planned.stdout)).toMatchObject({ runs: 20000, chunkLength: 6830, numChunks: 3, finalChunkLength: 6340 });
});

test('mistakes are listed with path and code, exit 1; --json gives them as JSON', async () => {
  const text = await runCli(['import-requests', 'examples/legacy/unit-chunk-axis.json']);
  expect(text.code).toBe(1);
  expect(text.stderr).toContain('[1].shape[2]: UNIT_CHUNK_AXIS: "state" has length 1 at its chunk axis 2, but total_runs is 20000');
  const json = await runCli(['import-requests', 'examples/legacy/total-runs-disagree.json', '--json']);
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout).error.mistakes).toEqual([expect.objectContaining({ code: 'TOTAL_RUNS_DISAGREE', path: '[1].total_runs' })]);
});

test('a budget that is not a byte count is a usage error', async () => {
  const outcome = await runCli(['import-requests', 'examples/legacy/lorenz-requests.json', '--budget', '8MB']);
  expect(outcome.code).toBe(64);
  expect(outcome.stderr).toContain('--budget must be a positive whole number of bytes, got "8MB"');
});

test('every mistake in a file is listed, one line each', async () => {
  const outcome = await runCli(['import-requests', 'examples/legacy/several-mistakes.json', '--json']);
  expect(outcome.code).toBe(1);
  const { error } = JSON.parse(outcome.stdout);
  expect(error.message).toBe('examples/legacy/several-mistakes.json holds 5 mistake(s)');
  expect(error.mistakes.map((m: { code: string }) => m.code)).toEqual(['MALFORMED_REQUEST', 'MALFORMED_REQUEST', 'FIXED_WITH_TOTAL_RUNS', 'UNIT_CHUNK_AXIS', 'CHUNK_AXIS_OUTSIDE_SHAPE']);
});
