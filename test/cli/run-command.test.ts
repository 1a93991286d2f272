// `chunkscope run` in-process: every example runs (or fails cleanly with the planner's code), exit codes, --json, --trace and --backend.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';
import { parseTraceFile } from '../../src/core/trace-file.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['run', ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

import { kDispatchBound } from './dispatch-bound.ts';

const kExamplesDir = new URL('../../examples/', import.meta.url);
const kExamples = readdirSync(kExamplesDir).filter((f) => f.endsWith('.json')).sort();

/** What this suite knows about particular examples; any other example must still run or fail cleanly. */
const kExpected: Record<string, { code: number; backend?: string; fallbacks?: string[]; faults?: number; error?: string }> = {
  'lorenz-batch.json': { code: kExit.ok, backend: 'webgpu', fallbacks: [] },
  'axpy-i32.json': { code: kExit.ok, backend: 'webgpu', fallbacks: [] },
  'touch-strided-mixed.json': { code: kExit.ok, backend: 'webgpu', fallbacks: [] },
  'lorenz-oom-recovery.json': { code: kExit.ok, backend: 'webgpu', fallbacks: ['shrink', 'shrink'], faults: 2 },
  'lorenz-device-lost.json': { code: kExit.ok, backend: 'webgpu', fallbacks: ['retry'], faults: 1 },
  'f64-on-cpu.json': { code: kExit.ok, backend: 'cpu', fallbacks: [] },
  'fixed-exceeds-budget.json': { code: kExit.infeasible, error: 'FIXED_EXCEEDS_BUDGET' },
  'slice-exceeds-limit.json': { code: kExit.infeasible, error: 'SLICE_EXCEEDS_LIMIT' },
  'invalid-scenario.json': { code: kExit.invalidScenario, error: 'INVALID_SCENARIO' },
};

async function planJson(path: string) {
  const out: string[] = [];
  await main(['plan', path, '--json'], { out: (t) => out.push(t), err: () => {} });
  return JSON.parse(out.join('\n'));
}

describe.each(kExamples)('examples/%s', (file) => {
  test('runs with --json and reports a verified, exact run or a structured error', async () => {
    const { code, out } = await run(join(kExamplesDir.pathname, file), '--json');
    const json = JSON.parse(out);
    // One plan for everyone: what `plan --json` prints is the plan the run made (or the same error).
    const planned = await planJson(join(kExamplesDir.pathname, file));
    if (planned.error) expect(json.error).toEqual(planned.error);
    else expect(json.plan).toEqual(planned);
    expect([kExit.ok, kExit.invalidScenario, kExit.infeasible, kExit.ladderExhausted]).toContain(code);
    if (code === kExit.ok) {
      expect(json.verification.passed).toBe(true);
      expect(json.liveBuffersAfter).toBe(0);
      if (json.attempts.length === 1) expect(json.peak.measuredBytes).toBe(json.peak.predictedBytes);
    } else if (code !== kExit.ladderExhausted) {
      expect(json.error.code).toMatch(/^[A-Z_]+$/);
    }
    const expected = kExpected[file];
    if (!expected) return;
    expect(code).toBe(expected.code);
    if (expected.error) expect(json.error.code).toBe(expected.error);
    if (expected.backend) expect(json.backend).toBe(expected.backend);
    if (expected.fallbacks) expect(json.fallbacks.map((f: { to: string }) => f.to)).toEqual(expected.fallbacks);
    if (expected.faults !== undefined) expect(json.faults).toHaveLength(expected.faults);
  });
});

test('the readable report shows predicted and measured peak, verification and live buffers', async () => {
  const { code, out } = await run(join(kExamplesDir.pathname, 'axpy-i32.json'), '--backend', 'cpu');
  expect(code).toBe(kExit.ok);
  expect(out).toMatch(/peak {10}predicted 2\.86 MiB \(3,000,000 B\), measured 2\.86 MiB \(3,000,000 B\) \(equal\)/);
  expect(out).toMatch(/set by "y set 0 \(1500000 B\)"/);
  expect(out).toMatch(/backend {7}cpu/);
  expect(out).toMatch(/verification {2}passed/);
  expect(out).toMatch(/live buffers {2}0 after the run/);
});

test('--trace, --chrome-trace and --csv write the run in three formats', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chunkscope-'));
  const [trace, chrome, csv] = ['trace.json', 'chrome.json', 'timeline.csv'].map((f) => join(dir, f));
  const { code } = await run(join(kExamplesDir.pathname, 'f64-on-cpu.json'), '--trace', trace, '--chrome-trace', chrome, '--csv', csv);
  expect(code).toBe(kExit.ok);
  const parsed = parseTraceFile(JSON.parse(readFileSync(trace, 'utf8')));
  expect(parsed.ok).toBe(true);
  if (parsed.ok) {
    expect(parsed.trace.events.length).toBeGreaterThan(10);
    expect(parsed.trace.device).toMatch(/^the CPU: array "\w+" is f64/);
    // The file re-renders the report: the verification the run printed is in it.
    expect(parsed.trace.outcome?.verification?.passed).toBe(true);
    expect(parsed.trace.outcome?.error).toBeUndefined();
  }
  expect(JSON.parse(readFileSync(chrome, 'utf8')).traceEvents.length).toBeGreaterThan(10);
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('t_ms,kind,label,bytes,device_bytes,staging_bytes');
  expect(lines.at(-1)).toMatch(/,done,ok,,0,0$/);
});

