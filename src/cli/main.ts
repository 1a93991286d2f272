/**
 * The `chunkscope` command line: one table of subcommands.
 */
import { pathToFileURL } from 'node:url';
import { kExit } from './exit-codes.ts';
import { cancelOnSignals, type Interrupt } from './interrupt.ts';
import { kProcessIo, type CliIo } from './io.ts';
import { importRequestsCommand, kImportRequestsHelp } from './import-requests-command.ts';
import { importSnapshotCommand, kImportSnapshotHelp } from './import-snapshot-command.ts';
import { kReplaySnapshotHelp, replaySnapshotCommand } from './replay-snapshot-command.ts';
import { kPlanHelp, planCommand } from './plan-command.ts';
import { kRunHelp, runCommand } from './run-command.ts';
import { kSoakHelp, soakCommand } from './soak-command.ts';

interface Command {
  summary: string;
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const kCommands: ReadonlyMap<string, Command> = new Map(Object.entries({
  plan: { summary: 'split a scenario into chunks and print the plan', help: kPlanHelp, run: planCommand },
  run: { summary: 'run a scenario on WebGPU or the CPU, verify it and report the peak', help: kRunHelp, run: runCommand },
  soak: { summary: 'run a scenario again and again on one device and say whether memory grows', help: kSoakHelp, run: soakCommand },
  'import-requests': {
    summary: 'convert legacy array requests into a scenario',
    help: kImportRequestsHelp,
    run: importRequestsCommand,
  },
  'import-snapshot': { summary: 'read a PyTorch memory snapshot: allocated and reserved peaks, who set them, its OOM', help: kImportSnapshotHelp, run: importSnapshotCommand },
  'replay-snapshot': { summary: 're-run a PyTorch snapshot\'s allocations on WebGPU under a budget and allocator model', help: kReplaySnapshotHelp, run: replaySnapshotCommand },
}));

/** Help for `chunkscope` itself. */
export function mainHelp(): string {
  const names = [...kCommands.keys()];
  const width = names.reduce((w, n) => Math.max(w, n.length), 0);
  return [
    'usage: chunkscope <command> [options]',
    '',
    'chunkscope plans and runs batches of GPU work split into chunks that fit a memory budget.',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${kCommands.get(n)!.summary}`),
    '',
    'Run `chunkscope <command> --help` for its options.',
  ].join('\n');
}

/** Runs the command line `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = kProcessIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? kExit.usage : kExit.ok;
  }
  const command = kCommands.get(name);
  if (!command) {
    io.err(`chunkscope: unknown command "${name}"\n\n${mainHelp()}`);
    return kExit.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // parseArgs throws on unknown options; anything else is a bug worth showing whole.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`chunkscope ${name}: ${(err as Error).message}\n\n${command.help}`);
      return kExit.usage;
    }
    throw err;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let interrupt: Interrupt | undefined;
  const io: CliIo = {
    ...kProcessIo,
    ...(process.stderr.isTTY && { errTerminal: { write: (text: string) => process.stderr.write(text), columns: process.stderr.columns } }),
    cancelOnSignals: () => (interrupt ??= cancelOnSignals()).signal,
  };
  try {
    process.exitCode = await main(process.argv.slice(2), io);
  } finally {
    interrupt?.dispose();
  }
}
