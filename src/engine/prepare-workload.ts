/**
 * Prepares a workload (DESIGN.md, "Workloads: several jobs sharing one device"): lane
 * caps from shares, each job weighed and placed, then each job prepared through
 * {@link prepareRun} with its budget (its scenario's own, else its lane's cap) and the
 * workload's limits, so a lane plans exactly what `chunkscope plan` would for that
 * scenario on that budget. Never throws.
 *
 * A job's weight, when not given, is the bytes its scenario moves when every run goes
 * up and back once (plan-traffic.ts at one chunk): it does not depend on the budget, so
 * placement (which decides the lane, hence the cap, hence the plan) needs no plan first.
 */
import { laneCaps, type LaneCap, type SharesError } from '../core/lane-shares.ts';
import { placeJobs, type PlacementResult } from '../core/placement.ts';
import { planTrafficBytes } from '../core/plan-traffic.ts';
import type { PlanError } from '../core/planner.ts';
import { kMaxBytes, type ScenarioIssue } from '../core/scenario.ts';
import { parseWorkload, type JobSpec, type Workload } from '../core/workload.ts';
import { prepareRun, type PrepareError, type PrepareOptions, type PreparedRun } from './prepare-run.ts';

/** A job ready to run (or, weight-only, to be placed). */
export interface PreparedJob {
  index: number;
  name: string;
  lane: number;
  /** Bytes the job may plan with: its scenario's budget, or its lane's cap. */
  budgetBytes: number;
  budgetFrom: 'scenario' | 'lane';
  weight: number;
  weightFrom: 'given' | 'plan';
  holdsMemoryUntilExit: boolean;
  /** The scenario as the lane prepares it: the budget and the workload's limits applied. Absent for a weight-only job. */
  scenario?: Record<string, unknown>;
  run?: PreparedRun;
}

/** The bytes the lanes may plan with at once against the device's budget. */
export interface OverCommit {
  /** Σ over lanes of the largest budget among the lane's jobs: what may be asked for at once. */
  lanesBudgetBytes: number;
  deviceBudgetBytes: number;
}

/** A workload ready to run. */
export interface PreparedWorkload {
  workload: Workload;
  caps: LaneCap[];
  jobs: PreparedJob[];
  placement: PlacementResult;
  /** Present when the jobs' budgets together can pass the device's: the ledger will refuse the rest. */
  overCommit?: OverCommit;
}

/** Why a workload cannot be prepared: not a workload, shares that do not fit, or a job without a plan. */
export type WorkloadPrepareError =
  | { code: 'INVALID_WORKLOAD'; message: string; path?: string; issues: ScenarioIssue[] }
  | SharesError
  | (PlanError & { path: string; job: string });

/** The outcome of {@link prepareWorkload}. */
export type PreparedWorkloadResult = { ok: true; workload: PreparedWorkload } | { ok: false; error: WorkloadPrepareError };

