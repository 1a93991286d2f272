/**
 * `chunkscope plan workload.json`: a workload's lanes, caps, placement and each job's
 * plan. plan-command.ts routes here by content (`"kind": "workload"`).
 */
import { stringifyJson } from '../core/json.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { registerRawImports } from './raw-imports.ts';
import { formatWorkloadPlan } from './workload-text.ts';

/** Plans the workload read from `source`; returns the exit code. */
export async function planWorkloadCommand(source: string, json: unknown, asJson: boolean, io: CliIo): Promise<number> {
  const prepared = await loadWorkload(source, json, asJson, io);
  if (typeof prepared === 'number') return prepared;
  const { summarizeWorkloadPlan } = await import('../engine/workload-summary.ts');
  const summary = summarizeWorkloadPlan(prepared);
  io.out(asJson ? stringifyJson(summary) : formatWorkloadPlan(summary));
  return kExit.ok;
}

/** Prepares a workload, or prints why it cannot be and returns the exit code (1 invalid, 2 no plan). */
export async function loadWorkload(source: string, json: unknown, asJson: boolean, io: CliIo) {
  // The kernels' WGSL is imported with ?raw: register the loader before the engine loads.
  registerRawImports();
  const { prepareWorkload } = await import('../engine/prepare-workload.ts');
  const prepared = prepareWorkload(json);
  if (prepared.ok) return prepared.workload;
  const { error } = prepared;
  const exit = error.code === 'INVALID_WORKLOAD' ? kExit.invalidScenario : kExit.infeasible;
  if (asJson) {
    io.out(stringifyJson({ error }));
  } else if ('issues' in error) {
    io.err([`chunkscope: ${source} is not a valid workload: ${error.message}`, ...error.issues.map((i) => `  ${i.path || '(workload)'}: ${i.message}`)].join('\n'));
  } else {
    io.err(`chunkscope: no plan (${error.code}) at ${error.path}: ${error.message}`);
  }
  return exit;
}
