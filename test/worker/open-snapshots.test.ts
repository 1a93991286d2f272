// The worker's open PyTorch snapshots: the example's figures as the CLI counts them, its trace in the store and its sequence kept for a replay until the page lets it go; malformed snapshots and replay settings answered with paths and sentences, never a throw.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { OpenSnapshots, readReplaySettings } from '../../src/worker/open-snapshots.ts';
import { TraceStore } from '../../src/worker/trace-store.ts';
import { exampleFiles } from '../core/example-files.ts';
import { hostileValue, kPrototypeKeys, mutationsOf } from '../fuzz/hostile-json.ts';

const [kSnapshot] = exampleFiles('pytorch').map((e) => e.json);
const MiB = 2 ** 20;

test('the example opens with the hand-counted figures, its trace in the store and its requests kept until the page lets go', () => {
  const traces = new TraceStore();
  const snapshots = new OpenSnapshots(traces);
  const reply = snapshots.open(kSnapshot);
  if (!reply.ok) throw new Error(reply.message);
  const view = reply.snapshot;
  // As test/cli/snapshot-commands.test.ts counts them: entry 3's 5 MiB sets the 10 MiB peak; 12 MiB reserved; the 3 MiB OOM at entry 10.
  expect(view).toMatchObject({
    device: 0, devices: 1, clock: 'time_us', entries: 11, requests: 7,
    allocatedPeak: { bytes: 10 * MiB, setBy: { entry: 3, bytes: 5 * MiB } },
    reservedPeakBytes: 12 * MiB,
    ooms: [{ entry: 10, requestedBytes: 3 * MiB, allocatedBytes: 7 * MiB, reservedBytes: 12 * MiB }],
  });
  expect(view.allocatedPeak.setBy?.frames[0]).toEqual({ name: 'attention', filename: 'model.py', line: 57 });
  expect(traces.has(view.traceId)).toBe(true);
  expect(traces.events(view.traceId)).toHaveLength(view.eventCount);
  expect(traces.events(view.traceId).at(-1)?.t).toBe(view.tEnd);
  const setter = traces.events(view.traceId)[view.peakEventIndex];
  expect(setter).toMatchObject({ kind: 'alloc', bytes: 5 * MiB });
  expect('label' in setter && setter.label).toContain('attention (model.py:57)');
  expect(traces.events(view.traceId).some((e) => e.kind === 'segment-alloc')).toBe(true);
  expect(snapshots.requests(view.traceId)).toHaveLength(7);

  traces.keep([view.traceId]);
  snapshots.prune();
  expect(snapshots.requests(view.traceId)).toHaveLength(7);
  traces.keep([]);
  snapshots.prune();
  expect(snapshots.requests(view.traceId)).toBeUndefined();
});

test('a malformed snapshot gives every problem with its path and stores nothing', () => {
  const traces = new TraceStore();
  const reply = new OpenSnapshots(traces).open({ segments: [], device_traces: [[{ action: 'alloc', size: 1.5 }, { action: 'free', addr: 1, size: 2 }]] });
  expect(reply.ok).toBe(false);
  if (reply.ok) return;
  expect(reply.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['device_traces[0][0].size', 'device_traces[0][0].addr', 'device_traces[0][1].action']));
  expect(traces.has(1)).toBe(false);
});

test('any value, the example with one thing inside made hostile included, is opened or refused with paths, never thrown on', () => {
  const snapshots = new OpenSnapshots(new TraceStore());
  fc.assert(
    fc.property(fc.oneof(hostileValue, mutationsOf(kSnapshot), mutationsOf(kSnapshot)), (value) => {
      const reply = snapshots.open(value);
      if (reply.ok) expect(snapshots.requests(reply.snapshot.traceId)).toHaveLength(reply.snapshot.requests);
      else for (const issue of reply.issues) expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
    }),
    { numRuns: 600, seed: 43 },
  );
});

test.each([
  { what: 'a budget and a model', settings: { budgetBytes: 12 * MiB, model: 'caching' }, ok: true },
  { what: 'a zero budget', settings: { budgetBytes: 0, model: 'exact' }, ok: false },
  { what: 'a fraction of a byte', settings: { budgetBytes: 1.5, model: 'exact' }, ok: false },
  { what: 'a budget as text', settings: { budgetBytes: '12 MiB', model: 'exact' }, ok: false },
  { what: 'a budget past 2^53', settings: { budgetBytes: 2 ** 60, model: 'exact' }, ok: false },
  { what: 'an unknown model', settings: { budgetBytes: 100, model: 'slab' }, ok: false },
  { what: 'a model named after a prototype member', settings: { budgetBytes: 100, model: 'constructor' }, ok: false },
  { what: 'settings inherited, not own', settings: Object.create({ budgetBytes: 100, model: 'exact' }), ok: false },
])('replay settings: $what', ({ settings, ok }) => {
  expect(readReplaySettings(settings).ok).toBe(ok);
});

test('any replay settings are read or refused in a sentence, never thrown on', () => {
  const prototypeKeyed = fc.dictionary(fc.constantFrom(...kPrototypeKeys, 'budgetBytes', 'model'), fc.anything(), { minKeys: 1 });
  fc.assert(
    fc.property(fc.oneof(hostileValue, prototypeKeyed, fc.record({ budgetBytes: fc.anything(), model: fc.anything() })), (value) => {
      const read = readReplaySettings(value);
      if (read.ok) expect(Number.isSafeInteger(read.settings.budgetBytes) && read.settings.budgetBytes > 0).toBe(true);
      else expect(read.message).toEqual(expect.any(String));
    }),
    { numRuns: 1000, seed: 47 },
  );
});
