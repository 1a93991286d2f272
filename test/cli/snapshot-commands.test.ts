// `chunkscope import-snapshot` and `chunkscope replay-snapshot` on the example PyTorch snapshot, as a user's shell runs them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { readTraceEvents } from '../../src/core/trace-events.ts';
import { runCli } from './cli-process.ts';

const kSnapshot = 'examples/pytorch/snapshot-oom.json';

test('import-snapshot prints the peaks, who set the allocated one with its frames, and the OOM; --trace writes events the trace reader accepts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chunkscope-snapshot-'));
  try {
    const out = join(dir, 'trace.json');
    const text = await runCli(['import-snapshot', kSnapshot, '--trace', out]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('allocated peak  10 MiB (10,485,760 B) at 0.450 ms\n  set by entry 3: 5 MiB (5,242,880 B) at 0x7f3a02000000\n    attention (model.py:57)');
    expect(text.stdout).toContain('reserved peak   12 MiB (12,582,912 B)');
    expect(text.stdout).toContain('out of memory at entry 10 (1.500 ms): tried to allocate 3 MiB (3,145,728 B); 7 MiB (7,340,032 B) allocated, 12 MiB (12,582,912 B) reserved, 5 MiB (5,242,880 B) reserved but free');
    const file = JSON.parse(await readFile(out, 'utf8'));
    expect(file).toMatchObject({ format: 'chunkscope-snapshot-trace', version: 1, source: { kind: 'pytorch-snapshot', device: 0, clock: 'time_us' }, reservedPeakBytes: 12 * 2 ** 20 });
    expect(readTraceEvents(file.events).ok).toBe(true);
    const json = await runCli(['import-snapshot', kSnapshot, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ entries: 11, allocatedPeak: { bytes: 10 * 2 ** 20, setBy: { entry: 3 } }, ooms: [{ entry: 10, requestedBytes: 3 * 2 ** 20 }] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a malformed snapshot is exit 1 with every problem and its path', async () => {
  const outcome = await runCli(['import-snapshot', '-'], JSON.stringify({ segments: [], device_traces: [[{ action: 'alloc', size: 1.5 }]] }));
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('device_traces[0][0].size: size must be a whole number below 2^53');
  expect(outcome.stderr).toContain('device_traces[0][0].addr: is required for a "alloc" entry');
});

test('replay-snapshot: exact fails one byte under the allocated peak at the allocation that set it (exit 7); caching on 12 MiB fails where PyTorch did', async () => {
  const under = await runCli(['replay-snapshot', kSnapshot, '--budget', String(10 * 2 ** 20 - 1)]);
  expect(under.code).toBe(7);
  expect(under.stdout).toContain('does not fit: request 2 (entry 3, 5 MiB (5,242,880 B)) fails');
  const caching = await runCli(['replay-snapshot', kSnapshot, '--budget', String(12 * 2 ** 20), '--model', 'caching', '--json']);
  expect(caching.code).toBe(7);
  expect(JSON.parse(caching.stdout)).toMatchObject({
    model: 'caching',
    failure: { request: 7, entry: 10, failedInSnapshot: true, expandableBytes: 10 * 2 ** 20, stats: { allocatedBytes: 7 * 2 ** 20, reservedBytes: 12 * 2 ** 20, reservedFreeBytes: 5 * 2 ** 20 } },
    liveBuffersAfter: 0,
  });
});

test('a --trace path that cannot be written is a usage error before anything is read', async () => {
  const outcome = await runCli(['import-snapshot', kSnapshot, '--trace', 'no-such-folder/trace.json']);
  expect(outcome.code).toBe(64);
  expect(outcome.stdout).toBe('');
});

test('replay-snapshot without a budget, or with an unknown model, is a usage error', async () => {
  expect((await runCli(['replay-snapshot', kSnapshot])).code).toBe(64);
  const model = await runCli(['replay-snapshot', kSnapshot, '--budget', '100', '--model', 'slab']);
  expect(model.code).toBe(64);
  expect(model.stderr).toContain('--model must be one of exact, caching, not "slab"');
});

test('any flag values, in process, give an exit code and never a throw', async () => {
  const { main } = await import('../../src/cli/main.ts');
  const quiet = { out: () => {}, err: () => {} };
  const notABudget = fc.string().filter((s) => !(Number.isSafeInteger(Number(s)) && Number(s) > 0));
  await fc.assert(
    fc.asyncProperty(fc.string(), notABudget, fc.string(), async (device, budget, model) => {
      expect([0, 64]).toContain(await main(['import-snapshot', kSnapshot, '--device', device], quiet));
      expect(await main(['replay-snapshot', kSnapshot, '--budget', budget, '--model', model], quiet)).toBe(64);
    }),
    { numRuns: 100, seed: 31 },
  );
});
