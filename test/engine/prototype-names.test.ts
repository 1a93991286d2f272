// Names that are built-in object keys (`constructor`, `__proto__`, `toString`) are plain
// names everywhere a user can give one: refused with a sentence, or run like any other.
import { describe, expect, test } from 'vitest';
import { importLegacyRequests } from '../../src/core/legacy-requests.ts';
import { parseScenario } from '../../src/core/scenario.ts';
import { parseTraceFile } from '../../src/core/trace-file.ts';
import { main } from '../../src/cli/main.ts';
import { kExit } from '../../src/cli/exit-codes.ts';
import { prepareRun, reportFromTrace, runScenario } from '../../src/engine/index.ts';

const kBuiltInKeys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];
const kArrays = [
  { name: 'a', role: 'input', dtype: 'f32', shape: ['runs'] },
  { name: 'b', role: 'output', dtype: 'f32', shape: ['runs'] },
];

describe.each(kBuiltInKeys)('the name %s', (name) => {
  test('as a kernel name is refused with the kernels there are', () => {
    // JSON.parse, as a file is read: "__proto__" becomes an own key, not a prototype.
    const prepared = prepareRun(JSON.parse(JSON.stringify({ version: 1, runs: 4, arrays: kArrays, kernel: { name } })));
    expect(prepared.ok).toBe(false);
    if (prepared.ok || !('issues' in prepared.error)) throw new Error('expected INVALID_SCENARIO');
    expect(prepared.error.issues).toEqual([{ path: 'kernel.name', message: expect.stringContaining(`"${name}" is not a kernel; the kernels are`) }]);
  });

  test('as a kernel in a saved trace is a sentence, not a throw', () => {
    const trace = { format: 'chunkscope-trace', version: 1, device: 'cpu', scenario: { version: 1, runs: 1, arrays: kArrays, kernel: { name } }, events: [] };
    const parsed = parseTraceFile(JSON.parse(JSON.stringify(trace)));
    const message = parsed.ok ? (reportFromTrace(parsed.trace) as { message?: string }).message : parsed.message;
    expect(message).toEqual(expect.any(String));
  });

  test('as a legacy dtype is refused', () => {
    const imported = importLegacyRequests(JSON.parse(`[{"shape": [4], "dtype": ${JSON.stringify(name)}}]`));
    expect(imported.ok).toBe(false);
  });

  test('as an array name runs and verifies', async () => {
    const scenario = parseScenario(JSON.parse(JSON.stringify({ version: 1, runs: 8, arrays: [{ ...kArrays[0], name: name === 'prototype' ? 'x' : name }, kArrays[1]] })));
    if (!parsed(scenario)) return;
    const outcome = await runScenario(scenario.scenario, { backend: 'cpu' });
    expect(outcome.ok && outcome.report.verification?.passed).toBe(true);
  });

  test('as a subcommand is unknown', async () => {
    const err: string[] = [];
    expect(await main([name], { out: () => {}, err: (t) => err.push(t) })).toBe(kExit.usage);
    expect(err.join('\n')).toContain(`unknown command "${name}"`);
  });
});

test.each(['__proto__', 'constructor', 'prototype'])('a kernel parameter named %s is refused, not dropped', (key) => {
  const parsed = parseScenario(JSON.parse(`{"version": 1, "runs": 1, "arrays": ${JSON.stringify(kArrays)}, "kernel": {"name": "touch", ${JSON.stringify(key)}: 1}}`));
  expect(parsed.ok).toBe(false);
  if (!parsed.ok) expect(parsed.issues).toContainEqual({ path: `kernel.${key}`, message: `"${key}" cannot name a kernel parameter` });
});

function parsed<T extends { ok: boolean }>(result: T): result is T & { ok: true } {
  expect(result.ok).toBe(true);
  return result.ok;
}
