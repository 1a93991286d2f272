/**
 * The what-if table of any JSON value, with the plan options a run of it would get:
 * the same kernel lookup and {@link planOptionsFor} as {@link prepareRun}, so each row
 * plans as the run would. Unlike a run it needs no feasible plan: for an infeasible
 * scenario the table is what shows which change makes one.
 */
import { parseScenario, type ScenarioIssue } from '../core/scenario.ts';
import { whatIfTable, type WhatIfRow } from '../core/what-if.ts';
import { kernelFor } from '../kernels/registry.ts';
import { planOptionsFor, type PrepareOptions } from './prepare-run.ts';

/** The table, or why the scenario cannot have one (it is invalid, or not for its kernel). */
export type WhatIfReply = { ok: true; rows: WhatIfRow[] } | { ok: false; issues: ScenarioIssue[] };

/** The what-if rows of `input` where a run would go; never throws. */
export function whatIfFor(input: unknown, where: PrepareOptions = {}): WhatIfReply {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const lookup = kernelFor(parsed.scenario);
  if (!lookup.ok) return { ok: false, issues: lookup.issues };
  const { kernel } = lookup;
  return { ok: true, rows: whatIfTable(parsed.scenario, { plan: planOptionsFor(kernel, where), check: (s) => kernel.check(s) }) };
}
