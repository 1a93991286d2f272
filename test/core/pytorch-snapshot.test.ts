// PyTorch snapshots: the reader (every problem with its path, never a throw) and the trace they become, checked against a hand count.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readPytorchSnapshot, type PytorchSnapshot } from '../../src/core/pytorch-snapshot.ts';
import { snapshotToTrace } from '../../src/core/snapshot-trace.ts';
import { summarizeTrace } from '../../src/core/trace.ts';
import { readTraceEvents } from '../../src/core/trace-events.ts';
import fixture from '../../examples/pytorch/snapshot-oom.json';

const MiB = 2 ** 20;

function read(json: unknown): PytorchSnapshot {
  const result = readPytorchSnapshot(json);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.snapshot;
}

describe('the example snapshot, counted by hand', () => {
  // Entries: 0 segment A 6 MiB · 1 alloc 5 MiB in A (embed) · 2 segment B 6 MiB · 3 alloc 5 MiB in B (attention)
  // · 4–5 free the 5 MiB in A · 6 alloc 2 MiB at A+0 (mlp) · 7 alloc 2 MiB at A+2 MiB (mlp)
  // · 8–9 free A+0 · 10 oom asking 3 MiB. Allocated: 5, 10, 5, 7, 9, 7 MiB; reserved: 6, 12 MiB.
  const trace = snapshotToTrace(read(fixture));

  test('the allocated peak is 10 MiB, set by entry 3 (5 MiB in attention), with its frames', () => {
    expect(trace.allocatedPeak.bytes).toBe(10 * MiB);
    expect(trace.allocatedPeak.setBy).toMatchObject({ entry: 3, bytes: 5 * MiB, addr: 0x7f3a02000000 });
    expect(trace.allocatedPeak.setBy!.frames.slice(0, 2)).toEqual([
      { filename: 'model.py', line: 57, name: 'attention' },
      { filename: 'model.py', line: 102, name: 'forward' },
    ]);
    expect(trace.reservedPeakBytes).toBe(12 * MiB);
  });

  test('the out-of-memory: 3 MiB asked with 7 MiB allocated and 12 MiB reserved', () => {
    expect(trace.ooms).toEqual([
      expect.objectContaining({ entry: 10, requestedBytes: 3 * MiB, allocatedBytes: 7 * MiB, reservedBytes: 12 * MiB, deviceFreeBytes: 0 }),
    ]);
  });

  test('the events are a trace the reader accepts, whose summary gives the same peaks; t is the entries\' clock in ms', () => {
    expect(readTraceEvents(trace.events).ok).toBe(true);
    expect(summarizeTrace(trace.events)).toMatchObject({ peakBytes: 10 * MiB, reservedPeakBytes: 12 * MiB });
    expect(trace.clock).toBe('time_us');
    expect(trace.events.map((e) => e.t)).toEqual([0, 0.15, 0.3, 0.45, 0.75, 0.9, 1.05, 1.35, 1.5]);
    expect(trace.events.filter((e) => e.kind === 'alloc').map((e) => e.kind === 'alloc' && [e.segment, e.offset])).toEqual([[1, 0], [2, 0], [1, 0], [1, 2 * MiB]]);
    expect(trace.notes).toEqual([]);
  });

  test('the replayed sequence: every alloc and completed free in order, the failed request last', () => {
    expect(trace.requests.map((r) => (r.kind === 'alloc' ? `+${r.bytes / MiB}${r.failedInSnapshot ? '!' : ''}` : `-${r.key}`))).toEqual(['+5', '+5', '-1', '+2', '+2', '-3', '+3!']);
  });
});

describe('a trace that begins after allocations that are still live', () => {
  const base = 0x1000_0000;
  const snapshot = read({
    segments: [
      {
        device: 0, address: base, total_size: 2 * MiB, segment_type: 'small',
        blocks: [
          { address: base, size: 512, state: 'active_allocated', frames: [{ filename: 'a.py', line: 1, name: 'old' }] },
          { address: base + 512, size: 1024, state: 'inactive' },
          { size: 1024, state: 'active_allocated' },
          { size: 2 * MiB - 2560, state: 'inactive' },
        ],
      },
    ],
    device_traces: [[
      { action: 'free_requested', addr: base + 512, size: 1024, stream: 0, frames: [] },
      { action: 'free_completed', addr: base + 512, size: 1024, stream: 0, frames: [] },
      { action: 'alloc', addr: base + 1536, size: 1024, stream: 0, frames: [] },
    ]],
  });
  const trace = snapshotToTrace(snapshot);

  test('the block the trace frees but never allocated, and the block live at the end it never allocated, come first', () => {
    expect(trace.clock).toBe('entry');
    expect(trace.events.slice(0, 3).map((e) => [e.t, e.kind, 'bytes' in e && e.bytes])).toEqual([
      [0, 'segment-alloc', 2 * MiB],
      [0, 'alloc', 512],
      [0, 'alloc', 1024],
    ]);
    expect(trace.events[0]).toMatchObject({ pool: 'small' });
    expect(trace.allocations.filter((a) => a.entry === null).map((a) => a.addr - base)).toEqual([0, 512]);
    expect(trace.allocatedPeak.bytes).toBe(1536);
    expect(readTraceEvents(trace.events).ok).toBe(true);
  });
});

