/**
 * A workload planned or run in the simulator worker, as the page gets it: the plan
 * summary `chunkscope plan` prints, and after a run the report `chunkscope run` prints
 * with, for each job, the run report a single run gives and its device bytes over the
 * workload's clock (core's MemorySeries of its trace) for the stacked timeline.
 */
import { MemorySeries } from '../core/memory-series.ts';
import { kDeviceUsageClasses } from '../core/memory-series.ts';
import type { Limits } from '../core/scenario.ts';
import { prepareWorkload, type PreparedWorkload } from '../engine/prepare-workload.ts';
import type { ReportedRun } from '../engine/run-report.ts';
import { summarizeWorkloadPlan } from '../engine/workload-summary.ts';
import { summarizeWorkloadRun } from '../engine/workload-report.ts';
import type { WorkloadRun } from '../engine/workload-lanes.ts';
import { runWorkloadInBrowser } from './browser-lanes.ts';
import { explainPlan } from '../core/plan-arithmetic.ts';
import type { JobMemory, PlanReply, RunReply, RunReportView, WorkloadPlanReply, WorkloadRunReply, WorkloadJobUpdate } from './simulator-api.ts';

/** Prepares any JSON value as a workload with the adapter's limits; every problem with its path. Never throws. */
export function prepareForApp(json: unknown, adapterLimits: Partial<Limits> | undefined): { ok: true; prepared: PreparedWorkload } | Extract<WorkloadPlanReply, { ok: false }> {
  const result = prepareWorkload(json, { adapterLimits });
  if (result.ok) return { ok: true, prepared: result.workload };
  const { error } = result;
  const issues = 'issues' in error ? error.issues : [{ path: error.path ?? '', message: error.message }];
  return { ok: false, error: { code: error.code, message: error.message, ...(error.path !== undefined && { path: error.path }) }, issues };
}

/** The plan view's reply for a workload. */
export function planWorkloadReply(json: unknown, adapterLimits: Partial<Limits> | undefined): WorkloadPlanReply {
  const prepared = prepareForApp(json, adapterLimits);
  if (!prepared.ok) return prepared;
  // Each job's own plan, as the plan view shows a scenario's (no what-if rows: the workload view shows none).
  const jobPlans = prepared.prepared.jobs.map((job): PlanReply | undefined =>
    job.run ? { ok: true, plan: job.run.plan, arithmetic: explainPlan(job.run.plan, { headroom: job.run.scenario.planner.headroom }), whatIf: [] } : undefined);
  return { ok: true, plan: summarizeWorkloadPlan(prepared.prepared), jobPlans };
}

/** How the worker runs a workload for the page. */
export interface WorkloadRunRequest {
  json: unknown;
  adapterLimits: Partial<Limits> | undefined;
  signal: AbortSignal;
  onJob?: (update: WorkloadJobUpdate) => void;
}

/** Runs a workload on Web Worker lanes; every job's report and memory for the page. */
export async function runWorkloadReply(request: WorkloadRunRequest): Promise<WorkloadRunReply> {
  const prepared = prepareForApp(request.json, request.adapterLimits);
  if (!prepared.ok) return { ok: false, error: { code: prepared.error.code, message: prepared.error.message } };
  const outcome = await runWorkloadInBrowser(prepared.prepared, {
    signal: request.signal,
    onJob: (job) => request.onJob?.({ index: job.index, status: job.status, ended: job.end !== undefined }),
  });
  if (!outcome.ok) return outcome;
  const summary = summarizeWorkloadRun(prepared.prepared, outcome.run, outcome.adapter);
  return { ok: true, summary, reports: jobReports(prepared.prepared, outcome.run, outcome.adapter), memory: jobMemory(prepared.prepared, outcome.run) };
}

/** Each job's run report as the run-report element takes it; undefined for a job that gave none. */
function jobReports(prepared: PreparedWorkload, run: WorkloadRun, adapter: string): (RunReply | undefined)[] {
  return run.jobs.map((job, i) => {
    const scenario = prepared.jobs[i].run?.scenario;
    return job.report && scenario ? { ok: true, report: jobReportView(job.report), scenario, device: adapter } : undefined;
  });
}

/**
 * A job's report without its trace. The workload view keeps no event log, so the trace is
 * not stored in the worker: `traceId` is -1, which no store holds.
 */
function jobReportView(report: ReportedRun): RunReportView {
  const { trace, ...rest } = report;
  const series = MemorySeries.of(trace);
  return { ...rest, traceId: -1, eventCount: trace.length, tEnd: trace.at(-1)?.t ?? 0, peakEventIndex: series.peakSetBy ? series.eventIndex[series.peakSample] : -1 };
}

const kDeviceLocal = new Set<string>(kDeviceUsageClasses);

/**
 * Each job's device-local bytes over the workload's clock, as the device ledger counts
 * them: a job that holds memory until its worker exits keeps every device-local buffer
 * it freed, until the last job of its worker ends (its lane's last job with `per-lane`
 * isolation, itself with `per-job`).
 */
export function jobMemory(prepared: PreparedWorkload, run: WorkloadRun): JobMemory[] {
  const perLane = prepared.workload.isolation === 'per-lane';
  const laneEnd = (lane: number) => prepared.placement.lanes[lane].jobs.reduce((latest, j) => Math.max(latest, run.jobs[j].end ?? 0), 0);
  return run.jobs.flatMap((job, i) => {
    const report = job.report;
    const spec = prepared.jobs[i];
    if (!report || job.start === undefined) return [];
    const series = MemorySeries.of(report.trace);
    const start = job.start;
    const t = series.t.map((x) => start + x);
    const device = series.device.slice();
    let heldBuffers = 0;
    let heldBytes = 0;
    if (spec.holdsMemoryUntilExit) {
      // Sample s is the state after trace event eventIndex[s]: add what was freed (and kept) by then.
      let next = 0;
      for (let s = 1; s < series.length; s++) {
        for (; next <= series.eventIndex[s]; next++) {
          const event = report.trace[next];
          if (event.kind === 'free' && kDeviceLocal.has(event.usage)) {
            heldBuffers++;
            heldBytes += event.bytes;
          }
        }
        device[s] += heldBytes;
      }
      const released = perLane ? laneEnd(spec.lane) : (job.end ?? start + series.tEnd);
      t.push(Math.max(released, t[t.length - 1]));
      device.push(0);
    }
    return [{ index: i, name: spec.name, lane: prepared.caps[spec.lane].name, start, end: job.end ?? start + series.tEnd, t, device, heldBuffers, heldBytes }];
  });
}
