/**
 * The workload: several jobs sharing one device (DESIGN.md, "Workloads: several jobs
 * sharing one device").
 *
 * `parseWorkload` turns any JSON value into a workload with every default applied, or
 * the full list of problems, each with its path. It never throws. A plain scenario is
 * read as a workload of one job on one lane ({@link workloadOfScenario}), so everything
 * that takes a workload takes a scenario too.
 */
import * as v from 'valibot';
import { dedupeIssues, describeIssue, isJsonObject, limitsSchema, NameRegister, parseScenario, type Limits, type ScenarioIssue } from './scenario.ts';

/** How the device is shared: `shared` by every worker, or held by one worker at a time. */
export const kDeviceModes = ['shared', 'exclusive'] as const;
/** One of {@link kDeviceModes}. */
export type DeviceMode = (typeof kDeviceModes)[number];

/** How jobs are placed on lanes. */
export const kPlacements = ['lpt', 'in-order'] as const;
/** One of {@link kPlacements}. */
export type Placement = (typeof kPlacements)[number];

/** Whether a lane's jobs share one worker and device, or each gets a fresh one. */
export const kIsolations = ['per-lane', 'per-job'] as const;
/** One of {@link kIsolations}. */
export type Isolation = (typeof kIsolations)[number];

/** Most lanes a workload may have: each is a worker with its own device. */
export const kMaxLanes = 64;
/** Most jobs a workload may list. */
export const kMaxJobs = 10_000;

const kNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const kDefaultBudgetBytes = 64 * 1024 * 1024;
const kMaxBytes = 2 ** 52;

const name = v.pipe(
  v.string('must be a string'),
  v.regex(kNamePattern, 'must start with a letter or "_" and hold only letters, digits, "_", "." and "-"'),
);
const share = v.union(
  [
    v.literal('auto'),
    v.pipe(v.number(), v.gtValue(0), v.maxValue(1)),
  ],
  'must be "auto" or a fraction above 0 and at most 1',
);

const laneSchema = v.strictObject({ name, share }, 'must be an object with name and share');

const jobSchema = v.strictObject(
  {
    name,
    lane: v.optional(v.string('must be a string')),
    weight: v.optional(v.pipe(v.number('must be a number'), v.finite('must be finite'), v.minValue(0, 'must be at least 0'))),
    holdsMemoryUntilExit: v.optional(v.boolean('must be true or false'), false),
    // Checked as a scenario on its own below, so its problems keep their full path.
    scenario: v.optional(v.unknown()),
  },
  'must be an object with a name and a scenario or a weight',
);

const workloadSchema = v.strictObject(
  {
    version: v.literal(1, 'must be 1'),
    kind: v.literal('workload', 'must be "workload"'),
    name: v.optional(v.string('must be a string'), 'untitled workload'),
    device: v.optional(
      v.strictObject(
        {
          budgetBytes: v.optional(
            v.pipe(
              v.number('budgetBytes must be a number'),
              v.safeInteger('budgetBytes must be a whole number'),
              v.minValue(1, 'budgetBytes must be at least 1'),
              v.maxValue(kMaxBytes, 'budgetBytes must be at most 2^52 (4 PiB)'),
            ),
            kDefaultBudgetBytes,
          ),
          limits: v.optional(limitsSchema, {}),
          mode: v.optional(v.picklist(kDeviceModes, `must be one of ${kDeviceModes.join(', ')}`), 'shared'),
          mps: v.optional(v.boolean('must be true or false'), false),
        },
        'must be an object with budgetBytes, limits, mode and mps',
      ),
      {},
    ),
    lanes: v.optional(
      v.union(
        [
          v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(kMaxLanes)),
          v.pipe(v.array(laneSchema), v.minLength(1), v.maxLength(kMaxLanes)),
        ],
        `must be a count of lanes from 1 to ${kMaxLanes}, or a list of 1 to ${kMaxLanes} lanes`,
      ),
      1,
    ),
    placement: v.optional(v.picklist(kPlacements, `must be one of ${kPlacements.join(', ')}`), 'lpt'),
    isolation: v.optional(v.picklist(kIsolations, `must be one of ${kIsolations.join(', ')}`), 'per-lane'),
    parentHoldsDevice: v.optional(v.boolean('must be true or false'), false),
    jobs: v.pipe(
      v.array(jobSchema, 'must be a list of jobs'),
      v.minLength(1, 'must list at least one job'),
      v.maxLength(kMaxJobs, `must list at most ${kMaxJobs} jobs`),
    ),
    seed: v.optional(v.pipe(v.number('must be a number'), v.safeInteger('must be a whole number')), 1),
  },
  'must be a JSON object',
);

/** A lane: a worker with its own device, and its share of the device budget. */
export interface LaneSpec {
  name: string;
  /** A fraction of the device budget, or an equal part of what the manual shares leave. */
  share: number | 'auto';
}

/** One job of a workload. */
export interface JobSpec {
  name: string;
  /** The lane it is pinned to, if any (its index in {@link Workload.lanes}). */
  lane?: number;
  weight?: number;
  holdsMemoryUntilExit: boolean;
  /** The scenario as written (it is prepared, budget and limits applied, by the engine); absent for a weight-only job. */
  scenario?: Record<string, unknown>;
  /** Whether the scenario names its own budget (else the job gets its lane's cap). */
  ownBudget: boolean;
}

