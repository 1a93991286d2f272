/**
 * The CPU backend: the same chunk loop as WebGPU, over host memory, with each kernel's
 * CPU twin as the dispatch. Its buffers go through the same tracked allocator (so the
 * budget, the limits and injected allocation faults apply, and its peak is measured the
 * same way), and chunks are packed and unpacked exactly as for the GPU. Device losses
 * do not apply: there is no device to lose. f64 arrays run here only.
 */
import { elementCount, elementView, storageView } from '../core/host-arrays.ts';
import { chunkAt } from '../core/planner.ts';
import type { TwinArray } from '../kernels/kernel.ts';
import { TrackedAllocator, hostMemory, type TrackedBuffer } from './allocator.ts';
import { throwIfCancelled } from './errors.ts';
import { isReadBack, isUploaded, kernelArrays, type AttemptJob, type ChunkExecutor } from './executor.ts';

/** Yields to the event loop so progress, cancel and the UI's messages get through between chunks. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
/** Milliseconds of work between yields: often enough to cancel promptly, rarely enough that timers cost nothing. */
const kYieldEveryMs = 8;

/** The CPU executor. */
export class CpuExecutor implements ChunkExecutor {
  readonly backend = 'cpu' as const;

  async execute(job: AttemptJob): Promise<void> {
    const { plan, trace } = job;
    const allocator = new TrackedAllocator(hostMemory(), { budgetBytes: job.budgetBytes, limits: job.scenario.device.limits }, trace, job.faults);
    const arrays = kernelArrays(job.scenario);
    const planned = new Map(plan.arrays.map((a) => [a.name, a]));
    try {
      const buffers = new Map<string, TrackedBuffer<ArrayBuffer>[]>();
      for (const a of arrays.filter((x) => !x.layout.chunked)) {
        const bytes = Number(planned.get(a.name)!.bytes);
        buffers.set(a.name, [await allocator.allocate({ label: `${a.name} (fixed, ${bytes} B)`, size: bytes, usage: 0, usageClass: 'storage', array: a.name })]);
      }
      for (let s = 0; s < plan.bufferSets; s++) {
        for (const a of arrays.filter((x) => x.layout.chunked)) {
          const bytes = Number(planned.get(a.name)!.bytes);
          const buffer = await allocator.allocate({ label: `${a.name} set ${s} (${bytes} B)`, size: bytes, usage: 0, usageClass: 'storage', array: a.name });
          buffers.set(a.name, [...(buffers.get(a.name) ?? []), buffer]);
        }
      }
      for (const list of buffers.values()) for (const b of list) allocator.checkBinding(b);

      const storage = (name: string, set: number, n: number) => {
        const a = arrays.find((x) => x.name === name)!;
        const list = buffers.get(name)!;
        return storageView(a.dtype, list[a.layout.chunked ? set : 0].buffer, 0, elementCount(a.layout, n));
      };
      const t0 = trace.elapsed();
      let fixedBytes = 0;
      for (const a of arrays.filter((x) => !x.layout.chunked && isUploaded(x))) {
        job.host.packInput(a, storage(a.name, 0, 0), 0, 0);
        fixedBytes += Number(planned.get(a.name)!.bytes);
      }
      if (fixedBytes) trace.record({ kind: 'upload', chunk: -1, ms: trace.elapsed() - t0, bytes: fixedBytes });

      let lastYield = trace.elapsed();
      for (let i = 0; i < plan.numChunks; i++) {
        if (trace.elapsed() - lastYield > kYieldEveryMs) {
          await yieldToEventLoop();
          lastYield = trace.elapsed();
        }
        throwIfCancelled(job.signal);
        const local = chunkAt(plan, i);
        const chunk = { index: i, start: job.start + local.start, end: job.start + local.end };
        const n = chunk.end - chunk.start;
        const set = i % plan.bufferSets;
        trace.record({ kind: 'chunk-begin', ...chunk });

        let t = trace.elapsed();
        let bytes = 0;
        for (const a of arrays.filter((x) => x.layout.chunked && isUploaded(x))) {
          const view = storage(a.name, set, n);
          job.host.packInput(a, view, chunk.start, chunk.end);
          bytes += view.byteLength;
        }
        trace.record({ kind: 'upload', chunk: i, ms: trace.elapsed() - t, bytes });

        t = trace.elapsed();
        const twinArrays: TwinArray[] = arrays.map((a) => ({ ...a, view: elementView(storage(a.name, set, n), a.dtype) }));
        job.kernel.twin(job.scenario, twinArrays, n);
        trace.record({ kind: 'dispatch', chunk: i, ms: trace.elapsed() - t, bytes: 0 });

        t = trace.elapsed();
        bytes = 0;
        // Fixed outputs come back with every chunk, as on WebGPU.
        for (const a of arrays.filter(isReadBack)) {
          const view = storage(a.name, set, n);
          job.host.unpackOutput(a, view, chunk.start, chunk.end);
          bytes += view.byteLength;
        }
        trace.record({ kind: 'writeback', chunk: i, ms: trace.elapsed() - t, bytes });
        trace.record({ kind: 'chunk-end', ...chunk });
        job.onChunkDone(chunk.end, i);
      }
    } finally {
      await allocator.freeAll();
    }
  }
}
