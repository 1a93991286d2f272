/**
 * `chunkscope run <file | ->`: runs a scenario on WebGPU (Dawn, through the `webgpu`
 * package) or on the CPU, verifies it and prints the report.
 */
import { parseArgs } from 'node:util';
import { stringifyJson } from '../core/json.ts';
import { toChromeTrace } from '../core/trace.ts';
import { outcomeOf } from '../core/run-outcome.ts';
import { timelineCsv, toTraceFile } from '../core/trace-file.ts';
import { chooseBackend, kBackendChoices, type BackendChoice } from './cli-backend.ts';
import { kExit } from './exit-codes.ts';
import type { RunReport } from '../engine/run-scenario.ts';
import type { CliIo } from './io.ts';
import { checkOutputPaths, writeOutputs, type PendingOutput } from './output-files.ts';
import { progressFor } from './run-progress.ts';
import { outputsError, outputsFor, readHostBudget } from './host-options.ts';
import { loadJson, prepareJson, reportLoadFailure } from './scenario-source.ts';
import { runWorkloadCommand } from './workload-run-command.ts';
import { isWorkloadJson } from '../core/workload.ts';

/** Help for `chunkscope run`. */
export const kRunHelp = `usage: chunkscope run <scenario.json | -> [--backend auto|webgpu|cpu] [--json] [--progress]
                      [--trace out.json] [--chrome-trace out.json] [--csv out.csv]
                      [--outputs DIR] [--host-budget BYTES]

Runs a scenario chunk by chunk, records every allocation, checks the outputs against
the kernel's CPU twin and against one chunk, and reports the measured peak.
A workload ("kind": "workload") runs each lane in a worker thread with its own WebGPU
device under one device ledger; --trace writes every job's events on one clock and
--chrome-trace one process per lane.

  <scenario.json>     the scenario file; - reads it from standard input
  --backend <name>    auto (default): a WebGPU adapter, else SwiftShader, else the CPU;
                      webgpu: WebGPU or fail; cpu: the kernels' CPU twins
  --json              print the report (or the error) as JSON on stdout
  --progress          show progress on standard error even when it is not a
                      terminal, or under --json (on a terminal it shows anyway)
  --trace <file>      write the trace as versioned JSON with its scenario, its
                      error and verification (docs/trace-format.md); the app's
                      Open trace… re-renders the report from it
  --chrome-trace <file>
                      write the Chrome trace-event format (Perfetto, chrome://tracing)
  --csv <file>        write the memory timeline as CSV
  --outputs <dir>     write each output array as <dir>/<name>.npy (C order, the chunk
                      axis cut to the runs finished) and <dir>/manifest.json, chunk by
                      chunk; a run cut short writes its finished runs
  --host-budget <bytes>
                      host memory the run may hold (default: half of this machine's);
                      a run that needs more is refused before it starts
  -h, --help          show this help

Output files are checked before the run starts and written whole or not at all.
SIGINT or SIGTERM (Ctrl-C) cancels the run after its current phase: the finished
runs are reported and the output files written.

exit codes: 0 verified, 1 an invalid scenario, 2 an infeasible plan, 3 verification
failed, 4 the recovery ladder was exhausted, 5 a workload's job failed, 8 over the
host budget, 64 a usage
error (an output path that cannot be written included), 69 no WebGPU adapter for
--backend webgpu (or for a workload), 70 an internal error, 73 the run reported but an
output file could not be written, 130 cancelled`;


