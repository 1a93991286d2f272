/**
 * Diagnostic (not a benchmark): where lorenz-rk4 as 8 chunks with one buffer set spends
 * what two sets do not. The chunking bench's 4 096 runs × 1000 steps run as 1 chunk, as
 * 8 chunks with one set and as 8 with two, beside the device's floor (the same 8
 * dispatches straight from the kernel cache), in rounds whose order rotates by one. Per
 * mode: the median ratio to the round's one chunk of wall time and of process CPU time,
 * and the binding's polls per run (spun, slept) from the pacer.
 *
 * `node bin/webgpu-env.js bench/diag/lorenz-sets.ts` (DIAG_ROUNDS, default 41; DIAG_SPIN_MS and
 * DIAG_SLEEP_MS set the pacer's spin window and sleep, defaults those of src/engine/dawn-polling.ts).
 */
import { registerRawImports } from '../../src/cli/raw-imports.ts';

registerRawImports();
const { lorenzScenario, budgetFor } = await import('../chunking.bench.ts');
const { dispatchProbe, submitApart } = await import('../dispatch-probe.ts');
const { acquireNodeDevice } = await import('../../src/engine/node-device.ts');
const { runScenario, planOptionsFor } = await import('../../src/engine/run-scenario.ts');
const { kernelFor } = await import('../../src/kernels/registry.ts');
const { generateInputs } = await import('../../src/kernels/inputs.ts');
const { summarize } = await import('../measure.ts');
const { MemoryOutputs } = await import('../../src/engine/output-sink.ts');
const { HostMemory } = await import('../../src/engine/host-memory.ts');
const { paceDawnPolling, dawnPollingCounts, stopPacingDawnPolling, kSpinMs, kSleepMs } = await import('../../src/engine/dawn-polling.ts');

const kRounds = Number(process.env.DIAG_ROUNDS) || 41;
const spinMs = Number(process.env.DIAG_SPIN_MS ?? kSpinMs);
const sleepMs = Number(process.env.DIAG_SLEEP_MS ?? kSleepMs);

const acquired = await acquireNodeDevice();
if (!acquired.ok) throw new Error(acquired.message);
const { device, description } = acquired.value;
// The device's own pacer replaced by one with this run's settings.
stopPacingDawnPolling();
paceDawnPolling({ spinMs, sleepMs });
const counts = dawnPollingCounts();
if (!counts) throw new Error('the pacer is off (CHUNKSCOPE_DAWN_POLLING=spin?)');

const probe = lorenzScenario(2 ** 40, 1);
const lookup = kernelFor(probe);
if (!lookup.ok) throw new Error('no kernel');
const options = planOptionsFor(lookup.kernel, { device });
const inputs = generateInputs(probe, lookup.kernel);
const outputs = new MemoryOutputs(probe, new HostMemory());
const floor = await dispatchProbe(device, probe, inputs, 8);

const engine = (sets: number, chunks: number) => {
  const { scenario } = budgetFor(lorenzScenario, sets, chunks, options);
  return async () => {
    const outcome = await runScenario(scenario, { backend: 'webgpu', device, inputs, outputs, verify: false });
    if (!outcome.ok || outcome.report.chunksCompleted !== chunks) throw new Error(`${chunks} chunks with ${sets} sets did not finish as planned`);
  };
};
const modes: [string, () => Promise<unknown>][] = [
  ['1 chunk, 1 set', engine(1, 1)],
  ['8 chunks, 1 set', engine(1, 8)],
  ['8 chunks, 2 sets', engine(2, 8)],
  ['floor: 1 dispatch', () => submitApart(device, [floor.whole])],
  ['floor: 8 dispatches', () => submitApart(device, floor.parts)],
];
const samples = modes.map(() => ({ ms: [] as number[], cpu: [] as number[], spun: [] as number[], slept: [] as number[] }));
for (const [, run] of modes) await run();
for (let round = 0; round < kRounds; round++) {
  for (let k = 0; k < modes.length; k++) {
    const i = (k + round) % modes.length;
    const c0 = process.cpuUsage();
    const { spun, slept } = counts;
    const t0 = performance.now();
    await modes[i][1]();
    samples[i].ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    samples[i].cpu.push((c.user + c.system) / 1000);
    samples[i].spun.push(counts.spun - spun);
    samples[i].slept.push(counts.slept - slept);
  }
}
console.log(`lorenz-rk4, ${probe.runs} runs, ${kRounds} rounds, pacer spin ${spinMs} ms then sleep ${sleepMs} ms, on ${description}`);
const ratio = (of: number[], to: number[]) => summarize(of.map((v, r) => v / to[r])).medianMs.toFixed(3);
modes.forEach(([name], i) => {
  const base = name.startsWith('floor') ? samples[3] : samples[0];
  const s = samples[i];
  console.log(`${name.padEnd(20)} ${summarize(s.ms).medianMs.toFixed(1)} ms (×${ratio(s.ms, base.ms)}), CPU ${summarize(s.cpu).medianMs.toFixed(1)} ms (×${ratio(s.cpu, base.cpu)}), polls spun ${summarize(s.spun).medianMs} slept ${summarize(s.slept).medianMs}`);
});
floor.destroy();
device.destroy();
