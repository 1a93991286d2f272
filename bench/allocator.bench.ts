/**
 * Allocator-model benchmarks: the caching model over 100 000 requests and frees, the
 * caching prediction of a 10^9-run plan allocating per chunk, and a PyTorch snapshot of
 * 100 000 trace entries read and turned into a trace. No goal is set for them yet.
 */
import { allocateNow } from '../src/core/allocator-model.ts';
import { predictAllocatorPeaks } from '../src/core/allocator-prediction.ts';
import { CachingModel, kCachingDefaults } from '../src/core/caching-allocator.ts';
import { planScenario } from '../src/core/planner.ts';
import { readPytorchSnapshot } from '../src/core/pytorch-snapshot.ts';
import { parseScenario } from '../src/core/scenario.ts';
import { snapshotToTrace } from '../src/core/snapshot-trace.ts';
import { measure } from './measure.ts';
import type { BenchSection } from './section.ts';

const kRequests = 100_000;

/** Sizes from 512 B to 8 MiB, and which live block each free takes: fixed by a seeded generator. */
function workload() {
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: kRequests }, () => ({ alloc: next() % 3 !== 0, bytes: 512 << (next() % 15), pick: next() }));
}

/** A snapshot whose trace allocates and frees 50 000 blocks in 2 MiB-rounded segments. */
function snapshotJson() {
  const entries: object[] = [];
  const live: { addr: number; size: number }[] = [];
  let addr = 0x7f0000000000;
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  while (entries.length < kRequests) {
    if (live.length && next() % 2) {
      const [block] = live.splice(next() % live.length, 1);
      entries.push({ action: 'free_completed', addr: block.addr, size: block.size, stream: 0, frames: [] });
    } else {
      const size = 512 << (next() % 12);
      entries.push({ action: 'segment_alloc', addr, size: 2 * 1024 * 1024, stream: 0, frames: [] });
      entries.push({ action: 'alloc', addr, size, stream: 0, frames: [{ filename: 'train.py', line: 1, name: 'step' }] });
      live.push({ addr, size });
      addr += 2 * 1024 * 1024;
    }
  }
  return { segments: [], device_traces: [entries] };
}

/** Times the three operations the module comment names. */
export async function allocatorSection(): Promise<BenchSection> {
  const ops = workload();
  const model = () => {
    const m = new CachingModel(kCachingDefaults);
    const live: number[] = [];
    for (const op of ops) {
      if (op.alloc || !live.length) {
        const got = allocateNow(m, op.bytes, () => true);
        if (got.ok) live.push(got.block.id);
      } else {
        m.free(live.splice(op.pick % live.length, 1)[0]);
      }
    }
    return m.stats();
  };
  const parsed = parseScenario({
    version: 1,
    runs: 1_000_000_000,
    arrays: [
      { name: 'state', role: 'output', dtype: 'f32', shape: [200, 3, 'runs'] },
      { name: 'parameters', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
      { name: 'driver_coefficients', role: 'input', dtype: 'f32', shape: [64, 4] },
    ],
    device: { budgetBytes: 2 ** 33 },
    planner: { bufferSets: 2 },
  });
  if (!parsed.ok) throw new Error('the benchmark scenario is invalid');
  const planned = planScenario(parsed.scenario);
  if (!planned.ok) throw new Error(planned.error.message);
  const plan = planned.plan;
  const json = snapshotJson();
  const rows = [
    { name: `caching model: ${kRequests.toLocaleString('en-US')} requests and frees`, timing: await measure(model, { warmups: 2, repetitions: 9 }) },
    {
      name: `caching prediction, ${plan.numChunks.toLocaleString('en-US')} chunks allocated per chunk`,
      timing: await measure(() => predictAllocatorPeaks(plan, { allocator: { model: 'caching', ...kCachingDefaults }, reuseBuffers: false }), { warmups: 5, repetitions: 21 }),
      figure: `${predictAllocatorPeaks(plan, { allocator: { model: 'caching', ...kCachingDefaults }, reuseBuffers: false }).chunksSimulated} chunks simulated`,
    },
    {
      name: `PyTorch snapshot of ${kRequests.toLocaleString('en-US')} entries: read and turned into a trace`,
      timing: await measure(() => {
        const read = readPytorchSnapshot(json);
        if (!read.ok) throw new Error('the benchmark snapshot is invalid');
        return snapshotToTrace(read.snapshot);
      }, { warmups: 1, repetitions: 5 }),
    },
  ];
  return { title: 'Allocator models', note: 'Pure core work (src/core/caching-allocator.ts, allocator-prediction.ts, pytorch-snapshot.ts, snapshot-trace.ts); no goal set yet.', rows };
}
