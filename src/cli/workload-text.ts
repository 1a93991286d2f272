/**
 * The readable form of a workload's plan and run, as `chunkscope plan` and `chunkscope run` print them.
 */
import { formatBytesExact, formatCount, formatDuration } from '../core/units.ts';
import type { WorkloadRunSummary } from '../engine/workload-report.ts';
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
  for (const item of table([['lane', 'share', 'cap', 'jobs', 'load', 'of mean'], ...laneRows])) lines.push(item);
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
  for (const item of table([['job', 'lane', 'budget', 'chunks × length', 'peak', 'weight', ''], ...jobRows])) lines.push(item);
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

/** A workload's run: each job's outcome on its lane, the device's peak and who set it, what was left, and why jobs failed. */
export function formatWorkloadRun(summary: WorkloadRunSummary): string {
  const lines: string[] = [`${summary.name}: ran on ${summary.adapter}, ${summary.lanes.length} ${summary.lanes.length === 1 ? 'lane' : 'lanes'} in ${formatDuration(summary.wallMs)}`, ''];
  const rows = summary.jobs.map((job) => [
    job.name,
    job.lane,
    job.status,
    job.backend ?? '—',
    job.peak ? `${formatBytesExact(job.peak.predictedBytes)} / ${formatBytesExact(job.peak.measuredBytes)}` : '—',
    job.fallbacks?.length ? job.fallbacks.map((f) => f.to).join(' → ') : '—',
    job.verification ? (job.verification.passed ? 'passed' : 'FAILED') : '—',
    job.start !== undefined && job.end !== undefined ? `${formatDuration(job.start)} – ${formatDuration(job.end)}` : '—',
  ]);
  for (const item of table([['job', 'lane', 'status', 'backend', 'peak predicted / measured', 'fallbacks', 'verified', 'when'], ...rows])) lines.push(item);
  lines.push('');
  const { device } = summary;
  const share = ((device.peakBytes / device.budgetBytes) * 100).toFixed(1);
  lines.push(`device peak   ${formatBytesExact(device.peakBytes)} of ${formatBytesExact(device.budgetBytes)} (${share}%)` +
    (device.setBy ? `, set by ${device.setBy.job ? `job "${device.setBy.job}"` : 'the parent'} on lane "${device.setBy.lane}" allocating "${device.setBy.label}"` : ''));
  lines.push(`left after    ${summary.liveBuffersAfter} live buffers, ${summary.devicesAfter} devices, ${formatBytesExact(device.liveBytesAfter)} in the ledger`);
  for (const crash of summary.crashedLanes) lines.push(`lane crashed  "${crash.lane}": ${crash.message}`);
  const failed = summary.jobs.filter((job) => job.error);
  if (failed.length) {
    lines.push('');
    lines.push('failed jobs');
    for (const job of failed) lines.push(`  ${job.name} (lane ${job.lane}): ${job.error!.code}${job.error!.fault ? ` after ${job.error!.fault}` : ''} — ${job.error!.message}`);
  }
  return lines.join('\n');
}
