/**
 * `chunkscope plan <file | ->`: validates a scenario and prints its plan.
 */
import { parseArgs } from 'node:util';
import { stringifyJson } from '../core/json.ts';
import { planScenario } from '../core/planner.ts';
import { kExit } from './exit-codes.ts';
import { formatPlan } from './plan-text.ts';
import { loadScenario } from './scenario-source.ts';
import type { CliIo } from './io.ts';

/** Help for `chunkscope plan`. */
export const kPlanHelp = `usage: chunkscope plan <scenario.json | -> [--json]

Plans a scenario: splits its runs into chunks that fit the budget and the limits.

  <scenario.json>  the scenario file; - reads it from standard input
  --json           print the plan (or the error) as JSON on stdout
  -h, --help       show this help

exit codes: 0 a plan, 1 an invalid scenario, 2 an infeasible plan`;

/** Runs `chunkscope plan` with `args` (after the subcommand); returns the exit code. */
export async function planCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.out(kPlanHelp);
    return kExit.ok;
  }
  if (positionals.length !== 1) {
    io.err(`chunkscope plan: expected one scenario file (or -), got ${positionals.length}\n\n${kPlanHelp}`);
    return kExit.usage;
  }
  const loaded = await loadScenario(positionals[0]);
  if (!loaded.ok) {
    const path = loaded.issues[0]?.path;
    if (values.json) {
      io.out(stringifyJson({ error: { code: 'INVALID_SCENARIO', message: loaded.message, ...(path !== undefined && { path }), issues: loaded.issues } }));
    } else {
      io.err([`chunkscope: ${loaded.message}`, ...loaded.issues.map((i) => `  ${i.path || '(scenario)'}: ${i.message}`)].join('\n'));
    }
    return kExit.invalidScenario;
  }
  const result = planScenario(loaded.scenario);
  if (!result.ok) {
    if (values.json) io.out(stringifyJson({ error: result.error }));
    else io.err(`chunkscope: no plan (${result.error.code}): ${result.error.message}`);
    return kExit.infeasible;
  }
  io.out(values.json ? stringifyJson(result.plan) : formatPlan(result.plan, loaded.scenario.name));
  return kExit.ok;
}
