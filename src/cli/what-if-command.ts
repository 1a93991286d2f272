/**
 * `chunkscope plan --what-if`: the scenario planned again with one thing changed at a
 * time, as the app's what-if table shows it (both come from core's `whatIfTable`).
 */
import { stringifyJson } from '../core/json.ts';
import type { ScenarioIssue } from '../core/scenario.ts';
import { formatBytes, formatCount } from '../core/units.ts';
import { whatIfRecord, type WhatIfRecord } from '../core/what-if.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { registerRawImports } from './raw-imports.ts';
import { readSource } from './scenario-source.ts';

/**
 * Prints the what-if table of the scenario at `source`. Exit 0 when the scenario as
 * written has a plan, 2 when it has none (the table still shows what would give one),
 * 1 when it is not a valid scenario.
 */
export async function whatIfCommand(source: string, io: CliIo, json: boolean): Promise<number> {
  const read = await readSource(source);
  if (!read.ok) return refuse(io, json, read.message, []);
  // The kernels' WGSL is imported with ?raw: register the loader before the engine loads.
  registerRawImports();
  const { whatIfFor } = await import('../engine/what-if-for.ts');
  const reply = whatIfFor(read.json);
  if (!reply.ok) return refuse(io, json, `${source} is not a valid scenario`, reply.issues);
  const records = reply.rows.map(whatIfRecord);
  io.out(json ? stringifyJson({ kind: 'what-if', scenario: reply.rows[0].scenario.name, rows: records }) : formatWhatIf(records));
  return records[0].ok ? kExit.ok : kExit.infeasible;
}

/** The table as aligned text, one row per change. */
export function formatWhatIf(records: readonly WhatIfRecord[]): string {
  const header = ['change', 'per run', 'chunkLength', 'chunks', 'final chunk', 'peak', 'bound by'];
  const rows = records.map((r) =>
    r.ok
      ? [r.change, formatBytes(r.perRunBytes), formatCount(r.chunkLength), formatCount(r.numChunks), formatCount(r.finalChunkLength), formatBytes(r.predictedPeakBytes), r.boundBy]
      : [r.change, '', 'no plan', '', '', '', r.error.code],
  );
  const refusals = new Set(records.flatMap((r) => (r.refused ? [r.refused] : [])));
  const all = [header, ...rows];
  const widths = header.map((_, col) => all.reduce((w, row) => Math.max(w, row[col].length), 0));
  const lines = all.map((row, i) => {
    const text = row.map((cell, col) => (col === 0 || col === 6 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('  ').trimEnd();
    return i > 0 && records[i - 1].refused ? `${text} *` : text;
  });
  if (refusals.size) {
    lines.push('', '* the kernel refuses this as written; the plan is what the f16 rung of the recovery ladder gets by storing f32 arrays as f16:');
    for (const r of refusals) lines.push(`  ${r}`);
  }
  return lines.join('\n');
}

function refuse(io: CliIo, json: boolean, message: string, issues: ScenarioIssue[]): number {
  if (json) io.out(stringifyJson({ error: { code: 'INVALID_SCENARIO', message, issues } }));
  else io.err([`chunkscope: ${message}`, ...issues.map((i) => `  ${i.path || '(scenario)'}${i.array ? ` (array "${i.array}")` : ''}: ${i.message}`)].join('\n'));
  return kExit.invalidScenario;
}
