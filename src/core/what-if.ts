/**
 * What-if: the same scenario planned again with one thing changed at a time — each
 * array's dtype (and the peak of every f32/f16 combination, as the seed on memory-safe
 * streaming asks), the buffer sets, the headroom, the budget halved and doubled.
 *
 * Pure: every row is {@link planScenario} of a changed copy of the scenario, with the
 * plan options of the real run (its kernel's dispatch limit), so a row adopted in the
 * app plans exactly as its line in the table says.
 */
import type { Dtype } from './dtypes.ts';
import { planScenario, type BoundBy, type PlanErrorCode, type PlanOptions } from './planner.ts';
import { kMaxBytes, type Scenario, type ScenarioIssue } from './scenario.ts';
import { formatBytes } from './units.ts';

/** Dtypes a float array may take in the table: the two the WebGPU backend stores. */
export const kWhatIfDtypes = ['f32', 'f16'] as const satisfies readonly Dtype[];
/** Headrooms the table tries besides the scenario's own. */
export const kWhatIfHeadrooms = [0, 0.1, 0.25] as const;
/** Float arrays up to this count get every dtype combination; past it, one array at a time. */
export const kMaxCombinedArrays = 6;

/** The group a row belongs to: the one thing it changes. */
export type WhatIfKind = 'as planned' | 'dtype' | 'bufferSets' | 'headroom' | 'budget';

/** One row of the table: what changed, the scenario it gives, and that scenario's plan. */
export interface WhatIfRow {
  kind: WhatIfKind;
  /** The change in words: `state f16`, `bufferSets 2`, `budget 16 MiB (doubled)`. */
  change: string;
  /** The changed scenario, every default applied: what adopting the row loads. */
  scenario: Scenario;
  /**
   * Why the scenario's kernel refuses the changed scenario, where it does (lorenz-rk4
   * takes f32 only): the row still shows its plan, which is what the f16 rung of the
   * recovery ladder gets by storing f32 arrays as f16, but it cannot be run as written.
   */
  refused?: string;
  /** The outcome: the plan's numbers, or why there is none. */
  outcome:
    | { ok: true; chunkLength: number; numChunks: number; finalChunkLength: number; perRunBytes: bigint; predictedPeakBytes: bigint; boundBy: BoundBy }
    | { ok: false; code: PlanErrorCode; message: string };
}

/** What besides the scenario the table needs: the run's plan options, and its kernel's check. */
export interface WhatIfOptions {
  /** The plan options of the real run (its kernel's dispatch limit, the adapter's limits). */
  plan?: PlanOptions;
  /** The kernel's check of a scenario: a row its kernel refuses says so instead of planning. */
  check?: (scenario: Scenario) => ScenarioIssue[];
}

/** The rows of the what-if table for `scenario`, its own plan first. */
export function whatIfTable(scenario: Scenario, options: WhatIfOptions = {}): WhatIfRow[] {
  const rows: WhatIfRow[] = [row('as planned', 'as planned', scenario, options)];
  for (const [change, changed] of dtypeVariants(scenario)) rows.push(row('dtype', change, changed, options));
  const otherSets = scenario.planner.bufferSets === 1 ? 2 : 1;
  rows.push(row('bufferSets', `bufferSets ${otherSets}`, { ...scenario, planner: { ...scenario.planner, bufferSets: otherSets } }, options));
  for (const headroom of kWhatIfHeadrooms) {
    if (headroom === scenario.planner.headroom) continue;
    rows.push(row('headroom', `headroom ${headroom}`, { ...scenario, planner: { ...scenario.planner, headroom } }, options));
  }
  const budget = scenario.device.budgetBytes;
  const budgets: [string, number][] = [['halved', Math.max(1, Math.floor(budget / 2))], ['doubled', Math.min(kMaxBytes, budget * 2)]];
  for (const [how, budgetBytes] of budgets) {
    if (budgetBytes === budget) continue;
    rows.push(row('budget', `budget ${formatBytes(budgetBytes)} (${how})`, { ...scenario, device: { ...scenario.device, budgetBytes } }, options));
  }
  return rows;
}

function row(kind: WhatIfKind, change: string, scenario: Scenario, options: WhatIfOptions): WhatIfRow {
  const issue = options.check?.(scenario)[0];
  const planned = planScenario(scenario, options.plan);
  const outcome: WhatIfRow['outcome'] = planned.ok
    ? {
        ok: true,
        chunkLength: planned.plan.chunkLength,
        numChunks: planned.plan.numChunks,
        finalChunkLength: planned.plan.finalChunkLength,
        perRunBytes: planned.plan.perRunBytes,
        predictedPeakBytes: planned.plan.predictedPeakBytes,
        boundBy: planned.plan.boundBy,
      }
    : { ok: false, code: planned.error.code, message: planned.error.message };
  return { kind, change, scenario, outcome, ...(issue && { refused: `${issue.path}: ${issue.message}` }) };
}

/**
 * Every f32/f16 combination of the float arrays (f16, f32, f64) but the scenario's own,
 * named by the arrays whose dtype differs from the scenario's; past
 * {@link kMaxCombinedArrays} float arrays, each array alone and all of them together.
 */
function dtypeVariants(scenario: Scenario): [string, Scenario][] {
  const floats = scenario.arrays.flatMap((a, i) => (a.dtype === 'f16' || a.dtype === 'f32' || a.dtype === 'f64' ? [i] : []));
  const choices: Dtype[][] = [];
  if (floats.length <= kMaxCombinedArrays) {
    for (let mask = 0; mask < 2 ** floats.length; mask++) choices.push(floats.map((_, k) => kWhatIfDtypes[(mask >> k) & 1]));
  } else {
    for (const [k] of floats.entries()) {
      for (const dtype of kWhatIfDtypes) choices.push(floats.map((i, j) => (j === k ? dtype : scenario.arrays[i].dtype)));
    }
    for (const dtype of kWhatIfDtypes) choices.push(floats.map(() => dtype));
  }
  const seen = new Set<string>();
  const variants: [string, Scenario][] = [];
  for (const dtypes of choices) {
    const changed = floats.flatMap((i, k) => (scenario.arrays[i].dtype === dtypes[k] ? [] : [`${scenario.arrays[i].name} ${dtypes[k]}`]));
    const key = dtypes.join(',');
    if (changed.length === 0 || seen.has(key)) continue;
    seen.add(key);
    const arrays = scenario.arrays.map((a, i) => {
      const k = floats.indexOf(i);
      return k < 0 ? a : { ...a, dtype: dtypes[k] };
    });
    variants.push([changed.join(', '), { ...scenario, arrays }]);
  }
  return variants;
}

/** A row as `chunkscope plan --what-if --json` writes it and the app's table shows it: no scenario. */
export type WhatIfRecord = Pick<WhatIfRow, 'kind' | 'change' | 'refused'> &
  (Extract<WhatIfRow['outcome'], { ok: true }> | { ok: false; error: { code: PlanErrorCode; message: string } });

/** The record of a row, for JSON and for comparing the app's table with the command's. */
export function whatIfRecord({ kind, change, outcome, refused }: WhatIfRow): WhatIfRecord {
  const head = { kind, change, ...(refused !== undefined && { refused }) };
  return outcome.ok ? { ...head, ...outcome } : { ...head, ok: false, error: { code: outcome.code, message: outcome.message } };
}
