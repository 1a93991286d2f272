/**
 * Diagnostic (not a benchmark): is lorenz-rk4's chunking overhead on SwiftShader in the
 * engine's chunk loop or in the device's dispatches? The chunking bench's 4 096 runs ×
 * 1000 steps are dispatched straight from the kernel cache's pipelines, with no planner,
 * allocator, staging or readback: one dispatch of 4 096 runs against eight of 512, the
 * eight waited on one by one (as one buffer set waits), all in one submission, and
 * submitted one by one with a wait only on the last. Wall and CPU time per round, rounds
 * in an order rotated by one, medians of each mode's ratio to the single dispatch.
 *
 * `node bin/webgpu-env.js bench/diag/lorenz-dispatch.ts` (DIAG_ROUNDS, default 9; DIAG_CHUNKS, default 8).
 */
import { registerRawImports } from '../../src/cli/raw-imports.ts';

registerRawImports();
const { kLorenzRuns, lorenzScenario } = await import('../chunking.bench.ts');
const { acquireNodeDevice } = await import('../../src/engine/node-device.ts');
const { kernelArrays } = await import('../../src/engine/executor.ts');
const { compileKernel } = await import('../../src/engine/kernel-cache.ts');
const { kBufferUsage } = await import('../../src/engine/gpu-flags.ts');
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
const lorenz = lookup.kernel;
const acquired = await acquireNodeDevice();
if (!acquired.ok) throw new Error(acquired.message);
const { device, description } = acquired.value;
const arrays = kernelArrays(scenario);
const kernel = await compileKernel(device, { kernel: lookup.kernel, arrays, constants: lookup.kernel.constants(scenario) });
const inputs = generateInputs(scenario, lookup.kernel);

/** One chunk's buffers and bind group: `runs` runs starting at `first`, inputs written. */
function chunkBuffers(first: number, runs: number) {
  const buffers = scenario.arrays.map((spec) => {
    const perRun = spec.shape.includes('runs');
    const rows = spec.shape.filter((d) => d !== 'runs').reduce<number>((p, d) => p * (d as number), 1);
    const size = (perRun ? rows * runs : rows) * 4;
    const buffer = device.createBuffer({ size, usage: kBufferUsage.STORAGE | kBufferUsage.COPY_DST | kBufferUsage.COPY_SRC });
    const source = inputs[spec.name];
    if (source) {
      const slice = new Float32Array(size / 4);
      if (perRun) for (let k = 0; k < rows; k++) slice.set((source as Float32Array).subarray(k * kRuns + first, k * kRuns + first + runs), k * runs);
      else slice.set(source as Float32Array);
      device.queue.writeBuffer(buffer, 0, slice);
    }
    return buffer;
  });
  const bindGroup = device.createBindGroup({ layout: kernel.layout, entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  return { buffers, bindGroup, runs };
}

const whole = chunkBuffers(0, kRuns);
if (kRuns % kChunks) throw new Error(`DIAG_CHUNKS must divide ${kRuns}`);
const per = kRuns / kChunks;
const parts = Array.from({ length: kChunks }, (_, c) => chunkBuffers(c * per, per));
const wholePipeline = await kernel.pipelineFor(kRuns);
const partPipeline = await kernel.pipelineFor(per);
await device.queue.onSubmittedWorkDone();

function encode(encoder: GPUCommandEncoder, pipeline: GPUComputePipeline, chunk: { bindGroup: GPUBindGroup; runs: number }) {
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, chunk.bindGroup);
  pass.dispatchWorkgroups(Math.ceil(chunk.runs / lorenz.runsPerWorkgroup));
  pass.end();
}

const modes: Record<string, () => Promise<void>> = {
  [`1 dispatch of ${kRuns}`]: async () => {
    const e = device.createCommandEncoder();
    encode(e, wholePipeline, whole);
    device.queue.submit([e.finish()]);
    await device.queue.onSubmittedWorkDone();
  },
  [`${kChunks} of ${per}, each waited on`]: async () => {
    for (const part of parts) {
      const e = device.createCommandEncoder();
      encode(e, partPipeline, part);
      device.queue.submit([e.finish()]);
      await device.queue.onSubmittedWorkDone();
    }
  },
  [`${kChunks} of ${per}, one submission`]: async () => {
    const e = device.createCommandEncoder();
    for (const part of parts) encode(e, partPipeline, part);
    device.queue.submit([e.finish()]);
    await device.queue.onSubmittedWorkDone();
  },
  [`${kChunks} of ${per}, submitted apart`]: async () => {
    for (const part of parts) {
      const e = device.createCommandEncoder();
      encode(e, partPipeline, part);
      device.queue.submit([e.finish()]);
    }
    await device.queue.onSubmittedWorkDone();
  },
  [`${kChunks} of ${per}, one pass`]: async () => {
    const e = device.createCommandEncoder();
    const pass = e.beginComputePass();
    pass.setPipeline(partPipeline);
    for (const part of parts) {
      pass.setBindGroup(0, part.bindGroup);
      pass.dispatchWorkgroups(Math.ceil(part.runs / lorenz.runsPerWorkgroup));
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
for (const b of [whole, ...parts].flatMap((c) => c.buffers)) b.destroy();
device.destroy();
