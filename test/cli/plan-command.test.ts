// `chunkscope plan` as a user runs it: worked examples, every error code with its exit code, help.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from './cli-process.ts';

const kTmp = mkdtempSync(join(tmpdir(), 'chunkscope-plan-'));

function scenarioFile(name: string, scenario: unknown): string {
  const path = join(kTmp, `${name}.json`);
  writeFileSync(path, JSON.stringify(scenario));
  return path;
}

const x = { name: 'x', role: 'input', dtype: 'f32', shape: [10, 'runs'] };
const fixed = { name: 'coefficients', role: 'input', dtype: 'f32', shape: [10, 10] };

describe('worked examples of DESIGN.md through plan --json', () => {
  test.each([
    { runs: 100, arrays: [x], budget: 1000, expected: { chunkLength: 25, numChunks: 4, finalChunkLength: 25, fixedBytes: 0, perRunBytes: 40, predictedPeakBytes: 1000 } },
    { runs: 105, arrays: [x], budget: 1000, expected: { chunkLength: 25, numChunks: 5, finalChunkLength: 5, fixedBytes: 0, perRunBytes: 40, predictedPeakBytes: 1000 } },
    { runs: 100, arrays: [x, fixed], budget: 1400, expected: { chunkLength: 25, numChunks: 4, finalChunkLength: 25, fixedBytes: 400, perRunBytes: 40, predictedPeakBytes: 1400 } },
  ])('$runs runs, budget $budget', async ({ runs, arrays, budget, expected }) => {
    const file = scenarioFile(`worked-${runs}-${budget}`, { version: 1, runs, arrays, device: { budgetBytes: budget } });
    const { code, stdout } = await runCli(['plan', file, '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ runs, boundBy: 'budget', ...expected });
    expect(plan.arrays[0]).toMatchObject({ name: 'x', chunked: true, shape: [10, 'runs'], bytes: 1000 });
  });
});

test('10^9 runs read from standard input plan exactly', async () => {
  const { code, stdout } = await runCli(['plan', '--json', '-'], JSON.stringify({
    version: 1,
    runs: 1_000_000_000,
    arrays: [{ name: 'state', role: 'output', dtype: 'f32', shape: [2_621_440, 'runs'] }],
    device: { budgetBytes: 2 ** 40 },
  }));
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toMatchObject({
    perRunBytes: 10_485_760,
    chunkLength: 12,
    numChunks: 83_333_334,
    finalChunkLength: 4,
    boundBy: 'maxStorageBufferBindingSize',
    predictedPeakBytes: 125_829_120,
  });
});

describe('every error code through the CLI, with its exit code', () => {
  test.each([
    { example: 'invalid-scenario.json', code: 'INVALID_SCENARIO', exit: 1, path: 'arrays[0].shape' },
    { example: 'fixed-exceeds-budget.json', code: 'FIXED_EXCEEDS_BUDGET', exit: 2, path: 'device.budgetBytes' },
    { example: 'run-does-not-fit.json', code: 'RUN_DOES_NOT_FIT', exit: 2, path: 'device.budgetBytes' },
    { example: 'slice-exceeds-limit.json', code: 'SLICE_EXCEEDS_LIMIT', exit: 2, path: 'arrays[0].shape' },
    { example: 'fixed-exceeds-limit.json', code: 'FIXED_EXCEEDS_LIMIT', exit: 2, path: 'arrays[1]' },
  ])('examples/$example → $code, exit $exit', async ({ example, code, exit, path }) => {
    const json = await runCli(['plan', `examples/${example}`, '--json']);
    expect(json.code).toBe(exit);
    const { error } = JSON.parse(json.stdout);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
    if (code === 'INVALID_SCENARIO') expect(error.issues.map((i: { path: string }) => i.path)).toContain(path);
    else expect(error.path).toBe(path);

    const text = await runCli(['plan', `examples/${example}`]);
    expect(text.code).toBe(exit);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(code === 'INVALID_SCENARIO' ? /is not a valid scenario/ : new RegExp(code));
  });
});

test('the readable plan names chunks, the dangling final chunk, the bound and the peak', async () => {
  const { code, stdout } = await runCli(['plan', 'examples/lorenz-batch.json']);
  expect(code).toBe(0);
  expect(stdout).toContain('3 chunks of 6,830 runs');
  expect(stdout).toContain('final chunk   6,340 runs (dangling)');
  expect(stdout).toMatch(/bound by +budget/);
  expect(stdout).toContain('8 MiB (8,388,264 B) of 8 MiB (8,388,608 B) budget');
  expect(stdout).toMatch(/state +output +f32 +\[100, 3, runs\] +\[100, 3, 6830\]/);
});

test.each([
  { what: 'a missing file', args: ['plan', 'no-such-file.json'], exit: 1, stderr: /cannot read no-such-file.json: no such file/ },
  { what: 'a file that is not JSON', args: ['plan', '.gitignore'], exit: 1, stderr: /is not valid JSON/ },
  { what: 'no file', args: ['plan'], exit: 64, stderr: /expected one scenario file/ },
  { what: 'an unknown option', args: ['plan', '--frobnicate', 'x.json'], exit: 64, stderr: /Unknown option '--frobnicate'/ },
  { what: 'an unknown command', args: ['replan'], exit: 64, stderr: /unknown command "replan"/ },
])('$what is a clear usage error', async ({ args, exit, stderr }) => {
  const outcome = await runCli(args);
  expect(outcome.code).toBe(exit);
  expect(outcome.stderr).toMatch(stderr);
});

test('--help explains every option', async () => {
  const { code, stdout } = await runCli(['plan', '--help']);
  expect(code).toBe(0);
  for (const option of ['--json', '<scenario.json | ->', 'exit codes']) expect(stdout).toContain(option);
  const top = await runCli(['--help']);
  expect(top.stdout).toMatch(/plan +split a scenario/);
});