test('a ladder that runs out exits 4 with the structured error and the finished runs', async () => {
  const scenario = {
    version: 1, runs: 400,
    arrays: [{ name: 'a', role: 'input', dtype: 'u32', shape: ['runs'] }, { name: 'b', role: 'output', dtype: 'u32', shape: ['runs'] }],
    device: { budgetBytes: 800 },
    recovery: { ladder: ['shrink'], maxAttempts: 1 },
    // Staging lives for the attempt, so a fault after finished chunks is a lost device: attempt 1
    // fails on allocation 1 (shrink 100 → 50), attempt 2 (allocations 2–5) finishes chunks 0–2 and
    // loses its device, and the new device's attempt fails on its first allocation, 6.
    faults: [
      { kind: 'out-of-memory', onAllocation: 1 },
      { kind: 'device-lost', beforeChunk: 3, repeat: false },
      { kind: 'out-of-memory', onAllocation: 6 },
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), 'chunkscope-'));
  const path = join(dir, 'exhausted.json');
  const trace = join(dir, 'exhausted.trace.json');
  await import('node:fs/promises').then((fs) => fs.writeFile(path, JSON.stringify(scenario)));
  const { code, out } = await run(path, '--json', '--backend', 'webgpu', '--trace', trace);
  expect(code).toBe(kExit.ladderExhausted);
  const json = JSON.parse(out);
  expect(json.status).toBe('ladder-exhausted');
  expect(json.error).toMatchObject({ code: 'LADDER_EXHAUSTED' });
  expect(json.error.runsDone).toBe(150);
  expect(json.liveBuffersAfter).toBe(0);
  // --trace keeps the error the report printed, so the file re-renders the same stop.
  const parsed = parseTraceFile(JSON.parse(readFileSync(trace, 'utf8')));
  if (!parsed.ok) throw new Error(parsed.message);
  expect(parsed.trace.outcome).toEqual({ error: json.error });
});

test.each([
  { args: ['examples/nope.json'], code: kExit.invalidScenario, err: /no such file/ },
  { args: ['examples/lorenz-batch.json', '--backend', 'metal'], code: kExit.usage, err: /--backend must be one of auto, webgpu, cpu/ },
  { args: [], code: kExit.usage, err: /expected one scenario file/ },
])('$args exits $code', async ({ args, code, err }) => {
  const result = await run(...args);
  expect(result.code).toBe(code);
  expect(result.err).toMatch(err);
});

test('auto runs a scenario with more arrays than WebGPU binds on the CPU, and says why', async () => {
  const arrays = Array.from({ length: 13 }, (_, i) => ({ name: `a${i}`, role: i < 6 ? 'input' : 'output', dtype: 'u32', shape: ['runs'] }));
  const path = join(mkdtempSync(join(tmpdir(), 'chunkscope-')), 'wide.json');
  await import('node:fs/promises').then((fs) => fs.writeFile(path, JSON.stringify({ version: 1, runs: 50, arrays })));
  const auto = await run(path, '--json');
  expect(auto.code).toBe(kExit.ok);
  expect(JSON.parse(auto.out)).toMatchObject({ backend: 'cpu', device: expect.stringMatching(/binds at most \d+ storage buffers/) });
  const webgpu = await run(path, '--json', '--backend', 'webgpu');
  expect(webgpu.code).toBe(kExit.infeasible);
  expect(JSON.parse(webgpu.out).error.code).toBe('TOO_MANY_BINDINGS');
});

test('plan and run agree on a batch past the kernel dispatch limit (5 000 000 Lorenz runs)', async () => {
  // An injected out-of-memory on the first allocation and an empty ladder stop the run at
  // once: only its plan is wanted here.
  const path = join(mkdtempSync(join(tmpdir(), 'chunkscope-')), 'dispatch-bound.json');
  await import('node:fs/promises').then((fs) => fs.writeFile(path, JSON.stringify(kDispatchBound)));
  const planned = await planJson(path);
  expect(planned).toMatchObject({ numChunks: 2, chunkLength: 65_535 * 64, boundBy: 'maxComputeWorkgroupsPerDimension' });
  const { code, out } = await run(path, '--json', '--backend', 'cpu');
  expect(code).toBe(kExit.ladderExhausted);
  expect(JSON.parse(out).plan).toEqual(planned);
});
