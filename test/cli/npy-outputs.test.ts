// `--outputs DIR`: .npy files read back by an independent reader (npyjs) hold the shape, dtype and values of an in-memory run, whole or cut to the finished runs of an exhausted ladder or a cancel; manifest.json says what finished and what was verified; --host-budget refuses with exit 8.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseNpy } from 'npyjs';
import { describe, expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';
import { NpyOutputs } from '../../src/cli/npy-outputs.ts';
import { runLayout, type HostArrays } from '../../src/core/host-arrays.ts';
import { kNpyDescr } from '../../src/core/npy.ts';
import type { Scenario } from '../../src/core/scenario.ts';
import { runScenario, type RunOptions } from '../../src/engine/run-scenario.ts';
import { outputSpecs } from '../../src/engine/output-sink.ts';
import { byName, kLorenzSmall, withFaults } from '../engine/fault-helpers.ts';
import { gpuTest } from '../engine/gpu-fixture.ts';
import { example } from '../engine/scenarios.ts';
import { startCli } from './cli-process.ts';

const kLorenzBatch = example('lorenz-batch.json');

const freshDir = () => mkdtempSync(join(tmpdir(), 'chunkscope-outputs-'));

async function runTo(scenario: Scenario, outputs: RunOptions['outputs'], extra: Partial<RunOptions> = {}) {
  const outcome = await runScenario(scenario, { backend: 'cpu', outputs, ...extra });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.report;
}

/** Reads `name.npy` in `dir` with npyjs. */
function readNpy(dir: string, name: string) {
  const bytes = readFileSync(join(dir, `${name}.npy`));
  return parseNpy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { convertFloat16: false });
}

/** Expects every output file in `dir` to hold runs `[0, runs)` of the in-memory outputs `expected`, in C order. */
function expectFiles(dir: string, scenario: Scenario, expected: HostArrays, runs: number): void {
  for (const spec of outputSpecs(scenario)) {
    const npy = readNpy(dir, spec.name);
    const layout = runLayout(spec.shape);
    expect(npy.dtype, spec.name).toBe(kNpyDescr[spec.dtype].slice(1));
    expect(npy.fortranOrder).toBe(false);
    expect(npy.shape, spec.name).toEqual(spec.shape.map((d) => (d === 'runs' ? runs : d)));
    const data = npy.data as unknown as ArrayLike<number>;
    const whole = expected[spec.name];
    const cut: number[] = [];
    if (!layout.chunked) cut.push(...whole);
    else {
      for (let o = 0; o < layout.outer; o++) {
        const from = o * scenario.runs * layout.inner;
        for (let k = 0; k < runs * layout.inner; k++) cut.push(whole[from + k]);
      }
    }
    expect(data.length, spec.name).toBe(cut.length);
    let first = -1;
    for (let k = 0; k < cut.length && first < 0; k++) if (!Object.is(data[k], cut[k])) first = k;
    expect(first, `${spec.name}: first element that differs`).toBe(-1);
  }
}

const kCases = [
  { name: 'lorenz-rk4, two buffer sets: state [saves, 3, runs] (strided), status u32', scenario: kLorenzSmall },
  { name: 'fixed input, output and inout arrays (i32, u32)', scenario: byName('fixed input, output and inout arrays') },
  { name: 'f16 arrays (<f2)', scenario: byName('f16 arrays sharing words between runs (odd inner)') },
  { name: 'chunk axis middle', scenario: byName('chunk axis middle, i32 in, f32 out') },
];

describe.each(kCases)('$name', ({ scenario }) => {
  test('the files equal a run kept in memory, and the manifest says it finished and was verified', async () => {
    const memory = await runTo(scenario, 'memory');
    const dir = freshDir();
    const sink = new NpyOutputs(dir, scenario);
    const report = await runTo(scenario, sink);
    expect(sink.error).toBeUndefined();
    expect(report.status).toBe('ok');
    expect(report.outputs).toBeUndefined();
    expectFiles(dir, scenario, memory.outputs!, scenario.runs);
    expect(readdirSync(dir).sort()).toEqual([...outputSpecs(scenario).map((s) => `${s.name}.npy`), 'manifest.json'].sort());
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'chunkscope-outputs', status: 'ok', runs: scenario.runs, runsFinished: scenario.runs });
    expect(manifest.verified).toMatchObject({ passed: true, twin: { runs: { count: scenario.runs, ranges: [[0, scenario.runs]] } } });
    expect(manifest.scenario).toEqual(JSON.parse(JSON.stringify(scenario)));
  });
});