/** Prepares any JSON value as a workload; a scenario is a workload of one job. Never throws. */
export function prepareWorkload(input: unknown, where: PrepareOptions = {}): PreparedWorkloadResult {
  const parsed = parseWorkload(input);
  if (!parsed.ok) return { ok: false, error: invalid(`the workload has ${problems(parsed.issues.length)}`, parsed.issues) };
  const { workload } = parsed;
  const shares = laneCaps(workload.device.budgetBytes, workload.lanes);
  if (!shares.ok) return { ok: false, error: shares.error };

  const weights: { weight: number; from: 'given' | 'plan' }[] = [];
  for (const [i, job] of workload.jobs.entries()) {
    const weighed = weighJob(job, workload, i);
    if (!weighed.ok) return weighed;
    weights.push(weighed);
  }
  const placement = placeJobs(
    workload.jobs.map((job, i) => ({ name: job.name, weight: weights[i].weight, ...(job.lane !== undefined && { lane: job.lane }) })),
    workload.lanes.length,
    workload.placement,
  );

  const jobs: PreparedJob[] = [];
  for (const [i, job] of workload.jobs.entries()) {
    const lane = placement.laneOf[i];
    const own = job.ownBudget ? ownBudget(job) : undefined;
    const budgetBytes = own ?? shares.caps[lane].capBytes;
    const prepared: PreparedJob = {
      index: i,
      name: job.name,
      lane,
      budgetBytes,
      budgetFrom: own === undefined ? 'lane' : 'scenario',
      weight: weights[i].weight,
      weightFrom: weights[i].from,
      holdsMemoryUntilExit: job.holdsMemoryUntilExit,
    };
    if (job.scenario) {
      const scenario = withDevice(job.scenario, budgetBytes, workload);
      const run = prepareRun(scenario, where);
      if (!run.ok) return { ok: false, error: jobError(run.error, i, job.name) };
      prepared.scenario = scenario;
      prepared.run = run.run;
    }
    jobs.push(prepared);
  }
  return { ok: true, workload: { workload, caps: shares.caps, jobs, placement, ...overCommitOf(jobs, workload) } };
}

/** A job's weight: given, else the bytes its scenario moves with every run up and back once. */
function weighJob(job: JobSpec, workload: Workload, index: number): { ok: true; weight: number; from: 'given' | 'plan' } | { ok: false; error: WorkloadPrepareError } {
  if (job.weight !== undefined) return { ok: true, weight: job.weight, from: 'given' };
  // The largest budget: moved bytes do not depend on it, and no budget error can hide a real one.
  const run = prepareRun(withDevice(job.scenario!, kMaxBytes, workload));
  if (!run.ok) return { ok: false, error: jobError(run.error, index, job.name) };
  const { plan } = run.run;
  return { ok: true, weight: Number(planTrafficBytes({ ...plan, numChunks: 1, chunkLength: plan.runs, finalChunkLength: plan.runs })), from: 'plan' };
}

/** The scenario on the workload's device: `budgetBytes` and the workload's limits. */
function withDevice(scenario: Record<string, unknown>, budgetBytes: number, workload: Workload): Record<string, unknown> {
  return { ...scenario, device: { budgetBytes, limits: workload.device.limits } };
}

function ownBudget(job: JobSpec): number | undefined {
  const device = job.scenario?.device as { budgetBytes?: unknown } | undefined;
  return typeof device?.budgetBytes === 'number' ? device.budgetBytes : undefined;
}

function overCommitOf(jobs: readonly PreparedJob[], workload: Workload): { overCommit?: OverCommit } {
  const largest = new Map<number, number>();
  for (const job of jobs) if (job.run) largest.set(job.lane, Math.max(largest.get(job.lane) ?? 0, job.budgetBytes));
  let lanesBudgetBytes = 0;
  for (const bytes of largest.values()) lanesBudgetBytes += bytes;
  const deviceBudgetBytes = workload.device.budgetBytes;
  return lanesBudgetBytes > deviceBudgetBytes ? { overCommit: { lanesBudgetBytes, deviceBudgetBytes } } : {};
}

function jobError(error: PrepareError, index: number, job: string): WorkloadPrepareError {
  const path = `jobs[${index}].scenario`;
  if ('issues' in error) {
    const issues = error.issues.map((issue) => ({ path: issue.path ? `${path}.${issue.path}` : path, message: issue.message }));
    return invalid(`job "${job}": ${error.message}`, issues);
  }
  return { ...error, message: `job "${job}": ${error.message}`, path, job };
}

function invalid(message: string, issues: ScenarioIssue[]): WorkloadPrepareError {
  const path = issues[0]?.path;
  return { code: 'INVALID_WORKLOAD', message, ...(path !== undefined && { path }), issues };
}

function problems(count: number): string {
  return `${count} ${count === 1 ? 'problem' : 'problems'}`;
}
