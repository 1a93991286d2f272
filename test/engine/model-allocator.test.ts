// An allocator model on the tracked allocator: segments as buffers, blocks recorded at their offsets, the model's out-of-memory as an AllocationError.
import { describe, expect, test } from 'vitest';
import { ExactModel } from '../../src/core/allocator-model.ts';
import { CachingModel, kCachingDefaults } from '../../src/core/caching-allocator.ts';
import { summarizeTrace, TraceRecorder } from '../../src/core/trace.ts';
import { readTraceEvents } from '../../src/core/trace-events.ts';
import { hostMemory, TrackedAllocator } from '../../src/engine/allocator.ts';
import { AllocationError } from '../../src/engine/errors.ts';
import { ModelAllocator, ModelOutOfMemoryError } from '../../src/engine/model-allocator.ts';

const MiB = 2 ** 20;

function setUp(model: CachingModel | ExactModel, budgetBytes: number, maxBufferSize = 256 * MiB) {
  const trace = new TraceRecorder();
  const tracked = new TrackedAllocator(hostMemory(), { budgetBytes, limits: { maxBufferSize, maxStorageBufferBindingSize: maxBufferSize } }, trace);
  return { trace, tracked, blocks: new ModelAllocator(model, tracked, trace, 0) };
}

describe('caching', () => {
  test('blocks share a segment, each recorded at its offset; the trace reads back with reserved above allocated', async () => {
    const { trace, tracked, blocks } = setUp(new CachingModel(kCachingDefaults), 4 * MiB);
    const a = await blocks.allocate({ label: 'a', bytes: MiB, array: 'x' });
    const b = await blocks.allocate({ label: 'b', bytes: 100 });
    expect([a.buffer, a.offset, b.offset]).toEqual([b.buffer, 0, MiB]);
    expect(tracked.live).toHaveLength(1);
    expect(tracked.deviceBytes).toBe(2 * MiB);
    blocks.free(a);
    await blocks.dispose();
    expect(tracked.live).toHaveLength(0);
    expect(trace.events.map((e) => e.kind)).toEqual(['segment-alloc', 'alloc', 'alloc', 'free', 'free', 'segment-free']);
    expect(trace.events[1]).toMatchObject({ id: a.id, segment: a.buffer.id, offset: 0, bytes: MiB, array: 'x' });
    expect(readTraceEvents(trace.events).ok).toBe(true);
    expect(summarizeTrace(trace.events)).toMatchObject({ peakBytes: MiB + 512, reservedPeakBytes: 2 * MiB });
  });

  test('a segment over the budget is the model\'s out-of-memory, an AllocationError with its figures', async () => {
    const { blocks, trace } = setUp(new CachingModel(kCachingDefaults), 6 * MiB);
    await blocks.allocate({ label: 'a', bytes: 3 * MiB });
    const err = await blocks.allocate({ label: 'b', bytes: 3 * MiB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelOutOfMemoryError);
    expect(err).toBeInstanceOf(AllocationError);
    const oom = err as ModelOutOfMemoryError;
    expect({ code: oom.code, source: oom.source, label: oom.label, bytes: oom.bytes }).toEqual({ code: 'OUT_OF_MEMORY', source: 'budget', label: 'b', bytes: 3 * MiB });
    expect(oom.oom.stats).toMatchObject({ allocatedBytes: 3 * MiB, reservedBytes: 4 * MiB, reservedFreeBytes: MiB });
    expect(oom.message).toContain('3 MiB (3,145,728 B) allocated, 4 MiB (4,194,304 B) reserved, 1 MiB (1,048,576 B) reserved but free');
    // The tracked allocator recorded each refused segment (tried, cache emptied of nothing, tried again),
    // then the model its refused request with its figures.
    const ooms = trace.events.filter((e) => e.kind === 'oom');
    expect(ooms).toHaveLength(3);
    expect(ooms.map((e) => e.kind === 'oom' && e.allocator !== undefined)).toEqual([false, false, true]);
    expect(ooms[2]).toMatchObject({ label: 'b', bytes: 3 * MiB, source: 'budget', allocator: { allocatedBytes: 3 * MiB, reservedBytes: 4 * MiB, reservedFreeBytes: MiB, largestFreeBytes: MiB, fragmentation: 0 } });
    await blocks.dispose();
  });

  test('a segment over maxBufferSize is the tracked allocator\'s validation error, as it is', async () => {
    const { blocks } = setUp(new CachingModel(kCachingDefaults), 64 * MiB, 3 * MiB);
    const err = await blocks.allocate({ label: 'big', bytes: 3 * MiB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllocationError);
    expect(err).not.toBeInstanceOf(ModelOutOfMemoryError);
    expect((err as AllocationError).kind).toBe('validation-error');
    await blocks.dispose();
  });
});

test('exact: each block is its own buffer, recorded by the tracked allocator alone', async () => {
  const { blocks, trace, tracked } = setUp(new ExactModel(), MiB);
  const a = await blocks.allocate({ label: 'a', bytes: 10, array: 'x' });
  expect(a).toMatchObject({ offset: 0, block: { bytes: 12 } });
  expect(a.id).toBe(a.buffer.id);
  blocks.free(a);
  expect(tracked.live).toHaveLength(0);
  await blocks.dispose();
  expect(trace.events.map((e) => [e.kind, 'array' in e && e.array])).toEqual([['alloc', 'x'], ['free', 'x']]);
});
