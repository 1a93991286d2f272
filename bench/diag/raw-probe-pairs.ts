/**
 * Diagnostic (not a benchmark): the chunking bench's axpy as 8 chunks with two buffer
 * sets against the raw unchunked probe, back to back in alternating order, with the
 * `webgpu` package's polling spinning and paced in turn, in a process that has run
 * nothing else. The chunked run copies its outputs into host arrays made once, as the
 * probe does and as the bench does: with a fresh output per run, the bench's one-chunk
 * runs left V8 collecting them with a mark-compact per run (BENCHMARKS.md).
 *
 * `node bin/webgpu-env.js bench/diag/raw-probe-pairs.ts` (DIAG_PAIRS, default 21; DIAG_MODES, default
 * spin,paced,spin,paced; DIAG_BEFORE=N first runs axpy as one chunk and as 8 chunks, with 2 sets,
 * N times each in turn, as the bench does before its pairs).
 */
import { registerRawImports } from '../../src/cli/raw-imports.ts';

registerRawImports();
const { axpyScenario, budgetFor } = await import('../chunking.bench.ts');
const { rawProbe } = await import('../round-trip-probes.ts');
const { acquireNodeDevice } = await import('../../src/engine/node-device.ts');
const { runScenario, planOptionsFor } = await import('../../src/engine/run-scenario.ts');
const { kernelFor } = await import('../../src/kernels/registry.ts');
const { generateInputs } = await import('../../src/kernels/inputs.ts');
const { summarize } = await import('../measure.ts');
const { MemoryOutputs } = await import('../../src/engine/output-sink.ts');
const { HostMemory } = await import('../../src/engine/host-memory.ts');
const { paceDawnPolling, stopPacingDawnPolling } = await import('../../src/engine/dawn-polling.ts');

const kPairs = Number(process.env.DIAG_PAIRS) || 21;
const kModes = (process.env.DIAG_MODES ?? 'spin,paced,spin,paced').split(',');

const acquired = await acquireNodeDevice();
if (!acquired.ok) throw new Error(acquired.message);
const { device, description } = acquired.value;
const probe = axpyScenario(2 ** 40, 1);
const lookup = kernelFor(probe);
if (!lookup.ok) throw new Error('no kernel');
const inputs = generateInputs(probe, lookup.kernel);
const { scenario } = budgetFor(axpyScenario, 2, 8, planOptionsFor(lookup.kernel, { device }));
const x = inputs.x as Float32Array<ArrayBuffer>;
const y = inputs.y as Float32Array<ArrayBuffer>;
const out = new Float32Array(x.length);
const outputs = new MemoryOutputs(probe, new HostMemory());
const chunked = async () => {
  const t0 = performance.now();
  const outcome = await runScenario(scenario, { backend: 'webgpu', device, inputs, outputs, verify: false });
  if (!outcome.ok || outcome.report.chunksCompleted !== 8) throw new Error('the chunked run did not finish as planned');
  return performance.now() - t0;
};
const raw = () => rawProbe(device, x, y, out);
await chunked();
await raw();
const before = Number(process.env.DIAG_BEFORE) || 0;
if (before) {
  const { scenario: one } = budgetFor(axpyScenario, 2, 1, planOptionsFor(lookup.kernel, { device }));
  for (let i = 0; i < before; i++) {
    await runScenario(one, { backend: 'webgpu', device, inputs, outputs, verify: false });
    await chunked();
  }
}
console.log(`axpy ${x.length} runs, 8 chunks with 2 sets against the raw probe, ${kPairs} pairs per block${before ? ` after ${before} runs of one chunk and of 8` : ''}, on ${description}`);
for (const mode of kModes) {
  if (mode === 'paced') paceDawnPolling();
  else stopPacingDawnPolling();
  const chunkedMs: number[] = [];
  const rawMs: number[] = [];
  for (let pair = 0; pair < kPairs; pair++) {
    if (pair % 2) rawMs.push(await raw());
    chunkedMs.push(await chunked());
    if (!(pair % 2)) rawMs.push(await raw());
  }
  const share = summarize(rawMs.map((ms, i) => ms / chunkedMs[i]));
  console.log(`${mode.padEnd(6)} chunked ${summarize(chunkedMs).medianMs.toFixed(1)} ms, raw ${summarize(rawMs).medianMs.toFixed(1)} ms, raw ÷ chunked ${share.medianMs.toFixed(2)} (${share.minMs.toFixed(2)}–${share.maxMs.toFixed(2)})`);
}
device.destroy();
