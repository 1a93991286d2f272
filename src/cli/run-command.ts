/**
 * `chunkscope run <file | ->`: runs a scenario on WebGPU (Dawn, through the `webgpu`
 * package) or on the CPU, verifies it and prints the report.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stringifyJson } from '../core/json.ts';
import { toChromeTrace } from '../core/trace.ts';
import { outcomeOf } from '../core/run-outcome.ts';
import { timelineCsv, toTraceFile } from '../core/trace-file.ts';
import { chooseBackend, kBackendChoices, type BackendChoice } from './cli-backend.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { loadRun, reportLoadFailure } from './scenario-source.ts';

/** Help for `chunkscope run`. */
export const kRunHelp = `usage: chunkscope run <scenario.json | -> [--backend auto|webgpu|cpu] [--json]
                      [--trace out.json] [--chrome-trace out.json] [--csv out.csv]

Runs a scenario chunk by chunk, records every allocation, checks the outputs against
the kernel's CPU twin and against one chunk, and reports the measured peak.

  <scenario.json>     the scenario file; - reads it from standard input
  --backend <name>    auto (default): a WebGPU adapter, else SwiftShader, else the CPU;
                      webgpu: WebGPU or fail; cpu: the kernels' CPU twins
  --json              print the report (or the error) as JSON on stdout
  --trace <file>      write the trace as versioned JSON with its scenario, its
                      error and verification (docs/trace-format.md); the app's
                      Open trace… re-renders the report from it
  --chrome-trace <file>
                      write the Chrome trace-event format (Perfetto, chrome://tracing)
  --csv <file>        write the memory timeline as CSV
  -h, --help          show this help

exit codes: 0 verified, 1 an invalid scenario, 2 an infeasible plan, 3 verification
failed, 4 the recovery ladder was exhausted, 69 no WebGPU adapter for --backend webgpu`;


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
  const fail = (code: number, error: Record<string, unknown>, text: string) => {
    if (json) io.out(stringifyJson({ error }));
    else io.err(text);
    return code;
  };

  // Prepared (and planned) before touching a device, so an infeasible scenario fails fast and the same way everywhere.
  const loaded = await loadRun(positionals[0]);
  if (!loaded.ok) return reportLoadFailure(loaded, io, json);
  const prepared = loaded.run;
  const { scenario } = prepared;
  const { runPrepared } = await import('../engine/run-scenario.ts');

  const chosen = await chooseBackend(backendChoice, scenario);
  if (!chosen.ok) return fail(kExit.noDevice, { code: 'NO_DEVICE', message: chosen.message }, `chunkscope: ${chosen.message}`);
  const { backend, device, requestDevice, uncaptured } = chosen.value;
  let deviceWords = chosen.value.words;

  try {
    let outcome = await runPrepared(prepared, { backend, device, requestDevice });
    if (backendChoice === 'auto' && outcome.ok && outcome.report.error?.code === 'TOO_MANY_BINDINGS') {
      // auto means "wherever it can run": the CPU binds any number of arrays.
      deviceWords = `the CPU: ${outcome.report.error.message}`;
      outcome = await runPrepared(prepared, { backend: 'cpu' });
    }
    if (!outcome.ok) {
      const error = outcome.error;
      const code = error.code === 'INVALID_SCENARIO' ? kExit.invalidScenario : error.code === 'NO_DEVICE' ? kExit.noDevice : kExit.infeasible;
      return fail(code, { ...error }, `chunkscope: no run (${error.code}): ${error.message}`);
    }
    const report = outcome.report;
    if (values.trace) await writeFile(values.trace, stringifyJson(toTraceFile(scenario, deviceWords, report.trace, outcomeOf(report))));
    if (values['chrome-trace']) await writeFile(values['chrome-trace'], stringifyJson(toChromeTrace(report.trace)));
    if (values.csv) await writeFile(values.csv, timelineCsv(report.trace));
    if (json) io.out(stringifyJson({ ...(await import('./run-text.ts')).reportJson(report, deviceWords), uncapturedErrors: uncaptured }));
    else io.out((await import('./run-text.ts')).formatRunReport(report, deviceWords));
    if (uncaptured.length && !json) io.err(`chunkscope: ${uncaptured.length} uncaptured WebGPU error(s):\n  ${uncaptured.join('\n  ')}`);
    switch (report.status) {
      case 'ok':
        return report.verification?.passed === false ? kExit.verificationFailed : kExit.ok;
      case 'ladder-exhausted':
        return kExit.ladderExhausted;
      case 'error':
        return report.error?.code === 'KERNEL_COMPILE' ? kExit.internal : kExit.infeasible;
      case 'cancelled':
        return kExit.usage;
    }
    return kExit.internal;
  } finally {
    chosen.value.dispose();
  }
}
