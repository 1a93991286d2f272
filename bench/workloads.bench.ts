/**
 * Workload benchmarks: what the device ledger costs per allocation (a reserve and a
 * release under its lock), alone and with two other threads allocating on the same
 * ledger, next to one real WebGPU allocation; and the wall time of the same jobs on two
 * lanes against one (each lane a worker thread with its own device).
 */
import { registerRawImports } from '../src/cli/raw-imports.ts';
import { DeviceLedger } from '../src/engine/device-ledger.ts';
import { kBufferUsage } from '../src/engine/gpu-flags.ts';
import { startTypeScriptWorker } from '../src/engine/ts-worker.ts';
import { measure, summarize } from './measure.ts';
import type { BenchRow, BenchSection } from './section.ts';

const kPairs = 200_000;

/** Microseconds per reserve + release over `kPairs` pairs. */
function ledgerPairs(ledger: DeviceLedger): number {
  const t0 = performance.now();
  for (let i = 0; i < kPairs; i++) {
    if (ledger.reserve(0, 2, 'bench', 256) === null) ledger.release(0, 256);
  }
  return ((performance.now() - t0) * 1000) / kPairs;
}

async function withContenders<T>(ledger: DeviceLedger, body: () => T): Promise<T> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const workers = [1, 2].map((holder) => startTypeScriptWorker(new URL('./ledger-contender.worker.ts', import.meta.url), { shared: ledger.shared, holder, stop }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  try {
    return body();
  } finally {
    Atomics.store(stop, 0, 1);
    await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Jobs of 8 000 Lorenz runs each (1 000 steps), the same on one lane and on two. */
function lorenzWorkload(lanes: number, jobs: number) {
  return {
    version: 1,
    kind: 'workload',
    device: { budgetBytes: 64 * 2 ** 20 },
    lanes,
    placement: 'in-order',
    jobs: Array.from({ length: jobs }, (_, i) => ({
      name: `job_${i}`,
      scenario: {
        version: 1,
        runs: 8000,
        arrays: [
          { name: 'initial_values', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
          { name: 'parameters', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
          { name: 'driver_coefficients', role: 'input', dtype: 'f32', shape: [64, 4] },
          { name: 'state', role: 'output', dtype: 'f32', shape: [10, 3, 'runs'] },
          { name: 'status', role: 'output', dtype: 'u32', shape: ['runs'] },
        ],
        kernel: { name: 'lorenz-rk4', steps: 1000, dt: 0.005, saveEvery: 100 },
      },
    })),
  };
}

/** The ledger's cost per allocation, and two lanes against one. */
export async function workloadsSection(): Promise<BenchSection> {
  registerRawImports();
  const rows: BenchRow[] = [];
  const ledger = DeviceLedger.create({ budgetBytes: 2 ** 40, holders: ['a', 'b', 'c', 'parent'], jobNames: ['j'], exclusive: false });
  ledger.setJob(0, 0);
  ledgerPairs(ledger);
  const alone = summarize(Array.from({ length: 5 }, () => ledgerPairs(ledger)));
  rows.push({ name: 'ledger reserve + release, one thread (µs per allocation)', figure: `${alone.medianMs.toFixed(3)} µs (${alone.minMs.toFixed(3)}–${alone.maxMs.toFixed(3)}) over ${kPairs.toLocaleString('en-US')} pairs` });
  const contended = await withContenders(ledger, () => summarize(Array.from({ length: 5 }, () => ledgerPairs(ledger))));
  rows.push({ name: 'the same with two other threads allocating on the ledger', figure: `${contended.medianMs.toFixed(3)} µs (${contended.minMs.toFixed(3)}–${contended.maxMs.toFixed(3)})` });

  const { acquireNodeDevice } = await import('../src/engine/node-device.ts');
  const acquired = await acquireNodeDevice();
  if (!acquired.ok) {
    rows.push({ name: 'WebGPU', figure: `skipped: ${acquired.message}` });
    return { title: 'Workloads', note: 'no WebGPU adapter', rows };
  }
  const device = acquired.value.device;
  const { webgpuMemory } = await import('../src/engine/allocator.ts');
  const memory = webgpuMemory(device);
  const kBuffers = 200;
  const gpu = await measure(async () => {
    for (let i = 0; i < kBuffers; i++) {
      const { buffer } = await memory.create({ label: 'bench', size: 256, usage: kBufferUsage.STORAGE, usageClass: 'storage' });
      memory.destroy(buffer);
    }
    await memory.tick();
  }, { warmups: 1, repetitions: 5 });
  const perBuffer = (gpu.medianMs * 1000) / kBuffers;
  rows.push({ name: 'one WebGPU allocation (createBuffer in two error scopes, then destroy)', figure: `${perBuffer.toFixed(1)} µs` });
  rows.push({ name: 'ledger cost per allocation', figure: `${((alone.medianMs / perBuffer) * 100).toFixed(2)} % of a WebGPU allocation alone, ${((contended.medianMs / perBuffer) * 100).toFixed(2)} % contended` });
  device.destroy();

  const { prepareWorkload } = await import('../src/engine/prepare-workload.ts');
  const { runWorkloadOnNode } = await import('../src/engine/node-lanes.ts');
  const wall = async (lanes: number) => {
    const prepared = prepareWorkload(lorenzWorkload(lanes, 4));
    if (!prepared.ok) throw new Error(prepared.error.message);
    const outcome = await runWorkloadOnNode(prepared.workload, { verify: false });
    if (!outcome.ok || outcome.run.jobs.some((j) => j.status !== 'ok')) throw new Error(`the ${lanes}-lane workload failed`);
    return outcome.run.wallMs;
  };
  // Interleaved, so a burst of load falls on both.
  const one: number[] = [];
  const two: number[] = [];
  await wall(1);
  for (let round = 0; round < 3; round++) {
    one.push(await wall(1));
    two.push(await wall(2));
  }
  const oneLane = summarize(one);
  const twoLanes = summarize(two);
  rows.push({ name: '4 Lorenz jobs (8 000 runs, 1 000 steps each), 1 lane', timing: oneLane });
  rows.push({ name: 'the same 4 jobs on 2 lanes (2 worker threads, 2 devices)', timing: twoLanes });
  rows.push({ name: '2 lanes against 1', figure: `${(twoLanes.medianMs / oneLane.medianMs).toFixed(2)}× the wall time of 1 lane (per-round ratios ${two.map((t, i) => (t / one[i]).toFixed(2)).join(', ')})` });
  return {
    title: 'Workloads',
    note: `DeviceLedger (src/engine/device-ledger.ts) and runWorkloadOnNode without verification; wall times include starting each lane's worker and device; device: ${acquired.value.description}.`,
    rows,
  };
}
