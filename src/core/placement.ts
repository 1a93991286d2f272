/**
 * Placing jobs on lanes and the load table (DESIGN.md, "Placement"). A pinned job stays
 * on its lane. `in-order` gives job i to lane i mod lanes; `lpt` (longest processing time
 * first) takes the jobs heaviest first, ties by name, each to the least-loaded lane,
 * ties to the first. LPT's busiest lane is within 4/3 − 1/(3·lanes) of the best split
 * (Graham, 1969); it is not always better than `in-order`, which can land on the best
 * split by luck (weights 2, 3, 2, 3, 2 on two lanes).
 */
import type { Placement } from './workload.ts';

/** What placement needs of a job. */
export interface PlacedJobInput {
  name: string;
  weight: number;
  /** A pinned lane (index). */
  lane?: number;
}

/** One row of the load table. */
export interface LaneLoad {
  /** Indices of the lane's jobs, in the order they run. */
  jobs: number[];
  load: number;
  /** load ÷ the mean load over lanes (1 when every load is 0). */
  ofMean: number;
}

/** Where each job goes, and what each lane carries. */
export interface PlacementResult {
  /** Each job's lane, by job index. */
  laneOf: number[];
  lanes: LaneLoad[];
  /** The busiest lane's load ÷ the mean load (1 when every load is 0). */
  imbalance: number;
}

/** Places jobs on `laneCount` lanes by `strategy`. Pure. */
export function placeJobs(jobs: readonly PlacedJobInput[], laneCount: number, strategy: Placement): PlacementResult {
  const laneOf: number[] = jobs.map((job, i) => job.lane ?? (strategy === 'in-order' ? i % laneCount : -1));
  if (strategy === 'lpt') {
    const loads = Array.from({ length: laneCount }, () => 0);
    for (const job of jobs) if (job.lane !== undefined) loads[job.lane] += job.weight;
    const free = jobs.map((_, i) => i).filter((i) => jobs[i].lane === undefined);
    free.sort((a, b) => jobs[b].weight - jobs[a].weight || compareNames(jobs[a].name, jobs[b].name) || a - b);
    for (const i of free) {
      let best = 0;
      for (let lane = 1; lane < laneCount; lane++) if (loads[lane] < loads[best]) best = lane;
      laneOf[i] = best;
      loads[best] += jobs[i].weight;
    }
  }
  return { laneOf, ...loadTable(jobs.map((j) => j.weight), laneOf, laneCount) };
}

/** The load table and imbalance of a placement. Jobs of a lane keep their order in the workload. */
export function loadTable(weights: readonly number[], laneOf: readonly number[], laneCount: number): { lanes: LaneLoad[]; imbalance: number } {
  const lanes: LaneLoad[] = Array.from({ length: laneCount }, () => ({ jobs: [], load: 0, ofMean: 1 }));
  laneOf.forEach((lane, job) => {
    lanes[lane].jobs.push(job);
    lanes[lane].load += weights[job];
  });
  const total = lanes.reduce((sum, lane) => sum + lane.load, 0);
  const mean = total / laneCount;
  let max = 0;
  for (const lane of lanes) {
    lane.ofMean = mean > 0 ? lane.load / mean : 1;
    max = Math.max(max, lane.load);
  }
  return { lanes, imbalance: mean > 0 ? max / mean : 1 };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
