/**
 * Diagnostic (not a benchmark): is lorenz-rk4's chunking overhead on SwiftShader in the
 * engine's chunk loop or in the device's dispatches? The chunking bench's 4 096 runs ×
 * 1000 steps are dispatched straight from the kernel cache's pipelines, with no planner,
 * allocator, staging or readback (bench/dispatch-probe.ts): one dispatch of 4 096 runs against eight of 512, the
 * eight waited on one by one (as one buffer set waits), all in one submission, and
 * submitted one by one with a wait only on the last. Wall and CPU time per round, rounds
 * in an order rotated by one, medians of each mode's ratio to the single dispatch.
 *
 * `node bin/webgpu-env.js bench/diag/lorenz-dispatch.ts` (DIAG_ROUNDS, default 9; DIAG_CHUNKS, default 8).
 */
import { registerRawImports } from '../../src/cli/raw-imports.ts';

registerRawImports();
const { kLorenzRuns, lorenzScenario } = await import('../chunking.bench.ts');
const { dispatchProbe, encodeDispatch, submitApart } = await import('../dispatch-probe.ts');
const { acquireNodeDevice } = await import('../../src/engine/node-device.ts');
const { kernelFor } = await import('../../src/kernels/registry.ts');
const { generateInputs } = await import('../../src/kernels/inputs.ts');
const { summarize } = await import('../measure.ts');

const kRuns = kLorenzRuns;
const kChunks = Number(process.env.DIAG_CHUNKS ?? 8);
const kRounds = Number(process.env.DIAG_ROUNDS ?? 9);

// The chunking bench's scenario, planned as one chunk (the probe dispatches it as it likes).
const scenario = lorenzScenario(2 ** 40, 1);
const lookup = kernelFor(scenario);
if (!lookup.ok) throw new Error('no kernel');
const acquired = await acquireNodeDevice();
if (!acquired.ok) throw new Error(acquired.message);
const { device, description } = acquired.value;
const { whole, parts, destroy } = await dispatchProbe(device, scenario, generateInputs(scenario, lookup.kernel), kChunks);
const per = kRuns / kChunks;

const modes: Record<string, () => Promise<void>> = {
  [`1 dispatch of ${kRuns}`]: async () => {
    const e = device.createCommandEncoder();
    encodeDispatch(e, whole);
    device.queue.submit([e.finish()]);
    await device.queue.onSubmittedWorkDone();
  },
  [`${kChunks} of ${per}, each waited on`]: async () => {
    for (const part of parts) {
      const e = device.createCommandEncoder();
      encodeDispatch(e, part);
      device.queue.submit([e.finish()]);
      await device.queue.onSubmittedWorkDone();
    }
  },
  [`${kChunks} of ${per}, one submission`]: async () => {
    const e = device.createCommandEncoder();
    for (const part of parts) encodeDispatch(e, part);
    device.queue.submit([e.finish()]);
    await device.queue.onSubmittedWorkDone();
  },
  [`${kChunks} of ${per}, submitted apart`]: async () => void (await submitApart(device, parts)),
  [`${kChunks} of ${per}, one pass`]: async () => {
    const e = device.createCommandEncoder();
    const pass = e.beginComputePass();
    pass.setPipeline(parts[0].pipeline);
    for (const part of parts) {
      pass.setBindGroup(0, part.bindGroup);
      pass.dispatchWorkgroups(part.workgroups);
    }
    pass.end();
    device.queue.submit([e.finish()]);
    await device.queue.onSubmittedWorkDone();
  },
};
const names = Object.keys(modes);
for (const name of names) await modes[name]();
const wall = names.map(() => [] as number[]);
const cpu = names.map(() => [] as number[]);
for (let round = 0; round < kRounds; round++) {
  for (let k = 0; k < names.length; k++) {
    const i = (k + round) % names.length;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await modes[names[i]]();
    wall[i].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[i].push((c.user + c.system) / 1000);
  }
}
console.log(`lorenz-rk4 ${kRuns} runs (the chunking bench's) on ${description}, ${kRounds} rounds`);
for (const [i, name] of names.entries()) {
  const ratio = summarize(wall[i].map((ms, r) => ms / wall[0][r]));
  const cpuRatio = summarize(cpu[i].map((ms, r) => ms / cpu[0][r]));
  console.log(`${name.padEnd(30)} ${summarize(wall[i]).medianMs.toFixed(1).padStart(7)} ms  ${ratio.medianMs.toFixed(2)}× wall (${ratio.minMs.toFixed(2)}–${ratio.maxMs.toFixed(2)})  CPU ${summarize(cpu[i]).medianMs.toFixed(0)} ms ${cpuRatio.medianMs.toFixed(2)}×`);
}
destroy();
device.destroy();
