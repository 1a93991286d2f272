// The app's in-memory outputs (KeptOutputs) hold the very bytes `chunkscope run --outputs DIR` writes: every .npy file and manifest.json, for a finished run and for the finished prefix of a ladder that gave up.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Scenario } from '../../src/core/scenario.ts';
import { KeptOutputs } from '../../src/engine/kept-outputs.ts';
import { runScenario, type RunOptions } from '../../src/engine/run-scenario.ts';
import { byName, kLorenzSmall } from './fault-helpers.ts';
import { gpuTest } from './gpu-fixture.ts';
import { example, scenario as parsed } from './scenarios.ts';

/** Runs `scenario` through the CLI with `--outputs`; returns each file written, by name. */
async function cliFiles(scenario: Scenario, backend: 'cpu' | 'webgpu'): Promise<Map<string, Buffer>> {
  const dir = mkdtempSync(join(tmpdir(), 'chunkscope-kept-'));
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  const out = join(dir, 'out');
  const err: string[] = [];
  await main(['run', file, '--backend', backend, '--outputs', out], { out: () => {}, err: (t) => err.push(t) });
  const names = readdirSync(out);
  if (!names.includes('manifest.json')) throw new Error(`no manifest: ${err.join('\n')}`);
  return new Map(names.map((name) => [name, readFileSync(join(out, name))]));
}

/** Runs `scenario` in process into a KeptOutputs; returns the run's status and each file kept, by name. */
async function keptFiles(scenario: Scenario, options: Omit<RunOptions, 'outputs'>) {
  const sink = new KeptOutputs(scenario);
  const outcome = await runScenario(scenario, { ...options, outputs: sink });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return { report: outcome.report, kept: sink.kept!, files: new Map(sink.kept!.files.map((f) => [f.name, Buffer.from(f.bytes)])) };
}

function expectSameFiles(kept: Map<string, Buffer>, written: Map<string, Buffer>): void {
  expect([...kept.keys()].sort()).toEqual([...written.keys()].sort());
  for (const [name, bytes] of written) {
    expect(kept.get(name)!.byteLength, `${name}: length`).toBe(bytes.byteLength);
    expect(kept.get(name)!.equals(bytes), `${name}: bytes`).toBe(true);
  }
}

describe.each([
  { name: 'lorenz-rk4: state [saves, 3, runs] (chunk axis inner), status u32', scenario: kLorenzSmall },
  { name: 'fixed input, output and inout arrays (i32, u32)', scenario: byName('fixed input, output and inout arrays') },
  { name: 'f16 arrays (<f2)', scenario: byName('f16 arrays sharing words between runs (odd inner)') },
  { name: 'chunk axis middle', scenario: byName('chunk axis middle, i32 in, f32 out') },
  { name: 'the example soak/emergency-stop.json (axpy, inout y)', scenario: example('soak/emergency-stop.json') },
])('$name, on the CPU backend', ({ scenario }) => {
  test('the kept files are the --outputs files, byte for byte', async () => {
    const { report, kept, files } = await keptFiles(scenario, { backend: 'cpu' });
    expect(report.status).toBe('ok');
    expect(kept).toMatchObject({ status: 'ok', runs: scenario.runs, runsDone: scenario.runs, verified: 'passed' });
    expect(kept.files.at(-1)!.name).toBe('manifest.json');
    expectSameFiles(files, await cliFiles(scenario, 'cpu'));
  });
});

// Each chunk allocates its own buffers; the 13th allocation (in chunk 2) fails and the ladder is empty,
// so the run ends with 2 of 4 chunks done: state's chunk axis is inner, so the cut moves blocks down.
const kGivesUp = parsed({
  ...JSON.parse(readFileSync(new URL('../../examples/lorenz-device-lost.json', import.meta.url), 'utf8')),
  name: 'Lorenz batch out of memory in chunk 2, no ladder',
  planner: { reuseBuffers: false },
  faults: [{ kind: 'out-of-memory', onAllocation: 13 }],
  recovery: { ladder: [], maxAttempts: 1 },
});

gpuTest('a ladder that gives up on WebGPU: the kept finished prefix is the --outputs files, byte for byte', async ({ gpu }) => {
  const { report, kept, files } = await keptFiles(kGivesUp, { backend: 'webgpu', device: gpu.device, requestDevice: gpu.requestDevice });
  expect(report.status).toBe('ladder-exhausted');
  expect(kept.runsDone).toBe(report.runsDone);
  expect(kept.runsDone).toBeGreaterThan(0);
  expect(kept.runsDone).toBeLessThan(kGivesUp.runs);
  expect(kept.verified).toBe('passed');
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
  expect(manifest).toMatchObject({ status: 'ladder-exhausted', runsFinished: kept.runsDone, arrays: [{ name: 'state', shape: [20, 3, kept.runsDone] }, { name: 'status', shape: [kept.runsDone] }] });
  expectSameFiles(files, await cliFiles(kGivesUp, 'webgpu'));
});

test('a run cancelled before any chunk finished keeps empty arrays and a manifest that says nothing was verified, as the CLI would', async () => {
  const controller = new AbortController();
  controller.abort();
  const { kept, files } = await keptFiles(kLorenzSmall, { backend: 'cpu', signal: controller.signal });
  expect(kept).toMatchObject({ status: 'cancelled', runsDone: 0, verified: 'not verified' });
  expect(JSON.parse(files.get('manifest.json')!.toString('utf8')).verified).toBe('nothing finished, so nothing was verified');
});