// On WebGPU, as in the recovery tests: out of memory on the first allocation shrinks 100 → 50, then the
// device is lost before chunk 3 with no new one to be had, and the ladder [shrink] has nothing left.
gpuTest('a ladder that gives up writes its finished prefix, equal to the clean run\'s same runs', async ({ gpu }) => {
  const base = byName('chunk axis last (strided), no dangling chunk');
  const clean = await runTo(base, 'memory');
  const scenario = withFaults(base, [
    { kind: 'out-of-memory', onAllocation: 1 },
    { kind: 'device-lost', beforeChunk: 3, repeat: false },
  ], { ladder: ['shrink'], maxAttempts: 1 });
  const dir = freshDir();
  const sink = new NpyOutputs(dir, scenario);
  const report = await runTo(scenario, sink, { backend: 'webgpu', device: await gpu.requestDevice() });
  expect(sink.error).toBeUndefined();
  expect(report.status).toBe('ladder-exhausted');
  const done = report.runsDone;
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(base.runs);
  // b is [4, "runs"]: the chunk axis is inner, so each outer block was moved down to close the gap.
  expectFiles(dir, scenario, clean.outputs!, done);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  expect(manifest).toMatchObject({ status: 'ladder-exhausted', runsFinished: done, arrays: [{ name: 'b', file: 'b.npy', descr: '<f4', shape: [4, done] }] });
  expect(manifest.verified).toMatchObject({ passed: true, twin: { runs: { ranges: [[0, done]] } }, unchunked: { passed: true } });
});

test('a cancelled run writes its finished prefix', async () => {
  const scenario = kLorenzSmall;
  const clean = await runTo(scenario, 'memory');
  const controller = new AbortController();
  const dir = freshDir();
  const sink = new NpyOutputs(dir, scenario);
  const report = await runTo(scenario, sink, { signal: controller.signal, onProgress: (p) => p.chunk === 1 && controller.abort() });
  expect(sink.error).toBeUndefined();
  expect(report.status).toBe('cancelled');
  expect(report.runsDone).toBeGreaterThan(0);
  expectFiles(dir, scenario, clean.outputs!, report.runsDone);
  expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toMatchObject({ status: 'cancelled', runsFinished: report.runsDone });
});

test('SIGINT to the real process: the finished runs\' files and manifest are written, whole, and it exits 130', async () => {
  const dir = freshDir();
  const scenario: Scenario = { ...kLorenzBatch, device: { ...kLorenzBatch.device, budgetBytes: 600_000 } };
  const file = join(dir, 'many-chunks.json');
  writeFileSync(file, JSON.stringify(scenario));
  const out = join(dir, 'out');
  const cli = startCli(['run', file, '--backend', 'cpu', '--progress', '--outputs', out]);
  await cli.stderrMatches(/progress: chunk 1 of 42/);
  cli.child.kill('SIGINT');
  const { code } = await cli.outcome;
  expect(code).toBe(kExit.cancelled);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  expect(manifest).toMatchObject({ status: 'cancelled' });
  const done: number = manifest.runsFinished;
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(scenario.runs);
  expect(readNpy(out, 'state').shape).toEqual([100, 3, done]);
  expect(readNpy(out, 'status').shape).toEqual([done]);
  expect(manifest.verified).toMatchObject({ passed: true, twin: { runs: { ranges: [[0, done]] } } });
  expect(readdirSync(out).sort()).toEqual(['manifest.json', 'state.npy', 'status.npy']);
});

describe('chunkscope run', () => {
  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['run', ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('--outputs DIR writes the files and exits 0', async () => {
    const dir = freshDir();
    const { code } = await cli('examples/axpy-i32.json', '--backend', 'cpu', '--outputs', dir);
    expect(code).toBe(kExit.ok);
    const npy = readNpy(dir, 'y');
    expect(npy.shape).toEqual([1_000_000]);
    expect(npy.dtype).toBe('i4');
  });

  test('--host-budget below what the run holds refuses it with exit 8 and the bytes, writing nothing', async () => {
    const dir = join(freshDir(), 'not-made');
    const { code, err } = await cli('examples/axpy-i32.json', '--backend', 'cpu', '--outputs', dir, '--host-budget', '1000');
    expect(code).toBe(kExit.hostBudget);
    expect(err).toMatch(/HOST_BUDGET_EXCEEDED\): the run needs [\d.]+ \w+ \([\d,]+ B\) of host memory, over the host budget of 1000 B/);
    expect(() => readdirSync(dir)).toThrow();
  });

  test.each([['abc'], ['-5'], ['0'], ['1e9'], ['9007199254740993'], ['']])('--host-budget=%s is a usage error', async (value) => {
    const { code, err } = await cli('examples/axpy-i32.json', `--host-budget=${value}`);
    expect(code).toBe(kExit.usage);
    expect(err).toContain('--host-budget must be a positive whole number of bytes');
  });
});
