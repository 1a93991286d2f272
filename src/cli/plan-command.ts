/**
 * `chunkscope plan <file | ->`: validates a scenario and prints its plan.
 */
import { parseArgs } from 'node:util';
import { stringifyJson } from '../core/json.ts';
import { kExit } from './exit-codes.ts';
import { formatPlan } from './plan-text.ts';
import { whatIfCommand } from './what-if-command.ts';
import { loadJson, prepareJson, reportLoadFailure } from './scenario-source.ts';
import { planWorkloadCommand } from './workload-plan-command.ts';
import { isWorkloadJson } from '../core/workload.ts';
import type { CliIo } from './io.ts';

/** Help for `chunkscope plan`. */
export const kPlanHelp = `usage: chunkscope plan <scenario.json | -> [--json] [--what-if]

Plans a scenario: splits its runs into chunks that fit the budget and the limits.
A workload ("kind": "workload") prints its lanes with their caps, the placement and
load table, and each job's budget and plan.

  <scenario.json>  the scenario (or workload) file; - reads it from standard input
  --json           print the plan (or the error) as JSON on stdout
  --what-if        plan again with one thing changed at a time (each float array
                   f32/f16 and every combination, buffer sets, headroom, budget
                   halved and doubled): chunkLength, chunks, final chunk, peak
  -h, --help       show this help

exit codes: 0 a plan, 1 an invalid scenario, 2 an infeasible plan`;

/** Runs `chunkscope plan` with `args` (after the subcommand); returns the exit code. */
export async function planCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, 'what-if': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.out(kPlanHelp);
    return kExit.ok;
  }
  if (positionals.length !== 1) {
    io.err(`chunkscope plan: expected one scenario file (or -), got ${positionals.length}\n\n${kPlanHelp}`);
    return kExit.usage;
  }
  if (values['what-if']) return whatIfCommand(positionals[0], io, values.json);
  const read = await loadJson(positionals[0]);
  if (!read.ok) return reportLoadFailure(read, io, values.json);
  if (isWorkloadJson(read.json)) return planWorkloadCommand(positionals[0], read.json, values.json, io);
  // The plan a run would make, its kernel's dispatch limit included: one plan for everyone.
  const loaded = await prepareJson(positionals[0], read.json);
  if (!loaded.ok) return reportLoadFailure(loaded, io, values.json);
  const { plan, scenario } = loaded.run;
  io.out(values.json ? stringifyJson(plan) : formatPlan(plan, scenario.name));
  return kExit.ok;
}
