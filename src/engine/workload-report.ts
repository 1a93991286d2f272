/**
 * A workload's report (DESIGN.md, "Workloads"): the plan summary with, for each job, the
 * report a single run gives (status, error with the fault that caused it, peak predicted
 * and measured, fallbacks, verification) and its place on the shared clock; for the
 * device, the ledger's peak and the job that set it; and what was left after every
 * worker ended: live buffers, devices and ledger bytes (all 0 unless something leaked).
 */
import type { Verification } from '../core/run-outcome.ts';
import type { FallbackEvent, PeakSetter } from '../core/trace.ts';
import type { JobStatus, WorkloadRun } from './workload-lanes.ts';
import type { PreparedWorkload } from './prepare-workload.ts';
import type { ReportedRun } from './run-report.ts';
import { summarizeWorkloadPlan, type JobPlanSummary, type WorkloadPlanSummary } from './workload-summary.ts';

/** Why a job failed: its error's code, and the code of the last fault it met. */
export interface JobError {
  code: string;
  message: string;
  /** `OUT_OF_MEMORY`, `DEVICE_BUSY`, `VALIDATION` or `DEVICE_LOST`: what the ladder could not get past. */
  fault?: string;
}

/** One job after the run. */
export interface JobRunSummary extends JobPlanSummary {
  status: JobStatus;
  error?: JobError;
  backend?: ReportedRun['backend'];
  runsDone?: number;
  peak?: { predictedBytes: bigint; measuredBytes: number; setBy: PeakSetter | null };
  fallbacks?: Pick<FallbackEvent, 'from' | 'to' | 'reason'>[];
  verification?: Verification;
  /** When it began and ended, in milliseconds since the workload's start. */
  start?: number;
  end?: number;
}

/** The whole report. */
export interface WorkloadRunSummary extends Omit<WorkloadPlanSummary, 'jobs' | 'device'> {
  adapter: string;
  device: WorkloadPlanSummary['device'] & {
    peakBytes: number;
    setBy: { job?: string; lane: string; label: string; bytes: number } | null;
    liveBytesAfter: number;
  };
  jobs: JobRunSummary[];
  /** Lanes whose worker died, with why. */
  crashedLanes: { lane: string; message: string }[];
  liveBuffersAfter: number;
  devicesAfter: number;
  wallMs: number;
}

/** The report of a workload's run. Pure. */
export function summarizeWorkloadRun(prepared: PreparedWorkload, run: WorkloadRun, adapter: string): WorkloadRunSummary {
  const plan = summarizeWorkloadPlan(prepared);
  const jobs: JobRunSummary[] = plan.jobs.map((job, i) => {
    const { report, failure, status, start, end } = run.jobs[i];
    const fault = report?.faults.at(-1);
    const faultCode = !fault ? undefined : fault.kind === 'device-lost' ? 'DEVICE_LOST' : fault.source === 'busy' ? 'DEVICE_BUSY' : fault.kind === 'oom' ? 'OUT_OF_MEMORY' : 'VALIDATION';
    return {
      ...job,
      status,
      ...(failure && { error: { ...failure, ...(faultCode && status !== 'ok' && { fault: faultCode }) } }),
      ...(report && {
        backend: report.backend,
        runsDone: report.runsDone,
        peak: report.peak,
        fallbacks: report.fallbacks.map(({ from, to, reason }) => ({ from, to, reason })),
        ...(report.verification && { verification: report.verification }),
      }),
      ...(start !== undefined && { start }),
      ...(end !== undefined && { end }),
    };
  });
  const setBy = run.device.setBy;
  return {
    ...plan,
    adapter,
    device: {
      ...plan.device,
      peakBytes: run.device.peakBytes,
      setBy: setBy && { ...(setBy.job !== undefined && { job: setBy.job }), lane: setBy.holder, label: setBy.label, bytes: setBy.bytes },
      liveBytesAfter: run.device.liveBytesAfter,
    },
    jobs,
    crashedLanes: run.lanes.flatMap((lane, i) => (lane.crashed ? [{ lane: plan.lanes[i].name, message: lane.crashed }] : [])),
    liveBuffersAfter:
      run.jobs.reduce((n, job) => n + (job.report?.liveBuffersAfter ?? 0), 0) + run.lanes.reduce((n, lane) => n + lane.heldBuffersLeft, 0),
    devicesAfter: run.lanes.reduce((n, lane) => n + lane.devicesLeft, 0) + (run.parent?.devicesLeft ?? 0),
    wallMs: run.wallMs,
  };
}

/** Whether a job that runs did not finish verified (the command exits 5). */
export function workloadFailed(summary: WorkloadRunSummary): boolean {
  return summary.jobs.some((job) => job.status !== 'placed' && (job.status !== 'ok' || job.verification?.passed === false));
}
