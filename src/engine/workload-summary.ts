/**
 * What `chunkscope plan` prints for a workload, as JSON and for the app (DESIGN.md,
 * "Workloads"): lanes with caps, placement and the load table, and each job's budget and
 * plan. A run's report (workload-report.ts) adds to each job what the run did.
 */
import type { Plan } from '../core/planner.ts';
import type { DeviceMode, Isolation, Placement } from '../core/workload.ts';
import type { OverCommit, PreparedWorkload } from './prepare-workload.ts';

/** One lane of the load table. */
export interface LaneSummary {
  name: string;
  share: number | 'auto';
  capBytes: number;
  /** The lane's jobs by name, in the order they run. */
  jobs: string[];
  load: number;
  ofMean: number;
}

/** One job as planned. */
export interface JobPlanSummary {
  name: string;
  lane: string;
  budgetBytes: number;
  /** `scenario`: the job's own budget (it may over-commit the device); `lane`: its lane's cap. */
  budgetFrom: 'scenario' | 'lane';
  weight: number;
  weightFrom: 'given' | 'plan';
  holdsMemoryUntilExit: boolean;
  /** Absent for a weight-only job: it is placed, not run. */
  plan?: Plan;
}

/** A workload's plan. */
export interface WorkloadPlanSummary {
  kind: 'workload';
  name: string;
  device: { budgetBytes: number; mode: DeviceMode; mps: boolean };
  placement: Placement;
  isolation: Isolation;
  parentHoldsDevice: boolean;
  lanes: LaneSummary[];
  /** The busiest lane's load ÷ the mean. */
  imbalance: number;
  overCommit?: OverCommit;
  jobs: JobPlanSummary[];
}

/** The plan summary of a prepared workload. Pure. */
export function summarizeWorkloadPlan(prepared: PreparedWorkload): WorkloadPlanSummary {
  const { workload, caps, jobs, placement } = prepared;
  return {
    kind: 'workload',
    name: workload.name,
    device: { budgetBytes: workload.device.budgetBytes, mode: workload.device.mode, mps: workload.device.mps },
    placement: workload.placement,
    isolation: workload.isolation,
    parentHoldsDevice: workload.parentHoldsDevice,
    lanes: caps.map((cap, i) => ({
      name: cap.name,
      share: cap.share,
      capBytes: cap.capBytes,
      jobs: placement.lanes[i].jobs.map((j) => jobs[j].name),
      load: placement.lanes[i].load,
      ofMean: placement.lanes[i].ofMean,
    })),
    imbalance: placement.imbalance,
    ...(prepared.overCommit && { overCommit: prepared.overCommit }),
    jobs: jobs.map((job) => ({
      name: job.name,
      lane: caps[job.lane].name,
      budgetBytes: job.budgetBytes,
      budgetFrom: job.budgetFrom,
      weight: job.weight,
      weightFrom: job.weightFrom,
      holdsMemoryUntilExit: job.holdsMemoryUntilExit,
      ...(job.run && { plan: job.run.plan }),
    })),
  };
}
