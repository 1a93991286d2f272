/**
 * The readable form of a run report, as `chunkscope run` prints it, and its JSON form.
 */
import type { RunReport } from '../engine/run-scenario.ts';
import type { Comparison } from '../engine/verify.ts';
import { formatBytesExact, formatCount, formatDuration } from '../core/units.ts';
import { formatPlan } from './plan-text.ts';


/** The JSON a `--json` run prints: the report without the trace and the host arrays. */
export function reportJson(report: RunReport, device: string): Record<string, unknown> {
  const { trace: _trace, outputs: _outputs, ...rest } = report;
  return { device, ...rest };
}

/**
 * Where the run really ran, from the words for the device it started on: a run the
 * ladder's `cpu` rung moved off WebGPU finished on the kernels' CPU twins, and says so
 * rather than naming the adapter it left.
 */
export function describeBackend(report: Pick<RunReport, 'backend' | 'attempts'>, device: string): string {
  if (report.backend !== 'cpu' || !report.attempts.some((a) => a.backend === 'webgpu')) return device;
  return `the kernels' CPU twins, reached by the ladder's cpu rung; earlier attempts ran on WebGPU (${device})`;
}

/** The report as text: plan, peaks, chunks, phases, verification, faults and fallbacks. `device` is {@link describeBackend}'s words. */
export function formatRunReport(report: RunReport, device: string): string {
  const lines: string[] = [formatPlan(report.plan, report.scenario), ''];
  lines.push(`backend       ${report.backend} (${device}), kernel ${report.kernel}`);
  const { predictedBytes, measuredBytes, setBy } = report.peak;
  if (report.attempts.length > 1) {
    // Each attempt has its own plan: compare them one by one (below), not with the first plan.
    lines.push(`peak          measured ${formatBytesExact(measuredBytes)} over ${report.attempts.length} attempts (first plan predicted ${formatBytesExact(predictedBytes)})`);
  } else {
    const diff = BigInt(measuredBytes) - predictedBytes;
    lines.push(`peak          predicted ${formatBytesExact(predictedBytes)}, measured ${formatBytesExact(measuredBytes)}` +
      (diff === 0n ? ' (equal)' : ` (${diff > 0n ? 'over' : 'under'} by ${formatBytesExact(diff > 0n ? diff : -diff)})`));
  }
  if (setBy) lines.push(`              set by "${setBy.label}" at ${formatDuration(setBy.t)}`);
  const stagingPredicted = report.attempts.length === 1 ? report.predictedStagingPeakBytes : undefined;
  lines.push(stagingPredicted === undefined
    ? `staging peak  measured ${formatBytesExact(report.stagingPeakBytes)} (host-visible, not in the budget)`
    : `staging peak  predicted ${formatBytesExact(stagingPredicted)}, measured ${formatBytesExact(report.stagingPeakBytes)}` +
      `${stagingPredicted === report.stagingPeakBytes ? ' (equal)' : ''} (host-visible, not in the budget)`);
  for (const item of allocatorLines(report)) lines.push(item);
  lines.push(`chunks        ${formatCount(report.chunksCompleted)} completed; runs done ${formatCount(report.runsDone)} of ${formatCount(report.plan.runs)}`);
  lines.push(`phases        upload ${formatDuration(report.phases.upload)}, dispatch ${formatDuration(report.phases.dispatch)}, readback ${formatDuration(report.phases.readback)}, writeback ${formatDuration(report.phases.writeback)}`);
  if (report.attempts.length > 1) {
    lines.push('attempts');
    for (const a of report.attempts) {
      lines.push(`  ${a.attempt}. ${a.backend}, ${a.precision}, chunkLength ${formatCount(a.chunkLength)} from run ${formatCount(a.start)}:` +
        ` peak predicted ${formatBytesExact(a.predictedPeakBytes)}, measured ${formatBytesExact(a.measuredPeakBytes)};` +
        ` staging${a.predictedStagingPeakBytes === undefined ? '' : ` predicted ${formatBytesExact(a.predictedStagingPeakBytes)},`} measured ${formatBytesExact(a.measuredStagingPeakBytes)}`);
    }
  }
  lines.push(`faults        ${report.faults.length ? '' : 'none'}`);
  for (const f of report.faults) {
    lines.push(f.kind === 'device-lost'
      ? `  ${formatDuration(f.t)} device lost (${f.reason})${f.chunk !== undefined ? ` in chunk ${f.chunk}` : ''}${f.injected ? ' [injected]' : ''}: ${f.message}`
      : `  ${formatDuration(f.t)} ${f.kind} allocating "${f.label}" (${f.source}): ${f.message}`);
  }
  lines.push(`fallbacks     ${report.fallbacks.length ? '' : 'none'}`);
  for (const f of report.fallbacks) {
    lines.push(`  ${formatDuration(f.t)} ${f.from} → ${f.to}: chunkLength ${formatCount(f.chunkLengthBefore)} → ${formatCount(f.chunkLengthAfter)}, resuming at run ${formatCount(f.resumeAt)}`);
  }
  if (report.verification) {
    const v = report.verification;
    lines.push(`verification  ${v.passed ? 'passed' : 'FAILED'}`);
    lines.push(`  CPU twin    ${describeComparison(v.twin)}`);
    lines.push(`  one chunk   ${describeComparison(v.unchunked)}`);
    if (v.precisionLoss) {
      lines.push(`  f16 cost    max abs error ${v.precisionLoss.maxAbsError.toPrecision(3)}, max rel error ${v.precisionLoss.maxRelError.toPrecision(3)}`);
    }
  }
  lines.push(`live buffers  ${report.liveBuffersAfter} after the run`);
  if (report.error) {
    lines.push('');
    for (const line of stopLines(report.status, report.error, report.plan.runs)) lines.push(line);
  }
  return lines.join('\n');
}