describe('malformed snapshots: every problem with its path', () => {
  const entry = { action: 'alloc', addr: 4096, size: 512, stream: 0, frames: [] };
  test.each([
    { what: 'not an object', json: [1, 2], paths: [''] },
    { what: 'no device_traces', json: { segments: [] }, paths: ['device_traces'] },
    { what: 'segments not a list', json: { segments: {}, device_traces: [] }, paths: ['segments'] },
    { what: 'an unknown action', json: { segments: [], device_traces: [[{ ...entry, action: 'malloc' }]] }, paths: ['device_traces[0][0].action'] },
    { what: 'an alloc without its address', json: { segments: [], device_traces: [[{ ...entry, addr: undefined }]] }, paths: ['device_traces[0][0].addr'] },
    { what: 'a fractional size and a negative address at once', json: { segments: [], device_traces: [[{ ...entry, size: 1.5 }, { ...entry, addr: -1 }]] }, paths: ['device_traces[0][0].size', 'device_traces[0][1].addr'] },
    { what: 'a frame without its line', json: { segments: [], device_traces: [[{ ...entry, frames: [{ filename: 'x.py', name: 'f' }] }]] }, paths: ['device_traces[0][0].frames[0].line'] },
    { what: 'a segment of an unknown type', json: { segments: [{ address: 0, total_size: 1, segment_type: 'huge' }], device_traces: [] }, paths: ['segments[0].segment_type'] },
    { what: 'a block without its state', json: { segments: [{ address: 0, total_size: 1, blocks: [{ size: 1 }] }], device_traces: [] }, paths: ['segments[0].blocks[0].state'] },
  ])('$what', ({ json, paths }) => {
    const result = readPytorchSnapshot(JSON.parse(JSON.stringify(json)));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(paths);
  });

  test('an oom needs no address; unknown fields (allocator settings, pool ids) are fine', () => {
    expect(readPytorchSnapshot({ segments: [], device_traces: [[{ action: 'oom', size: 512, device_free: 0 }]], allocator_settings: {} }).ok).toBe(true);
  });

  test('any JSON value at all, prototype-named keys included, gives a result, never an exception', () => {
    const keys = fc.constantFrom('__proto__', 'constructor', 'toString', 'segments', 'device_traces', 'action', 'addr', 'size', 'frames', 'blocks');
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.anything(), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(keys, tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.oneof(value, fc.record({ segments: value, device_traces: value })), (json) => {
        const result = readPytorchSnapshot(json);
        if (!result.ok) for (const issue of result.issues) expect(issue.message.length).toBeGreaterThan(0);
        else expect(readTraceEvents(snapshotToTrace(result.snapshot).events).ok).toBe(true);
      }),
      { numRuns: 1500, seed: 23 },
    );
  });

  test('any sequence of well-formed actions, however inconsistent, becomes a trace the reader accepts', () => {
    const action = fc.record({
      action: fc.constantFrom('alloc', 'free_requested', 'free_completed', 'segment_alloc', 'segment_free', 'segment_map', 'segment_unmap', 'oom', 'snapshot'),
      addr: fc.constantFrom(0, 512, 1024, 4096, 8192),
      size: fc.constantFrom(512, 1024, 4096, 8192),
      frames: fc.constant([]),
    });
    const block = fc.record({ address: fc.constantFrom(0, 512, 4096), size: fc.constantFrom(512, 4096), state: fc.constantFrom('active_allocated', 'inactive') });
    const segment = fc.record({ address: fc.constantFrom(0, 4096), total_size: fc.constantFrom(4096, 8192), blocks: fc.array(block, { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 2 }), fc.array(action, { maxLength: 30 }), (segments, entries) => {
        const trace = snapshotToTrace(read({ segments, device_traces: [entries] }));
        const checked = readTraceEvents(trace.events);
        expect(checked.ok ? 'ok' : checked.message).toBe('ok');
        expect(trace.allocatedPeak.bytes).toBe(summarizeTrace(trace.events).peakBytes);
      }),
      { numRuns: 1000, seed: 29 },
    );
  });
});
