/**
 * `chunkscope import-snapshot <snapshot.json | ->`: a PyTorch memory snapshot as a
 * chunkscope trace: allocated and reserved bytes over time, the peak and the allocation
 * that set it with its frames, and any out-of-memory it recorded.
 */
import { parseArgs } from 'node:util';
import { stringifyJson } from '../core/json.ts';
import { toSnapshotTraceFile } from '../core/snapshot-trace.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { checkOutputPaths, writeOutputs } from './output-files.ts';
import { loadSnapshot } from './snapshot-source.ts';
import { formatSnapshotImport, snapshotImportJson } from './snapshot-text.ts';

/** Help for `chunkscope import-snapshot`. */
export const kImportSnapshotHelp = `usage: chunkscope import-snapshot <snapshot.json | -> [--device N] [--trace out.json] [--json]

Reads a PyTorch memory snapshot saved as JSON (the dict torch.cuda.memory._snapshot()
returns, with the history _record_memory_history records) and prints the allocated and
reserved peaks, the allocation that set the allocated peak with its frames, and any
out-of-memory the snapshot recorded.

  <snapshot.json>   the snapshot; - reads it from standard input
  --device N        which device's trace (default: the first with entries)
  --trace <file>    write its events as a chunkscope snapshot trace (docs/trace-format.md)
  --json            print the figures as JSON on stdout
  -h, --help        show this help

exit codes: 0 imported, 1 not a snapshot (every problem with its path), 64 a usage error
(an unwritable --trace path included), 73 the --trace file could not be written`;

/** Runs `chunkscope import-snapshot`; returns the exit code. */
export async function importSnapshotCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      device: { type: 'string' },
      trace: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(kImportSnapshotHelp);
    return kExit.ok;
  }
  if (positionals.length !== 1) {
    io.err(`chunkscope import-snapshot: expected one snapshot file (or -), got ${positionals.length}\n\n${kImportSnapshotHelp}`);
    return kExit.usage;
  }
  if (values.trace !== undefined) {
    const unwritable = await checkOutputPaths([{ flag: '--trace', path: values.trace }]);
    if (unwritable.length) {
      io.err(`chunkscope import-snapshot: ${unwritable[0].message}`);
      return kExit.usage;
    }
  }
  const source = positionals[0];
  const loaded = await loadSnapshot(source, values.device);
  if (!loaded.ok) {
    if (loaded.usage) {
      io.err(`chunkscope import-snapshot: ${loaded.message}`);
      return kExit.usage;
    }
    if (values.json) io.out(stringifyJson({ error: { code: 'INVALID_SNAPSHOT', message: loaded.message, issues: loaded.issues } }));
    else io.err([`chunkscope: ${loaded.message}`, ...loaded.issues.map((i) => `  ${i.path || '(snapshot)'}: ${i.message}`)].join('\n'));
    return kExit.invalidScenario;
  }
  if (values.json) io.out(stringifyJson(snapshotImportJson(loaded.trace, source, loaded.entries)));
  else io.out(formatSnapshotImport(loaded.trace, source, loaded.entries));
  if (values.trace === undefined) return kExit.ok;
  const trace = loaded.trace;
  const [unwritten] = await writeOutputs([{ flag: '--trace', path: values.trace, contents: () => `${stringifyJson(toSnapshotTraceFile(trace, source))}\n` }]);
  if (unwritten) {
    io.err(`chunkscope import-snapshot: ${unwritten.message}`);
    return kExit.outputUnwritable;
  }
  if (!values.json) io.err(`wrote ${values.trace}`);
  return kExit.ok;
}