/** A workload with every default applied and lanes as a list. */
export interface Workload {
  name: string;
  device: { budgetBytes: number; limits: Limits; mode: DeviceMode; mps: boolean };
  lanes: LaneSpec[];
  placement: Placement;
  isolation: Isolation;
  parentHoldsDevice: boolean;
  jobs: JobSpec[];
  seed: number;
}

/** The outcome of {@link parseWorkload}. */
export type ParsedWorkload = { ok: true; workload: Workload } | { ok: false; issues: ScenarioIssue[] };

/** Whether a JSON value says it is a workload: files route by content. */
export function isWorkloadJson(json: unknown): boolean {
  return isJsonObject(json) && json.kind === 'workload';
}

/** Validates any JSON value as a workload (or a scenario, as a workload of one job), reporting every problem. Never throws. */
export function parseWorkload(input: unknown): ParsedWorkload {
  if (!isJsonObject(input)) return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  if (!isWorkloadJson(input)) return workloadOfScenario(input);
  const result = v.safeParse(workloadSchema, input, { abortEarly: false });
  const issues = result.success ? [] : result.issues.map(describeIssue);
  const jobs: JobSpec[] = [];
  const laneNames = new NameRegister('lanes', issues);
  const laneIndex = laneNames.first;
  const lanes = result.success ? lanesOf(result.output.lanes) : [];
  lanes.forEach((lane, i) => laneNames.add(lane.name, i));
  if (Array.isArray(input.jobs)) {
    const jobNames = new NameRegister('jobs', issues);
    input.jobs.forEach((job: unknown, i: number) => {
      if (!isJsonObject(job)) return;
      jobNames.add(job.name, i);
      if (Object.hasOwn(job, 'scenario')) {
        for (const item of scenarioIssues(job.scenario, `jobs[${i}].scenario`)) issues.push(item);
      } else if (job.weight === undefined) issues.push({ path: `jobs[${i}]`, message: 'give a scenario to run, or a weight to place it by' });
      if (job.holdsMemoryUntilExit === true && !Object.hasOwn(job, 'scenario')) {
        issues.push({ path: `jobs[${i}].holdsMemoryUntilExit`, message: 'only a job with a scenario holds memory; this one is placed, not run' });
      }
      if (typeof job.lane === 'string' && result.success && !laneIndex.has(job.lane)) {
        issues.push({ path: `jobs[${i}].lane`, message: `names no lane; the lanes are ${[...laneIndex.keys()].map((n) => `"${n}"`).join(', ')}` });
      }
    });
  }
  if (!result.success || issues.length) return { ok: false, issues: dedupeIssues(issues) };
  for (const job of result.output.jobs) {
    const scenario = isJsonObject(job.scenario) ? job.scenario : undefined;
    jobs.push({
      name: job.name,
      ...(job.lane !== undefined && { lane: laneIndex.get(job.lane)! }),
      ...(job.weight !== undefined && { weight: job.weight }),
      holdsMemoryUntilExit: job.holdsMemoryUntilExit,
      ...(scenario && { scenario }),
      ownBudget: scenario !== undefined && isJsonObject(scenario.device) && Object.hasOwn(scenario.device, 'budgetBytes'),
    });
  }
  const { device } = result.output;
  return {
    ok: true,
    workload: {
      name: result.output.name,
      device: { budgetBytes: device.budgetBytes, limits: device.limits, mode: device.mode, mps: device.mps },
      lanes,
      placement: result.output.placement,
      isolation: result.output.isolation,
      parentHoldsDevice: result.output.parentHoldsDevice,
      jobs,
      seed: result.output.seed,
    },
  };
}

/** A scenario as a workload of one job on one lane holding the whole device: the same plan, the same run. */
export function workloadOfScenario(input: Record<string, unknown>): ParsedWorkload {
  const parsed = parseScenario(input);
  if (!parsed.ok) return parsed;
  const { scenario } = parsed;
  return {
    ok: true,
    workload: {
      name: scenario.name,
      device: { budgetBytes: scenario.device.budgetBytes, limits: scenario.device.limits, mode: 'shared', mps: false },
      lanes: [{ name: 'lane_1', share: 1 }],
      placement: 'in-order',
      isolation: 'per-lane',
      parentHoldsDevice: false,
      jobs: [{ name: jobNameOf(scenario.name), holdsMemoryUntilExit: false, scenario: input, ownBudget: true }],
      seed: scenario.seed,
    },
  };
}

/** A job's scenario problems, each under the job's path; the workload's device owns the limits. */
function scenarioIssues(scenario: unknown, path: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  if (isJsonObject(scenario) && isJsonObject(scenario.device) && Object.hasOwn(scenario.device, 'limits')) {
    issues.push({ path: `${path}.device.limits`, message: 'the limits are the workload\'s device\'s: give them in the workload\'s device.limits' });
  }
  const parsed = parseScenario(scenario);
  if (!parsed.ok) for (const issue of parsed.issues) issues.push({ path: issue.path ? `${path}.${issue.path}` : path, message: issue.message });
  return issues;
}

function lanesOf(lanes: number | { name: string; share: number | 'auto' }[]): LaneSpec[] {
  if (typeof lanes === 'number') return Array.from({ length: lanes }, (_, i) => ({ name: `lane_${i + 1}`, share: 'auto' as const }));
  return lanes.map((lane) => ({ name: lane.name, share: lane.share }));
}

/** A job name from a scenario's name: what a name may hold, or `job`. */
function jobNameOf(scenarioName: string): string {
  const cleaned = scenarioName.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z_]+/, '');
  return cleaned || 'job';
}
