/**
 * `chunkscope import-requests <file | ->`: converts legacy array requests into a scenario.
 */
import { parseArgs } from 'node:util';
import { stringifyJson } from '../core/json.ts';
import { importLegacyRequests } from '../core/legacy-requests.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { checkOutputPaths, writeOutputs } from './output-files.ts';
import { readSource } from './scenario-source.ts';

/** Help for `chunkscope import-requests`. */
export const kImportRequestsHelp = `usage: chunkscope import-requests <requests.json | -> [--name NAME] [--budget BYTES] [--out FILE] [--json]

Converts a JSON list (or label → request map) of array requests in the style of GPU
batch solvers — shape, dtype, chunk_axis_index, total_runs, unchunkable, memory — into a
chunkscope scenario, and names the classic mistakes instead of failing on them.

  <requests.json>  the requests; - reads them from standard input
  --name NAME      the scenario's name (default "Imported requests")
  --budget BYTES   the scenario's budget in bytes (default 64 MiB)
  --out FILE       write the scenario to FILE instead of standard output (checked
                   first; written whole or not at all)
  --json           print mistakes as JSON on stdout
  -h, --help       show this help

exit codes: 0 converted, 1 the requests hold mistakes, 64 a usage error (an --out
that cannot be written included), 73 --out could not be written after all (the
scenario goes to standard output instead)`;

/** Runs `chunkscope import-requests`; returns the exit code. */
export async function importRequestsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      budget: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(kImportRequestsHelp);
    return kExit.ok;
  }
  if (positionals.length !== 1) {
    io.err(`chunkscope import-requests: expected one requests file (or -), got ${positionals.length}\n\n${kImportRequestsHelp}`);
    return kExit.usage;
  }
  const budgetBytes = values.budget === undefined ? undefined : Number(values.budget);
  if (budgetBytes !== undefined && !(Number.isSafeInteger(budgetBytes) && budgetBytes > 0)) {
    io.err(`chunkscope import-requests: --budget must be a positive whole number of bytes, got "${values.budget}"`);
    return kExit.usage;
  }
  if (values.out !== undefined) {
    const unwritable = await checkOutputPaths([{ flag: '--out', path: values.out }]);
    if (unwritable.length) {
      io.err(`chunkscope import-requests: ${unwritable[0].message}`);
      return kExit.usage;
    }
  }
  const source = await readSource(positionals[0]);
  if (!source.ok) {
    io.err(`chunkscope: ${source.message}`);
    return kExit.invalidScenario;
  }
  const result = importLegacyRequests(source.json, { name: values.name, budgetBytes });
  if (!result.ok) {
    const problems = [...result.mistakes, ...result.issues.map((i) => ({ code: 'INVALID_SCENARIO', ...i }))];
    if (values.json) io.out(stringifyJson({ error: { code: 'INVALID_REQUESTS', message: `${positionals[0]} holds ${problems.length} mistake(s)`, mistakes: problems } }));
    else io.err([`chunkscope: ${positionals[0]} cannot become a scenario:`, ...problems.map((m) => `  ${m.path || '(requests)'}: ${m.code}: ${m.message}`)].join('\n'));
    return kExit.invalidScenario;
  }
  for (const note of result.notes) io.err(`note: ${note}`);
  const text = stringifyJson(result.scenario);
  if (values.out === undefined) {
    io.out(text);
    return kExit.ok;
  }
  const [unwritten] = await writeOutputs([{ flag: '--out', path: values.out, contents: () => `${text}\n` }]);
  if (unwritten) {
    // The scenario is not lost: it goes where it would have gone without --out.
    io.out(text);
    io.err(`chunkscope import-requests: ${unwritten.message}; the scenario is on standard output instead`);
    return kExit.outputUnwritable;
  }
  io.err(`wrote ${values.out}`);
  return kExit.ok;
}
