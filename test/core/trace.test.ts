// The trace summary: peaks and who set them, staging apart, phases, chunks, attempts, leaks; and the Chrome trace export.
import { expect, test } from 'vitest';
import { summarizeTrace, toChromeTrace, TraceRecorder } from '../../src/core/trace.ts';

function sampleTrace() {
  let now = 0;
  const trace = new TraceRecorder(() => now);
  const tick = (ms: number) => (now += ms);
  trace.record({ kind: 'attempt', attempt: 1, backend: 'webgpu', chunkLength: 10, precision: 'native', predictedPeakBytes: 300, start: 0 });
  trace.record({ kind: 'alloc', id: 1, label: 'fixed', bytes: 100, usage: 'storage' });
  trace.record({ kind: 'alloc', id: 2, label: 'a set 0', bytes: 200, usage: 'storage' });
  trace.record({ kind: 'chunk-begin', index: 0, start: 0, end: 10 });
  trace.record({ kind: 'alloc', id: 3, label: 'staging', bytes: 500, usage: 'staging' });
  tick(2);
  trace.record({ kind: 'upload', chunk: 0, ms: 2, bytes: 500 });
  trace.record({ kind: 'free', id: 3, label: 'staging', bytes: 500, usage: 'staging' });
  tick(5);
  trace.record({ kind: 'dispatch', chunk: 0, ms: 5, bytes: 0 });
  trace.record({ kind: 'chunk-end', index: 0, start: 0, end: 10 });
  trace.record({ kind: 'oom', label: 'staging 2', bytes: 700, source: 'injected', message: 'x' });
  trace.record({ kind: 'free', id: 2, label: 'a set 0', bytes: 200, usage: 'storage' });
  trace.record({ kind: 'free', id: 1, label: 'fixed', bytes: 100, usage: 'storage' });
  trace.record({ kind: 'fallback', from: 'start', to: 'shrink', reason: 'oom', chunkLengthBefore: 10, chunkLengthAfter: 5, resumeAt: 10 });
  trace.record({ kind: 'attempt', attempt: 2, backend: 'webgpu', chunkLength: 5, precision: 'native', predictedPeakBytes: 200, start: 10 });
  trace.record({ kind: 'alloc', id: 4, label: 'fixed', bytes: 100, usage: 'storage' });
  trace.record({ kind: 'alloc', id: 5, label: 'a set 0 small', bytes: 100, usage: 'storage' });
  return trace.events;
}

test('the summary adds the trace up', () => {
  const summary = summarizeTrace(sampleTrace());
  expect(summary.peakBytes).toBe(300);
  expect(summary.peakSetBy).toMatchObject({ label: 'a set 0', bytes: 200 });
  expect(summary.stagingPeakBytes).toBe(500);
  expect(summary.phases).toEqual({ upload: 2, dispatch: 5, readback: 0, writeback: 0 });
  expect(summary.chunks).toEqual([{ attempt: 1, index: 0, start: 0, end: 10, tBegin: 0, tEnd: 7 }]);
  expect(summary.attempts.map((a) => [a.attempt, a.predictedPeakBytes, a.measuredPeakBytes, a.setBy?.label])).toEqual([
    [1, 300, 300, 'a set 0'],
    [2, 200, 200, 'a set 0 small'],
  ]);
  expect(summary.faults.map((f) => f.kind)).toEqual(['oom']);
  expect(summary.fallbacks.map((f) => f.to)).toEqual(['shrink']);
  expect(summary.liveAfter.map((b) => b.id)).toEqual([4, 5]);
});

test('the Chrome export has each chunk as a span holding its phases, and memory as counters', () => {
  const { traceEvents } = toChromeTrace(sampleTrace());
  expect(traceEvents.filter((e) => e.cat === 'chunk').map((e) => [e.ph, e.name, e.id, e.ts])).toEqual([
    ['b', 'chunk 0', '1:0', 0],
    ['b', 'upload', '1:0', 0],
    ['e', 'upload', '1:0', 2000],
    ['b', 'dispatch', '1:0', 2000],
    ['e', 'dispatch', '1:0', 7000],
    ['e', 'chunk 0', '1:0', 7000],
  ]);
  expect(traceEvents.filter((e) => e.ph === 'M').map((e) => e.args?.name)).toEqual(['memory', 'events', 'chunks']);
  const counters = traceEvents.filter((e) => e.ph === 'C').map((e) => e.args);
  expect(counters.at(2)).toEqual({ device: 300, staging: 500 });
  expect(counters.at(-1)).toEqual({ device: 200, staging: 0 });
});