/** The allocator model's peaks and failure; nothing under the default (`exact`, buffers reused), where the peak line says it all. */
function allocatorLines(report: RunReport): string[] {
  const a = report.allocator;
  if (a.model === 'exact' && a.reuseBuffers) return [];
  const pair = ({ predictedBytes, measuredBytes }: { predictedBytes: number; measuredBytes: number }) =>
    report.attempts.length > 1
      ? `measured ${formatBytesExact(measuredBytes)} over ${report.attempts.length} attempts (first plan predicted ${formatBytesExact(predictedBytes)})`
      : `predicted ${formatBytesExact(predictedBytes)}, measured ${formatBytesExact(measuredBytes)}${predictedBytes === measuredBytes ? ' (equal)' : ''}`;
  const lines = [
    `allocator     ${a.model}, ${a.reuseBuffers ? 'buffers held for each attempt' : 'buffers allocated per chunk (reuseBuffers false)'}`,
    `  allocated   ${pair(a.allocatedPeak)}`,
    `  reserved    ${pair(a.reservedPeak)}`,
  ];
  if (a.model === 'caching') {
    lines.push(`  expandable  segments would reserve ${formatBytesExact(a.expandablePeakBytes)} at most, saving ${formatBytesExact(a.expandableSavedBytes)} (reported, not run)`);
  }
  if (a.failure) {
    const f = a.failure;
    lines.push(`  at failure  "${f.label}" (${formatBytesExact(f.bytes)}): ${formatBytesExact(f.allocatedBytes)} allocated, ${formatBytesExact(f.reservedBytes)} reserved,` +
      ` ${formatBytesExact(f.reservedFreeBytes)} reserved but free (largest free block ${formatBytesExact(f.largestFreeBytes)}, fragmentation ${f.fragmentation.toFixed(2)});` +
      ` expandable segments would have reserved ${formatBytesExact(f.expandableBytes)}`);
  }
  return lines;
}

/** What a stopped run says about its end and the runs it kept. */
function stopLines(status: RunReport['status'], error: NonNullable<RunReport['error']>, runs: number): string[] {
  const done = error.runsDone;
  if (status === 'cancelled') {
    return done > 0
      ? [`cancelled after runs [0, ${formatCount(done)}) of ${formatCount(runs)}: ${error.message}; the finished runs' outputs are kept`]
      : [`cancelled before any run finished: ${error.message}`];
  }
  return [`${status}: ${error.message}`, done > 0 ? `runs [0, ${formatCount(done)}) are done and their outputs kept` : 'no run finished'];
}

function describeComparison(c: Comparison): string {
  if (c.skipped) return `skipped: ${c.skipped}`;
  return `${describeResult(c)}${c.runs ? `\n              on ${formatCount(c.runs.count)} runs: ${c.runs.how}` : ''}`;
}

function describeResult(c: Comparison): string {
  const how = c.tolerance.exact ? 'bit for bit' : `within abs ${c.tolerance.abs} + rel ${c.tolerance.rel} (${c.tolerance.why})`;
  const maxAbs = c.arrays.reduce((m, a) => Math.max(m, a.maxAbsError), 0);
  if (c.passed) return `equal ${how}; max abs error ${maxAbs.toPrecision(3)}`;
  const bad = c.arrays.filter((a) => a.mismatches > 0).map((a) =>
    `"${a.name}" ${formatCount(a.mismatches)} of ${formatCount(a.elements)} differ` +
      (a.first ? ` (first at ${a.first.index}: ${a.first.actual}, expected ${a.first.expected})` : ''));
  return `DIFFER ${how}: ${bad.join('; ')}`;
}
