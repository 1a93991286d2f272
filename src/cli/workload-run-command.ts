/**
 * `chunkscope run workload.json`: runs every job on its lane (a worker thread with its
 * own device) under one device ledger and prints the workload's report, each job's start
 * and end on stderr as it happens. run-command.ts routes here by content
 * (`"kind": "workload"`). SIGINT or SIGTERM cancels every lane (exit 130).
 */
import { stringifyJson } from '../core/json.ts';
import { toWorkloadChromeTrace, type WorkloadTraceFile } from '../core/workload-trace.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { writeOutputs, type PendingOutput } from './output-files.ts';
import { loadWorkload } from './workload-plan-command.ts';
import { formatWorkloadRun } from './workload-text.ts';

/** What `chunkscope run` passes on for a workload. */
export interface WorkloadRunFlags {
  json: boolean;
  trace?: string;
  chromeTrace?: string;
  backend: string;
}

/** Runs the workload read from `source`; returns the exit code (0 every job verified, 5 a job failed, 130 cancelled). */
export async function runWorkloadCommand(source: string, json: unknown, flags: WorkloadRunFlags, io: CliIo): Promise<number> {
  if (flags.backend === 'cpu') {
    io.err('chunkscope run: a workload runs its lanes on WebGPU devices; --backend cpu runs scenarios only');
    return kExit.usage;
  }
  const prepared = await loadWorkload(source, json, flags.json, io);
  if (typeof prepared === 'number') return prepared;
  const { runWorkloadOnNode } = await import('../engine/node-lanes.ts');
  const { summarizeWorkloadRun, workloadFailed } = await import('../engine/workload-report.ts');
  // From here a signal cancels every lane instead of ending the process.
  const signal = io.cancelOnSignals?.();
  // Progress on stderr, as each job starts and ends: stdout keeps the report alone.
  const outcome = await runWorkloadOnNode(prepared, {
    ...(signal && { signal }),
    onJob: (job) => {
      const { name, lane } = prepared.jobs[job.index];
      const where = `lane "${prepared.caps[lane].name}": job "${name}"`;
      io.err(job.end === undefined ? `${where} started` : `${where} ended: ${job.status}`);
    },
  });
  if (!outcome.ok) {
    if (flags.json) io.out(stringifyJson({ error: outcome.error }));
    else io.err(`chunkscope: ${outcome.error.message}`);
    return kExit.noDevice;
  }
  const summary = summarizeWorkloadRun(prepared, outcome.run, outcome.adapter);
  const trace: WorkloadTraceFile = {
    format: 'chunkscope-workload-trace',
    version: 1,
    name: summary.name,
    adapter: summary.adapter,
    lanes: summary.lanes.map((l) => l.name),
    jobs: outcome.run.jobs.flatMap((job, i) =>
      job.report && job.start !== undefined ? [{ name: summary.jobs[i].name, lane: summary.jobs[i].lane, start: job.start, events: job.report.trace }] : []),
  };
  // Written whatever the outcome: a failed or cancelled workload's trace is what shows why.
  const outputs: PendingOutput[] = [];
  if (flags.trace !== undefined) outputs.push({ flag: '--trace', path: flags.trace, contents: () => stringifyJson(trace) });
  if (flags.chromeTrace !== undefined) outputs.push({ flag: '--chrome-trace', path: flags.chromeTrace, contents: () => stringifyJson(toWorkloadChromeTrace(trace)) });
  const unwritten = await writeOutputs(outputs);
  io.out(flags.json ? stringifyJson({ ...summary, ...(unwritten.length && { unwritten }) }) : formatWorkloadRun(summary));
  for (const u of unwritten) io.err(`chunkscope run: ${u.message}; the report above is all that is left of it`);
  if (signal?.aborted) return kExit.cancelled;
  if (workloadFailed(summary)) return kExit.jobFailed;
  return unwritten.length ? kExit.outputUnwritable : kExit.ok;
}