/** Runs `chunkscope run` with `args` (after the subcommand); returns the exit code. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      backend: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false },
      trace: { type: 'string' },
      'chrome-trace': { type: 'string' },
      csv: { type: 'string' },
      progress: { type: 'boolean', default: false },
      outputs: { type: 'string' },
      'host-budget': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(kRunHelp);
    return kExit.ok;
  }
  const backendChoice = values.backend as BackendChoice;
  if (!kBackendChoices.includes(backendChoice)) {
    io.err(`chunkscope run: --backend must be one of ${kBackendChoices.join(', ')}, not "${values.backend}"\n\n${kRunHelp}`);
    return kExit.usage;
  }
  if (positionals.length !== 1) {
    io.err(`chunkscope run: expected one scenario file (or -), got ${positionals.length}\n\n${kRunHelp}`);
    return kExit.usage;
  }
  const json = values.json;
  const hostBudget = readHostBudget(values['host-budget']);
  if (!hostBudget.ok) {
    io.err(`chunkscope run: ${hostBudget.message}\n\n${kRunHelp}`);
    return kExit.usage;
  }
  const fail = (code: number, error: Record<string, unknown>, text: string) => {
    if (json) io.out(stringifyJson({ error }));
    else io.err(text);
    return code;
  };

  const outputPaths = [
    { flag: '--trace', path: values.trace },
    { flag: '--chrome-trace', path: values['chrome-trace'] },
    { flag: '--csv', path: values.csv },
    { flag: '--outputs', path: values.outputs, kind: 'folder' as const },
  ].filter((o): o is { flag: string; path: string; kind?: 'folder' } => o.path !== undefined);
  // Checked before the run: a path that cannot be written costs a sentence, not the run.
  const unwritable = await checkOutputPaths(outputPaths);
  if (unwritable.length) {
    const message = unwritable.map((p) => p.message).join('; ');
    return fail(kExit.usage, { code: 'OUTPUT_UNWRITABLE', message, path: unwritable[0].flag }, `chunkscope run: ${unwritable.map((p) => p.message).join('\nchunkscope run: ')}`);
  }

  const read = await loadJson(positionals[0]);
  if (!read.ok) return reportLoadFailure(read, io, json);
  if (isWorkloadJson(read.json)) {
    return runWorkloadCommand(positionals[0], read.json, { json, trace: values.trace, chromeTrace: values['chrome-trace'], backend: backendChoice }, io);
  }
  // Prepared (and planned) before touching a device, so an infeasible scenario fails fast and the same way everywhere.
  const loaded = await prepareJson(positionals[0], read.json);
  if (!loaded.ok) return reportLoadFailure(loaded, io, json);
  const prepared = loaded.run;
  const { scenario } = prepared;
  const { runPrepared } = await import('../engine/run-scenario.ts');
  // From here a signal cancels the run (and the device search) instead of ending the process.
  const signal = io.cancelOnSignals?.();
  const progress = progressFor(io, { forced: values.progress, json });

  const chosen = await chooseBackend(backendChoice, scenario);
  if (!chosen.ok) return fail(kExit.noDevice, { code: 'NO_DEVICE', message: chosen.message }, `chunkscope: ${chosen.message}`);
  const { backend, device, requestDevice, uncaptured } = chosen.value;
  let deviceWords = chosen.value.words;

  const outputSink = outputsFor(values.outputs, scenario);
  const host = { outputs: outputSink, hostBudgetBytes: hostBudget.bytes };
  try {
    const onProgress = progress && ((p: Parameters<typeof progress.update>[0]) => progress.update(p));
    let outcome = await runPrepared(prepared, { backend, device, requestDevice, signal, onProgress, ...host });
    if (backendChoice === 'auto' && outcome.ok && outcome.report.error?.code === 'TOO_MANY_BINDINGS') {
      // auto means "wherever it can run": the CPU binds any number of arrays.
      deviceWords = `the CPU: ${outcome.report.error.message}`;
      outcome = await runPrepared(prepared, { backend: 'cpu', signal, onProgress, ...host });
    }
    progress?.finish();
    if (!outcome.ok) {
      const error = outcome.error;
      const code = error.code === 'INVALID_SCENARIO' ? kExit.invalidScenario
        : error.code === 'NO_DEVICE' ? kExit.noDevice
        : error.code === 'HOST_BUDGET_EXCEEDED' ? kExit.hostBudget
        : kExit.infeasible;
      return fail(code, { ...error }, `chunkscope: no run (${error.code}): ${error.message}`);
    }
    const report = outcome.report;
    const { describeBackend, formatRunReport, reportJson } = await import('./run-text.ts');
    const ranOn = describeBackend(report, deviceWords);
    // Written whatever the status: a cancelled or exhausted run's trace holds its finished runs.
    const outputs: PendingOutput[] = [];
    if (values.trace !== undefined) outputs.push({ flag: '--trace', path: values.trace, contents: () => stringifyJson(toTraceFile(scenario, ranOn, report.trace, outcomeOf(report))) });
    if (values['chrome-trace'] !== undefined) outputs.push({ flag: '--chrome-trace', path: values['chrome-trace'], contents: () => stringifyJson(toChromeTrace(report.trace)) });
    if (values.csv !== undefined) outputs.push({ flag: '--csv', path: values.csv, contents: () => timelineCsv(report.trace) });
    const unwrittenOutputs = outputsError(outputSink);
    const unwritten = [...(await writeOutputs(outputs)), ...(unwrittenOutputs ? [{ flag: '--outputs', path: values.outputs!, message: unwrittenOutputs }] : [])];
    if (json) io.out(stringifyJson({ ...reportJson(report, ranOn), uncapturedErrors: uncaptured, ...(unwritten.length && { unwritten }) }));
    else io.out(formatRunReport(report, ranOn));
    if (uncaptured.length && !json) io.err(`chunkscope: ${uncaptured.length} uncaptured WebGPU error(s):\n  ${uncaptured.join('\n  ')}`);
    for (const u of unwritten) io.err(`chunkscope run: ${u.message}; the report above is all that is left of it`);
    const code = exitCodeOf(report);
    // A run that failed keeps its own code; an unwritten file turns only success into failure.
    return code === kExit.ok && unwritten.length ? kExit.outputUnwritable : code;
  } finally {
    progress?.finish();
    chosen.value.dispose();
  }
}

function exitCodeOf(report: Pick<RunReport, 'status' | 'verification' | 'error'>): number {
  switch (report.status) {
    case 'ok':
      return report.verification?.passed === false ? kExit.verificationFailed : kExit.ok;
    case 'ladder-exhausted':
      return kExit.ladderExhausted;
    case 'error':
      return report.error?.code === 'KERNEL_COMPILE' ? kExit.internal : kExit.infeasible;
    case 'cancelled':
      return kExit.cancelled;
  }
  return kExit.internal;
}
