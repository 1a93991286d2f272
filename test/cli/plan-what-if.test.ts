// `chunkscope plan --what-if [--json]`: the same rows as core's table, as text and JSON; exit codes.
import { describe, expect, test } from 'vitest';
import { stringifyJson } from '../../src/core/json.ts';
import { whatIfRecord } from '../../src/core/what-if.ts';
import { whatIfFor } from '../../src/engine/what-if-for.ts';
import { scenarioExampleFiles } from '../core/example-files.ts';
import { runCli } from './cli-process.ts';

describe.each([
  { file: 'examples/lorenz-batch.json', code: 0 },
  { file: 'examples/fixed-exceeds-budget.json', code: 2 },
])('$file', ({ file, code }) => {
  test('--json rows equal core\'s table', async () => {
    const out = await runCli(['plan', file, '--what-if', '--json']);
    expect(out.code).toBe(code);
    const json = scenarioExampleFiles().find((e) => `examples/${e.file}` === file)!.json;
    const reply = whatIfFor(json);
    if (!reply.ok) throw new Error('a valid scenario');
    expect(JSON.parse(out.stdout).rows).toEqual(JSON.parse(stringifyJson(reply.rows.map(whatIfRecord))));
  });
});

test('text: one line per change, with the peak per dtype combination and a note on what the kernel refuses', async () => {
  const { code, stdout } = await runCli(['plan', 'examples/lorenz-batch.json', '--what-if']);
  expect(code).toBe(0);
  const lines = stdout.split('\n');
  expect(lines[0]).toMatch(/^change +per run +chunkLength +chunks +final chunk +peak +bound by$/);
  expect(lines[1]).toMatch(/^as planned +1\.2 KiB +6,830 +3 +6,340 +8 MiB +budget$/);
  expect(stdout).toMatch(/^state f16 +628 B +13,356 +2 +6,644 +8 MiB +budget \*$/m);
  expect(stdout).toMatch(/^budget 16 MiB \(doubled\) +1\.2 KiB +13,661 +2 +6,339 +16 MiB +budget$/m);
  expect(stdout).toContain(`arrays[3].dtype: must be f32 for lorenz-rk4's "state"`);
});

test('an invalid scenario exits 1 with its issues, each naming its array', async () => {
  const scenario = { version: 1, runs: 5, arrays: [{ name: 'state', role: 'input', dtype: 'f32', shape: [0, 'runs'] }] };
  const text = await runCli(['plan', '-', '--what-if'], JSON.stringify(scenario));
  expect(text.code).toBe(1);
  expect(text.stderr).toContain('arrays[0].shape[0] (array "state"): must be a positive integer or "runs"');
  const json = await runCli(['plan', '-', '--what-if', '--json'], JSON.stringify(scenario));
  expect(JSON.parse(json.stdout).error.issues[0]).toMatchObject({ path: 'arrays[0].shape[0]', array: 'state' });
});
