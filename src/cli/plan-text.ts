/**
 * The readable form of a plan, as `chunkscope plan` prints it.
 */
import { shapeAt, type Plan } from '../core/planner.ts';
import { formatBytes, formatBytesExact, formatCount } from '../core/units.ts';

/** A plan as aligned text: arrays, chunks, what bound them, and the peak against the budget. */
export function formatPlan(plan: Plan, name: string): string {
  const lines: string[] = [];
  lines.push(`${name}: ${formatCount(plan.runs)} runs`);
  lines.push('');
  const header = ['array', 'role', 'dtype', 'shape', 'chunk buffer', 'bytes', 'buffers'];
  const rows = plan.arrays.map((a) => [
    a.name,
    a.role,
    a.dtype,
    `[${a.shape.join(', ')}]`,
    a.chunked ? `[${shapeAt(a.shape, plan.chunkLength).join(', ')}]` : 'fixed',
    formatBytes(a.bytes),
    String(a.buffers),
  ]);
  for (const line of table([header, ...rows])) lines.push(line);
  lines.push('');
  const chunkWord = plan.numChunks === 1 ? 'chunk' : 'chunks';
  lines.push(`chunks        ${formatCount(plan.numChunks)} ${chunkWord} of ${formatCount(plan.chunkLength)} runs`);
  lines.push(
    plan.finalChunkLength === plan.chunkLength
      ? `final chunk   ${formatCount(plan.finalChunkLength)} runs (no dangling chunk)`
      : `final chunk   ${formatCount(plan.finalChunkLength)} runs (dangling)`,
  );
  lines.push(`bound by      ${describeBound(plan)}`);
  lines.push(`fixed         ${formatBytesExact(plan.fixedBytes)}`);
  lines.push(`per run       ${formatBytesExact(plan.perRunBytes)}${plan.bufferSets > 1 ? ` (${plan.bufferSets} buffer sets)` : ''}`);
  const share = plan.budgetBytes === 0n ? 0 : Number((plan.predictedPeakBytes * 10_000n) / plan.budgetBytes) / 100;
  lines.push(`peak          ${formatBytesExact(plan.predictedPeakBytes)} of ${formatBytesExact(plan.budgetBytes)} budget (${share}%)`);
  if (plan.capBytes !== plan.budgetBytes) lines.push(`after headroom ${formatBytesExact(plan.capBytes)} usable`);
  return lines.join('\n');
}

function describeBound(plan: Plan): string {
  if (plan.boundBy === 'fits') return 'nothing: every run fits in one chunk';
  const constraint = plan.constraints.find((c) => c.bound === plan.boundBy)!;
  const where = constraint.array ? ` (array "${constraint.array}")` : '';
  const runnersUp = plan.constraints
    .filter((c) => c !== constraint && c.maxRuns !== null)
    .map((c) => `${c.bound} allows ${formatCount(c.maxRuns!)}`);
  return `${plan.boundBy}${where}${runnersUp.length ? `; ${runnersUp.join(', ')}` : ''}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, col) => rows.reduce((w, row) => Math.max(w, row[col].length), 0));
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd());
}
