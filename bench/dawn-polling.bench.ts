/**
 * The webgpu package's polling, spinning against paced (src/engine/dawn-polling.ts), in
 * one process on one device: the chunking bench's lorenz-rk4 as 1 and 8 chunks, whose
 * waits are long, and axpy as 1000 chunks of 64 runs, whose round trips are shorter
 * than the spin. Per round each configuration runs once each way, in an order rotated by
 * one; beside the wall time, the CPU time of the main thread, where the binding polls.
 */
import { readFileSync } from 'node:fs';
import type { Scenario } from '../src/core/scenario.ts';
import { summarize } from './measure.ts';
import type { BenchRow, BenchSection } from './section.ts';

const kRounds = Number(process.env.CHUNKSCOPE_BENCH_REPS ?? 9);

/** CPU time of the calling thread in ms (Linux; 10 ms ticks), or NaN elsewhere. */
function threadCpuMs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export async function pollingSection(): Promise<BenchSection> {
  const { registerRawImports } = await import('../src/cli/raw-imports.ts');
  registerRawImports();
  const { axpyScenario, lorenzScenario, budgetFor } = await import('./chunking.bench.ts');
  const { runScenario, planOptionsFor } = await import('../src/engine/run-scenario.ts');
  const { kernelFor } = await import('../src/kernels/registry.ts');
  const { generateInputs } = await import('../src/kernels/inputs.ts');
  const { acquireNodeDevice } = await import('../src/engine/node-device.ts');
  const { dawnPollingCounts, kSleepMs, kSpinMs, paceDawnPolling, stopPacingDawnPolling } = await import('../src/engine/dawn-polling.ts');
  const title = 'Polling in Node: spinning against paced';
  const acquired = await acquireNodeDevice();
  if (!acquired.ok) return { title, note: `skipped: ${acquired.message}`, rows: [] };
  if (acquired.value.via !== 'swiftshader' || !dawnPollingCounts()) {
    return { title, note: `skipped: polling is paced on SwiftShader only, unless CHUNKSCOPE_DAWN_POLLING=spin (device: ${acquired.value.description})`, rows: [] };
  }
  const { device, description } = acquired.value;
  const setup = (label: string, make: (budget: number, sets: number) => Scenario, chunks: number) => {
    const probe = make(2 ** 40, 1);
    const lookup = kernelFor(probe);
    if (!lookup.ok) throw new Error('kernel lookup failed');
    const { scenario } = budgetFor(make, 1, chunks, planOptionsFor(lookup.kernel, { device }));
    return { label, chunks, scenario, inputs: generateInputs(probe, lookup.kernel) };
  };
  const configs = [
    setup('lorenz-rk4, 4096 runs × 1000 steps, 1 chunk', lorenzScenario, 1),
    setup('lorenz-rk4, 4096 runs × 1000 steps, 8 chunks', lorenzScenario, 8),
    setup('axpy, 64 000 runs, 1000 chunks of 64', (budget, sets) => axpyScenario(budget, sets, 64_000), 1000),
  ];
  const modes = ['spinning', 'paced'] as const;
  const runs = configs.flatMap((c) => modes.map((mode) => ({ ...c, mode, wall: [] as number[], cpu: [] as number[] })));
  const once = async (r: (typeof runs)[number]) => {
    if (r.mode === 'paced') paceDawnPolling();
    else stopPacingDawnPolling();
    const cpu0 = threadCpuMs();
    const t0 = performance.now();
    const outcome = await runScenario(r.scenario, { backend: 'webgpu', device, inputs: r.inputs, verify: false });
    const wall = performance.now() - t0;
    const cpu = threadCpuMs() - cpu0;
    if (!outcome.ok || outcome.report.status !== 'ok' || outcome.report.chunksCompleted !== r.chunks) throw new Error(`${r.label} (${r.mode}) did not finish as planned`);
    return { wall, cpu };
  };
  try {
    for (const r of runs) await once(r);
    for (let round = 0; round < kRounds; round++) {
      for (let k = 0; k < runs.length; k++) {
        const r = runs[(k + round) % runs.length];
        const { wall, cpu } = await once(r);
        r.wall.push(wall);
        r.cpu.push(cpu);
      }
    }
  } finally {
    paceDawnPolling();
  }
  const rows: BenchRow[] = [];
  for (const c of configs) {
    const [spinning, paced] = modes.map((mode) => runs.find((r) => r.label === c.label && r.mode === mode)!);
    for (const r of [spinning, paced]) {
      const share = summarize(r.cpu.map((ms, i) => ms / r.wall[i]));
      rows.push({ name: `${r.label}, ${r.mode}`, timing: summarize(r.wall), figure: `main thread busy ${(share.medianMs * 100).toFixed(0)}% of the run` });
    }
    const ratio = summarize(paced.wall.map((ms, i) => ms / spinning.wall[i]));
    rows.push({ name: `${c.label}: paced ÷ spinning`, figure: `${ratio.medianMs.toFixed(2)}× (${ratio.minMs.toFixed(2)}–${ratio.maxMs.toFixed(2)})` });
    console.error(`  ${c.label}: paced ${ratio.medianMs.toFixed(2)}× spinning`);
  }
  device.destroy();
  return {
    title,
    note: `runScenario (no verification, inputs generated once, one buffer set) with the binding's polling left spinning and paced (a wait spins for its first ${kSpinMs} ms, then sleeps ${kSleepMs} ms before each poll; one that begins within ${kSpinMs} ms of a wait that came to sleep sleeps from its start), ${kRounds} rounds that run every configuration each way in an order rotated by one; ratios per round, medians. Main thread busy: its CPU time (/proc/thread-self/stat, 10 ms ticks) over the wall time. Device: ${description}.`,
    rows,
  };
}
