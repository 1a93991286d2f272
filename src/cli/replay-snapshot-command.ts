/**
 * `chunkscope replay-snapshot <snapshot.json | -> --budget B [--model exact|caching]`:
 * a PyTorch snapshot's allocation sequence re-run on real WebGPU buffers under a budget
 * and an allocator model: the first request that fails, with the fragmentation at that
 * moment, or the peaks it fits in.
 */
import { parseArgs } from 'node:util';
import { kAllocatorModels, type AllocatorModelName } from '../core/allocator-model.ts';
import { stringifyJson } from '../core/json.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { loadSnapshot } from './snapshot-source.ts';
import { formatReplay, replayJson } from './snapshot-text.ts';

/** Help for `chunkscope replay-snapshot`. */
export const kReplaySnapshotHelp = `usage: chunkscope replay-snapshot <snapshot.json | -> --budget BYTES [--model exact|caching]
                                 [--device N] [--json]

Re-runs a PyTorch snapshot's allocations and frees (those live before its trace first,
the request it ran out of memory on last) on real WebGPU buffers under a budget: each
segment is a buffer counted against the budget. Says which request fails first, with
allocated, reserved and reserved-but-free bytes and the fragmentation at that moment, or
the peaks the sequence fits in.

  <snapshot.json>   the snapshot; - reads it from standard input
  --budget BYTES    device bytes the allocator may reserve
  --model <name>    exact (default): one buffer per request; caching: PyTorch's caching
                    allocator (2 MiB segments, best fit, blocks kept reserved when freed)
  --device N        which device's trace (default: the first with entries)
  --json            print the outcome as JSON on stdout
  -h, --help        show this help

exit codes: 0 fits, 1 not a snapshot, 7 a request does not fit, 64 a usage error,
69 no WebGPU adapter`;

/** Runs `chunkscope replay-snapshot`; returns the exit code. */
export async function replaySnapshotCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      budget: { type: 'string' },
      model: { type: 'string', default: 'exact' },
      device: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(kReplaySnapshotHelp);
    return kExit.ok;
  }
  const usage = (message: string) => {
    io.err(`chunkscope replay-snapshot: ${message}\n\n${kReplaySnapshotHelp}`);
    return kExit.usage;
  };
  if (positionals.length !== 1) return usage(`expected one snapshot file (or -), got ${positionals.length}`);
  const budgetBytes = Number(values.budget);
  if (values.budget === undefined || !(Number.isSafeInteger(budgetBytes) && budgetBytes > 0)) {
    return usage(`--budget must be a positive whole number of bytes, got ${values.budget === undefined ? 'none' : `"${values.budget}"`}`);
  }
  const model = values.model as AllocatorModelName;
  if (!kAllocatorModels.includes(model)) return usage(`--model must be one of ${kAllocatorModels.join(', ')}, not "${values.model}"`);

  const source = positionals[0];
  const loaded = await loadSnapshot(source, values.device);
  if (!loaded.ok) {
    if (loaded.usage) return usage(loaded.message);
    if (values.json) io.out(stringifyJson({ error: { code: 'INVALID_SNAPSHOT', message: loaded.message, issues: loaded.issues } }));
    else io.err([`chunkscope: ${loaded.message}`, ...loaded.issues.map((i) => `  ${i.path || '(snapshot)'}: ${i.message}`)].join('\n'));
    return kExit.invalidScenario;
  }

  const { acquireNodeDevice } = await import('../engine/node-device.ts');
  const uncaptured: string[] = [];
  const acquired = await acquireNodeDevice({ uncapturedError: (m) => uncaptured.push(m) });
  if (!acquired.ok) {
    if (values.json) io.out(stringifyJson({ error: { code: 'NO_DEVICE', message: acquired.message } }));
    else io.err(`chunkscope: ${acquired.message}`);
    return kExit.noDevice;
  }
  const { device } = acquired.value;
  const deviceWords = `${acquired.value.via === 'swiftshader' ? 'SwiftShader' : 'WebGPU adapter'}: ${acquired.value.description}`;
  try {
    const { replayAllocator, replaySnapshot } = await import('../engine/snapshot-replay.ts');
    const outcome = await replaySnapshot(device, loaded.trace.requests, { budgetBytes, allocator: replayAllocator(model) });
    if (values.json) io.out(stringifyJson({ ...replayJson(outcome, loaded.trace, source, deviceWords), uncapturedErrors: uncaptured }));
    else io.out(formatReplay(outcome, loaded.trace, source, deviceWords));
    if (uncaptured.length && !values.json) io.err(`chunkscope: ${uncaptured.length} uncaptured WebGPU error(s):\n  ${uncaptured.join('\n  ')}`);
    return outcome.failure ? kExit.replayDoesNotFit : kExit.ok;
  } finally {
    device.destroy();
  }
}
