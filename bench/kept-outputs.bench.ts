/**
 * What "Download finished runs" costs the app's worker (issue 18): a run keeping its
 * outputs as in-memory .npy files (KeptOutputs) against the same run letting them go,
 * and the zip of a run at the cap (128 MiB of outputs), with the ArrayBuffer bytes the
 * process holds while keeping and while zipping. On the CPU backend in Node: the sink
 * and the zip are the same code the browser worker runs.
 */
import { unzipSync } from 'fflate';
import { parseScenario, type Scenario } from '../src/core/scenario.ts';
import { formatBytes } from '../src/core/units.ts';
import { KeptOutputs } from '../src/engine/kept-outputs.ts';
import type { RunOptions } from '../src/engine/run-scenario.ts';
import { registerRawImports } from '../src/cli/raw-imports.ts';
import { kKeptOutputsBytes, OutputsStore } from '../src/worker/outputs-store.ts';
import { measure, summarize } from './measure.ts';
import type { BenchSection } from './section.ts';

/** axpy over `runs` f32 runs: y (inout) is the one output, 4 B a run. */
function axpy(runs: number): Scenario {
  const parsed = parseScenario({
    version: 1,
    name: `axpy over ${runs} runs`,
    runs,
    arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] }],
    device: { budgetBytes: 64 * 2 ** 20 },
    kernel: { name: 'axpy', a: 2 },
    seed: 1,
  });
  if (!parsed.ok) throw new Error(parsed.issues[0].message);
  return parsed.scenario;
}

async function run(scenario: Scenario, outputs: RunOptions['outputs']): Promise<void> {
  // The kernels import their WGSL raw: registered before the engine loads.
  registerRawImports();
  const { runScenario } = await import('../src/engine/run-scenario.ts');
  const outcome = await runScenario(scenario, { backend: 'cpu', outputs });
  if (!outcome.ok || outcome.report.status !== 'ok') throw new Error('the benchmark run did not finish');
}

export async function keptOutputsSection(): Promise<BenchSection> {
  // Interleaved, so a busy machine slows both alike.
  const small = axpy(8 * 2 ** 20);
  await run(small, 'discard');
  const discardMs: number[] = [];
  const keptMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    for (const [samples, outputs] of [[discardMs, 'discard'], [keptMs, new KeptOutputs(small)]] as const) {
      const t0 = performance.now();
      await run(small, outputs);
      samples.push(performance.now() - t0);
    }
  }
  const discard = summarize(discardMs);
  const kept = summarize(keptMs);

  const atCap = axpy(kKeptOutputsBytes / 4);
  const sink = new KeptOutputs(atCap);
  await run(atCap, sink);
  const store = new OutputsStore();
  const offer = store.put('run', sink.kept!);
  if (!offer.kept) throw new Error('not kept');
  const npyBytes = sink.kept!.files[0].bytes.byteLength;
  // What one zip adds to what the worker holds: the zip itself, while it crosses to the page.
  const before = process.memoryUsage().arrayBuffers;
  const first = store.zip(offer.id)!;
  const added = process.memoryUsage().arrayBuffers - before;
  const same = Buffer.from(unzipSync(first)['y.npy']).equals(Buffer.from(sink.kept!.files[0].bytes));
  const zipping = await measure(() => store.zip(offer.id));
  return {
    title: 'Download finished runs (the app\'s kept outputs)',
    note: 'CPU backend in Node, axpy f32 (y is the one output, 4 B a run), 64 MiB budget; KeptOutputs is the sink the app\'s worker gives each run, OutputsStore.zip what its download calls. The two runs are timed in turn, five each.',
    rows: [
      { name: 'run of 8,388,608 runs, outputs let go (discard)', timing: discard },
      { name: 'the same run keeping y.npy (32 MiB) in memory', timing: kept, figure: `median ${(((kept.medianMs - discard.medianMs) / discard.medianMs) * 100).toFixed(1)} %, min ${(((kept.minMs - discard.minMs) / discard.minMs) * 100).toFixed(1)} % over discard` },
      {
        name: `zip of a run at the cap: y.npy ${formatBytes(npyBytes)} + manifest.json`,
        timing: zipping,
        figure: `zip ${formatBytes(first.byteLength)}, adding ${formatBytes(added)} of ArrayBuffers to the ${formatBytes(npyBytes)} kept; unzips to the same bytes: ${same}`,
        goal: 'adds ≤ the cap + 1 MiB',
        met: added <= kKeptOutputsBytes + 2 ** 20 && same,
      },
    ],
  };
}
