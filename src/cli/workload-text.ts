/**
 * The readable form of a workload's plan, as `chunkscope plan workload.json` prints it.
 */
import { formatBytesExact, formatCount } from '../core/units.ts';
import type { WorkloadPlanSummary } from '../engine/workload-summary.ts';

/** Lanes with caps, the load table, each job's budget and plan, and any over-commitment. */
export function formatWorkloadPlan(plan: WorkloadPlanSummary): string {
  const { device } = plan;
  const lines: string[] = [
    `${plan.name}: ${plan.jobs.length} ${plan.jobs.length === 1 ? 'job' : 'jobs'} on ${plan.lanes.length} ${plan.lanes.length === 1 ? 'lane' : 'lanes'}`,
    `device        ${formatBytesExact(device.budgetBytes)}, ${device.mode}${device.mps ? ' with MPS' : ''}` +
      `${plan.parentHoldsDevice ? ', opened by the parent first' : ''}; isolation ${plan.isolation}; placement ${plan.placement}`,
    '',
  ];
  const laneRows = plan.lanes.map((lane) => [
    lane.name,
    lane.share === 'auto' ? 'auto' : String(lane.share),
    formatBytesExact(lane.capBytes),
    String(lane.jobs.length),
    formatCount(lane.load),
    lane.ofMean.toFixed(2),
  ]);
  lines.push(...table([['lane', 'share', 'cap', 'jobs', 'load', 'of mean'], ...laneRows]));
  lines.push(`imbalance     ${plan.imbalance.toFixed(3)} (busiest lane ÷ mean)`);
  lines.push('');
  const jobRows = plan.jobs.map((job) => [
    job.name,
    job.lane,
    job.plan ? `${formatBytesExact(job.budgetBytes)}${job.budgetFrom === 'scenario' ? ' (own)' : ''}` : '—',
    job.plan ? `${formatCount(job.plan.numChunks)} × ${formatCount(job.plan.chunkLength)} (${job.plan.boundBy})` : 'placed, not run',
    job.plan ? formatBytesExact(job.plan.predictedPeakBytes) : '—',
    `${formatCount(job.weight)}${job.weightFrom === 'plan' ? ' B moved' : ''}`,
    job.holdsMemoryUntilExit ? 'holds memory' : '',
  ]);
  lines.push(...table([['job', 'lane', 'budget', 'chunks × length', 'peak', 'weight', ''], ...jobRows]));
  if (plan.overCommit) {
    const { lanesBudgetBytes, deviceBudgetBytes } = plan.overCommit;
    lines.push('');
    lines.push(
      `over-commit   the lanes may ask for ${formatBytesExact(lanesBudgetBytes)} at once, over the device's ${formatBytesExact(deviceBudgetBytes)}:` +
        ' the device ledger refuses what passes the device, and each job\'s ladder must recover',
    );
  }
  return lines.join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, col) => rows.reduce((w, row) => Math.max(w, row[col].length), 0));
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd());
}
