/**
 * Engine benchmarks on the default example (20 000 Lorenz runs, 3 chunks on an 8 MiB
 * budget): WebGPU (SwiftShader here) chunked and as one chunk, the CPU backend, and a
 * run that recovers from an injected out-of-memory. SwiftShader is a correctness
 * backend, so the figures that matter are ratios within one run of this file.
 */
import { readFileSync } from 'node:fs';
import { registerRawImports } from '../src/cli/raw-imports.ts';
import { parseScenario, type Scenario } from '../src/core/scenario.ts';
import { measure, type Timing } from './measure.ts';
import type { BenchRow, BenchSection } from './section.ts';

function loadExample(name: string): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(new URL(`../examples/${name}`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(`example ${name} is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.scenario;
}

/** Times whole runs (without verification) of the default example on each backend. */
export async function engineSection(): Promise<BenchSection> {
  // The kernels import their WGSL with ?raw: register the loader before importing them.
  registerRawImports();
  const { runScenario } = await import('../src/engine/run-scenario.ts');
  const { acquireNodeDevice } = await import('../src/engine/node-device.ts');
  const acquired = await acquireNodeDevice();
  const scenario = loadExample('lorenz-batch.json');
  const oneChunk: Scenario = { ...scenario, device: { ...scenario.device, budgetBytes: 64 * 2 ** 20 } };
  const withOom: Scenario = { ...scenario, faults: [{ kind: 'out-of-memory', onAllocation: 1 }] };
  const rows: BenchRow[] = [];
  const time = async (name: string, s: Scenario, backend: 'webgpu' | 'cpu'): Promise<Timing | undefined> => {
    if (backend === 'webgpu' && !acquired.ok) {
      rows.push({ name, figure: `skipped: ${acquired.message}` });
      return undefined;
    }
    let exact = true;
    const timing = await measure(async () => {
      const outcome = await runScenario(s, { backend, device: acquired.ok ? acquired.value.device : undefined, verify: false });
      if (!outcome.ok || outcome.report.status !== 'ok') throw new Error(`${name} did not finish`);
      const attempt = outcome.report.attempts.at(-1)!;
      exact &&= attempt.measuredPeakBytes === attempt.predictedPeakBytes &&
        attempt.measuredStagingPeakBytes === attempt.predictedStagingPeakBytes &&
        outcome.report.liveBuffersAfter === 0;
    }, { warmups: 1, repetitions: 5 });
    rows.push({ name, timing, goal: 'measured device and staging peaks = predicted, nothing live', met: exact });
    return timing;
  };
  const chunked = await time('WebGPU, 3 chunks (bound by the 8 MiB budget)', scenario, 'webgpu');
  const whole = await time('WebGPU, 1 chunk (64 MiB budget)', oneChunk, 'webgpu');
  const recovered = await time('WebGPU, out of memory on the first allocation, shrink', withOom, 'webgpu');
  const cpu = await time('CPU backend (the f32 twin), 3 chunks', scenario, 'cpu');
  if (chunked && whole) rows.push({ name: 'chunking cost', figure: `3 chunks take ${(chunked.medianMs / whole.medianMs).toFixed(2)}× one chunk` });
  if (chunked && recovered) rows.push({ name: 'recovery cost', figure: `the shrink run takes ${(recovered.medianMs / chunked.medianMs).toFixed(2)}× the fault-free one` });
  if (chunked && cpu) rows.push({ name: 'CPU twin vs WebGPU', figure: `CPU takes ${(cpu.medianMs / chunked.medianMs).toFixed(2)}× WebGPU` });
  if (acquired.ok) acquired.value.device.destroy();
  return {
    title: 'Engine',
    note: `runScenario on examples/lorenz-batch.json without verification; device: ${acquired.ok ? acquired.value.description : 'none'}.`,
    rows,
  };
}
