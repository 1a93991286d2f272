// A PyTorch snapshot's allocation sequence replayed on real WebGPU buffers under a budget and an allocator model.
import { describe, expect } from 'vitest';
import { readPytorchSnapshot } from '../../src/core/pytorch-snapshot.ts';
import { snapshotToTrace } from '../../src/core/snapshot-trace.ts';
import { readTraceEvents } from '../../src/core/trace-events.ts';
import { kCachingDefaults } from '../../src/core/caching-allocator.ts';
import { replaySnapshot } from '../../src/engine/snapshot-replay.ts';
import fixture from '../../examples/pytorch/snapshot-oom.json';
import { gpuTest } from './gpu-fixture.ts';

const MiB = 2 ** 20;
const read = readPytorchSnapshot(fixture);
if (!read.ok) throw new Error(JSON.stringify(read.issues));
const imported = snapshotToTrace(read.snapshot);
const peak = imported.allocatedPeak.bytes;
const caching = { model: 'caching', ...kCachingDefaults } as const;

describe('the example snapshot replayed with the exact model', () => {
  gpuTest('a budget one byte below the allocated peak fails at the allocation that set it', async ({ gpu }) => {
    const outcome = await replaySnapshot(gpu.device, imported.requests, { budgetBytes: peak - 1, allocator: { model: 'exact' } });
    expect(outcome.failure).toMatchObject({ request: 2, entry: imported.allocatedPeak.setBy!.entry, bytes: 5 * MiB, kind: 'oom', failedInSnapshot: false });
    expect(outcome.failure!.stats).toMatchObject({ allocatedBytes: 5 * MiB, reservedBytes: 5 * MiB });
    expect(outcome.requestsDone).toBe(1);
    expect(outcome.liveBuffersAfter).toBe(0);
  });

  gpuTest('at the allocated peak it fits, the request PyTorch could not have included', async ({ gpu }) => {
    const outcome = await replaySnapshot(gpu.device, imported.requests, { budgetBytes: peak, allocator: { model: 'exact' } });
    expect(outcome).toMatchObject({ failure: null, requestsDone: 7, requests: 7, allocatedPeakBytes: peak, reservedPeakBytes: peak, liveBuffersAfter: 0 });
    const checked = readTraceEvents(outcome.events);
    expect(checked.ok ? 'ok' : checked.message).toBe('ok');
  });
});

describe('the example snapshot replayed with the caching model', () => {
  gpuTest('on the snapshot\'s 12 MiB it fails where PyTorch did, with 5 MiB reserved but free in pieces of 2 MiB', async ({ gpu }) => {
    const outcome = await replaySnapshot(gpu.device, imported.requests, { budgetBytes: 12 * MiB, allocator: caching });
    expect(outcome.failure).toMatchObject({ request: 7, entry: 10, bytes: 3 * MiB, kind: 'oom', failedInSnapshot: true });
    expect(outcome.failure!.stats).toMatchObject({ allocatedBytes: 7 * MiB, reservedBytes: 12 * MiB, reservedFreeBytes: 5 * MiB, largestFreeBytes: 2 * MiB });
    expect(outcome.failure!.stats.fragmentation).toBeCloseTo(0.6, 10);
    expect(outcome.failure!.expandableBytes).toBe(10 * MiB);
    expect(outcome.failure!.message).toContain('7 MiB (7,340,032 B) allocated, 12 MiB (12,582,912 B) reserved, 5 MiB (5,242,880 B) reserved but free');
    expect(outcome.liveBuffersAfter).toBe(0);
    const checked = readTraceEvents(outcome.events);
    expect(checked.ok ? 'ok' : checked.message).toBe('ok');
  });

  gpuTest('with 16 MiB it fits: 10 MiB allocated at most, 16 MiB reserved; expandable segments would have needed 10 MiB', async ({ gpu }) => {
    const outcome = await replaySnapshot(gpu.device, imported.requests, { budgetBytes: 16 * MiB, allocator: caching });
    expect(outcome).toMatchObject({ failure: null, allocatedPeakBytes: 10 * MiB, reservedPeakBytes: 16 * MiB, expandablePeakBytes: 10 * MiB, liveBuffersAfter: 0 });
    const segments = outcome.events.flatMap((e) => (e.kind === 'segment-alloc' ? [e.bytes] : []));
    expect(segments).toEqual([6 * MiB, 6 * MiB, 4 * MiB]);
    const blocks = outcome.events.filter((e) => e.kind === 'alloc');
    expect(blocks.every((e) => e.kind === 'alloc' && e.offset! % gpu.device.limits.minStorageBufferOffsetAlignment === 0)).toBe(true);
  });
});
