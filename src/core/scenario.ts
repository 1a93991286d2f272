/**
 * The scenario: the unit of sharing and reproduction (DESIGN.md, "Scenario file").
 *
 * `parseScenario` turns any JSON value into either a scenario with every default
 * applied or the full list of problems, each with its path. It never throws.
 */
import * as v from 'valibot';
import { kAllocatorModels } from './allocator-model.ts';
import { kCachingDefaults } from './caching-allocator.ts';
import { kDtypeNames } from './dtypes.ts';
import { describeJsonValue } from './json.ts';

/** The symbol that marks an array's chunk axis inside its shape. */
export const kRunsAxis = 'runs';

/** Roles an array can play: what is uploaded and what is read back. */
export const kRoles = ['input', 'output', 'inout', 'scratch'] as const;
/** One of {@link kRoles}. */
export type Role = (typeof kRoles)[number];

/** Rungs of the recovery ladder, in the order a default ladder takes them. */
export const kFallbacks = ['shrink', 'f16', 'cpu'] as const;
/** One of {@link kFallbacks}. */
export type Fallback = (typeof kFallbacks)[number];

/** The WebGPU limits the planner honours, with the spec's defaults. */
export const kDefaultLimits = {
  maxBufferSize: 268_435_456,
  maxStorageBufferBindingSize: 134_217_728,
  maxComputeWorkgroupsPerDimension: 65_535,
} as const;
/** A limit the planner honours. */
export type LimitName = keyof typeof kDefaultLimits;
/** Every limit the planner honours, in the order `boundBy` prefers them. */
export const kLimitNames = Object.keys(kDefaultLimits) as LimitName[];

const kNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The budget a scenario that names none gets: 64 MiB. */
export const kDefaultBudgetBytes = 64 * 1024 * 1024;

/**
 * Each fault kind and the fields that say when it fires; a kind with two takes exactly
 * one of them. Chunks count from 0, as the trace's `chunk-begin` does.
 */
export const kFaultTriggers = {
  'out-of-memory': ['onAllocation', 'aboveBytes'],
  'validation-error': ['onAllocation'],
  'device-lost': ['beforeChunk', 'duringChunk'],
  leak: ['onAllocation'],
} as const;
/** A fault kind. */
export type FaultKind = keyof typeof kFaultTriggers;
/** Every fault kind, in the order the schema lists them. */
export const kFaultKinds = Object.keys(kFaultTriggers) as FaultKind[];

/** Largest budget or limit: 4 PiB. Below it every byte count a plan holds is an exact float. */
export const kMaxBytes = 2 ** 52;

const byteCount = (what: string) =>
  v.pipe(positiveInt(what), v.maxValue(kMaxBytes, `${what} must be at most 2^52 (4 PiB)`));
const positiveInt = (what: string) =>
  v.pipe(v.number(`${what} must be a number`), v.safeInteger(`${what} must be a whole number`), v.minValue(1, `${what} must be at least 1`));
const countFrom = (min: number, what: string) =>
  v.pipe(v.number(`${what} must be a number`), v.safeInteger(`${what} must be a whole number`), v.minValue(min, `${what} must be at least ${min}`));

const dimension = v.custom<number | typeof kRunsAxis>(
  (x) => x === kRunsAxis || (typeof x === 'number' && Number.isSafeInteger(x) && x > 0),
  `must be a positive integer or "${kRunsAxis}"`,
);

const arraySchema = v.strictObject(
  {
    name: v.pipe(
      v.string('must be a string'),
      v.regex(kNamePattern, 'must start with a letter or "_" and hold only letters, digits and "_"'),
    ),
    role: v.picklist(kRoles, `must be one of ${kRoles.join(', ')}`),
    dtype: v.picklist(kDtypeNames, `must be one of ${kDtypeNames.join(', ')}`),
    shape: v.pipe(v.array(dimension, 'must be a list of dimensions'), v.minLength(1, 'must have at least one dimension')),
  },
  'must be an object with name, role, dtype and shape',
);

/** The `device.limits` schema; a workload's device uses it too. */
export const limitsSchema = v.strictObject(
  {
    maxBufferSize: v.optional(byteCount('maxBufferSize'), kDefaultLimits.maxBufferSize),
    maxStorageBufferBindingSize: v.optional(
      byteCount('maxStorageBufferBindingSize'),
      kDefaultLimits.maxStorageBufferBindingSize,
    ),
    maxComputeWorkgroupsPerDimension: v.optional(
      positiveInt('maxComputeWorkgroupsPerDimension'),
      kDefaultLimits.maxComputeWorkgroupsPerDimension,
    ),
  },
  `must be an object whose keys are among ${kLimitNames.join(', ')}`,
);

const allocatorSchema = v.variant(
  'model',
  [
    v.strictObject({ model: v.literal('exact') }),
    v.strictObject({
      model: v.literal('caching'),
      roundBytes: v.optional(byteCount('roundBytes'), kCachingDefaults.roundBytes),
      smallSizeBytes: v.optional(byteCount('smallSizeBytes'), kCachingDefaults.smallSizeBytes),
      smallSegmentBytes: v.optional(byteCount('smallSegmentBytes'), kCachingDefaults.smallSegmentBytes),
      largeSegmentRoundBytes: v.optional(byteCount('largeSegmentRoundBytes'), kCachingDefaults.largeSegmentRoundBytes),
      emptyCacheOnOom: v.optional(v.boolean('must be true or false'), kCachingDefaults.emptyCacheOnOom),
    }),
  ],
  `model must be one of ${kAllocatorModels.join(', ')}`,
);

const faultSchema = v.variant(
  'kind',
  [
    v.strictObject({
      kind: v.literal('out-of-memory'),
      onAllocation: v.optional(positiveInt('onAllocation')),
      aboveBytes: v.optional(countFrom(0, 'aboveBytes')),
    }),
    v.strictObject({
      kind: v.literal('validation-error'),
      onAllocation: positiveInt('onAllocation'),
    }),
    v.strictObject({
      kind: v.literal('device-lost'),
      beforeChunk: v.optional(countFrom(0, 'beforeChunk')),
      duringChunk: v.optional(countFrom(0, 'duringChunk')),
      /** When true the device is lost again on every new device, not only once. */
      repeat: v.optional(v.boolean('must be true or false'), false),
    }),
    v.strictObject({
      kind: v.literal('leak'),
      /** The allocation, counted as out-of-memory's, whose buffer is never destroyed. */
      onAllocation: positiveInt('onAllocation'),
    }),
  ],
  `kind must be one of ${kFaultKinds.join(', ')}`,
);

const scenarioSchema = v.strictObject(
  {
    version: v.literal(1, 'must be 1'),
    name: v.optional(v.string('must be a string'), 'untitled'),
    runs: positiveInt('runs'),
    arrays: v.pipe(v.array(arraySchema, 'must be a list of arrays'), v.minLength(1, 'must list at least one array')),
    device: v.optional(
      v.strictObject(
        {
          budgetBytes: v.optional(byteCount('budgetBytes'), kDefaultBudgetBytes),
          limits: v.optional(limitsSchema, {}),
        },
        'must be an object with budgetBytes and limits',
      ),
      {},
    ),
    planner: v.optional(
      v.strictObject(
        {
          headroom: v.optional(
            v.pipe(
              v.number('must be a number'),
              v.minValue(0, 'must be at least 0'),
              v.ltValue(1, 'must be below 1 (it is the fraction of the budget kept free)'),
            ),
            0,
          ),
          bufferSets: v.optional(v.picklist([1, 2], 'must be 1 or 2'), 1),
          /**
           * false: allocate each chunk's buffers for that chunk and free them after it, as
           * naive batched code does. Absent means true (see {@link reusesBuffers}).
           */
          reuseBuffers: v.optional(v.boolean('must be true or false')),
        },
        'must be an object with headroom, bufferSets and reuseBuffers',
      ),
      {},
    ),
    allocator: v.optional(allocatorSchema, { model: 'exact' }),
    kernel: v.optional(
      v.objectWithRest(
        { name: v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty')) },
        v.number('kernel parameters must be numbers'),
        'must be an object with a name and numeric parameters',
      ),
    ),
    recovery: v.optional(
      v.strictObject(
        {
          ladder: v.optional(
            v.array(v.picklist(kFallbacks, `must be one of ${kFallbacks.join(', ')}`), 'must be a list of fallbacks'),
            [...kFallbacks],
          ),
          shrink: v.optional(
            v.pipe(
              v.number('must be a number'),
              v.gtValue(0, 'must be above 0'),
              v.ltValue(1, 'must be below 1 (it multiplies the chunk length)'),
            ),
            0.5,
          ),
          maxAttempts: v.optional(positiveInt('maxAttempts'), 8),
        },
        'must be an object with ladder, shrink and maxAttempts',
      ),
      {},
    ),
    faults: v.optional(v.array(faultSchema, 'must be a list of faults'), []),
    /** How `chunkscope soak` and the app's Soak repeat this scenario, when it is meant to be soaked. */
    soak: v.optional(
      v.strictObject(
        {
          cycles: v.optional(positiveInt('cycles'), 10),
          maxGrowthBytes: v.optional(countFrom(0, 'maxGrowthBytes'), 0),
          stopAtBytes: v.optional(countFrom(0, 'stopAtBytes')),
        },
        'must be an object with cycles, maxGrowthBytes and stopAtBytes',
      ),
    ),
    seed: v.optional(v.pipe(v.number('must be a number'), v.safeInteger('must be a whole number')), 1),
  },
  'must be a JSON object',
);

/** A scenario with every default applied. */
export type Scenario = v.InferOutput<typeof scenarioSchema>;
/** The scenario as written in a file, defaults optional. */
export type ScenarioInput = v.InferInput<typeof scenarioSchema>;
/** One array of a scenario. */
export type ArraySpec = Scenario['arrays'][number];
/** One injected fault of a scenario. */
export type FaultSpec = Scenario['faults'][number];
/** The limits a scenario plans against. */
export type Limits = Scenario['device']['limits'];
/** The allocator model a scenario runs under, with its settings. */
export type AllocatorSpec = Scenario['allocator'];

/** `planner.reuseBuffers` when a scenario leaves it out: each attempt allocates its buffers once. */
export const kDefaultReuseBuffers = true;

/** Whether each attempt allocates its buffers once and reuses them for every chunk (the default). */
export function reusesBuffers(scenario: Pick<Scenario, 'planner'>): boolean {
  return scenario.planner.reuseBuffers ?? kDefaultReuseBuffers;
}

/** One problem with a scenario: where it is and what is wrong. */
export interface ScenarioIssue {
  /** Where, as `arrays[2].shape[1]`; empty for the scenario as a whole. */
  path: string;
  /** A sentence a person can act on. */
  message: string;
  /** The name of the array the path points into (`arrays[2]…`), where it has a valid one. */
  array?: string;
}

/** The outcome of {@link parseScenario}. */
export type ParsedScenario = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

/** Validates any JSON value as a scenario, reporting every problem at once. Never throws. */
export function parseScenario(input: unknown): ParsedScenario {
  if (!isJsonObject(input)) return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  const result = v.safeParse(scenarioSchema, input, { abortEarly: false });
  const issues = result.success ? [] : result.issues.map(describeIssue);
  for (const issue of crossFieldIssues(input)) issues.push(issue);
  if (result.success && issues.length === 0) return { ok: true, scenario: result.output };
  return { ok: false, issues: dedupeIssues(issues).map((issue) => nameArray(issue, input)) };
}

/** An issue inside `arrays[i]` names that array too: "arrays[0].shape[1]" alone makes a person count. */
function nameArray(issue: ScenarioIssue, input: Record<string, unknown>): ScenarioIssue {
  const index = /^arrays\[(\d+)\]/.exec(issue.path)?.[1];
  if (index === undefined || !Array.isArray(input.arrays)) return issue;
  const array: unknown = input.arrays[Number(index)];
  const name = isJsonObject(array) && Object.hasOwn(array, 'name') ? array.name : undefined;
  return typeof name === 'string' && kNamePattern.test(name) ? { ...issue, array: name } : issue;
}

/** `[{key:'arrays'},{key:2}]` → `arrays[2]`. */
export function formatPath(keys: readonly (string | number)[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A valibot issue as a path and a sentence; the trace reader words its issues the same way. */
export function describeIssue(issue: v.BaseIssue<unknown>): ScenarioIssue {
  const keys = (issue.path ?? []).map((item) => item.key as string | number);
  return { path: formatPath(keys), message: objectIssueMessage(issue) ?? issue.message };
}

/** Object schemas give their own message for a missing or unknown key: say which it is. */
function objectIssueMessage(issue: v.BaseIssue<unknown>): string | undefined {
  if (!['object', 'strict_object', 'object_with_rest', 'variant'].includes(issue.type) || !issue.path?.length) return undefined;
  if (issue.expected === 'never') return 'is not a known field';
  if (issue.received === 'undefined') return 'is required';
  return undefined;
}

/** Rules that span fields, checked on the raw input wherever its parts are well-formed. */
function crossFieldIssues(input: unknown): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  if (!isJsonObject(input)) return issues;
  if (Array.isArray(input.arrays)) {
    const names = new NameRegister('arrays', issues);
    input.arrays.forEach((array: unknown, i: number) => {
      if (!isJsonObject(array)) return;
      names.add(array.name, i);
      if (Array.isArray(array.shape)) {
        const runsAxes = array.shape.filter((d: unknown) => d === kRunsAxis).length;
        if (runsAxes > 1) {
          issues.push({
            path: `arrays[${i}].shape`,
            message: `holds "${kRunsAxis}" ${runsAxes} times; an array has at most one chunk axis`,
          });
        }
        const elements = array.shape.reduce(
          (n: number, d: unknown) => (typeof d === 'number' && d > 0 ? n * d : n),
          1,
        );
        if (!Number.isSafeInteger(elements)) {
          issues.push({ path: `arrays[${i}].shape`, message: 'has more elements than can be counted exactly (over 2^53)' });
        }
      }
    });
  }
  if (Array.isArray(input.faults)) {
    input.faults.forEach((fault: unknown, i: number) => {
      if (!isJsonObject(fault)) return;
      const exactlyOne = (a: string, b: string) => {
        if ((fault[a] === undefined) === (fault[b] === undefined)) {
          issues.push({ path: `faults[${i}]`, message: `give exactly one of ${a} and ${b}` });
        }
      };
      const triggers: readonly string[] | undefined = typeof fault.kind === 'string' && Object.hasOwn(kFaultTriggers, fault.kind) ? kFaultTriggers[fault.kind as FaultKind] : undefined;
      if (triggers?.length === 2) exactlyOne(triggers[0], triggers[1]);
    });
  }
  if (isJsonObject(input.allocator) && input.allocator.model === 'caching') {
    const { smallSizeBytes = kCachingDefaults.smallSizeBytes, smallSegmentBytes = kCachingDefaults.smallSegmentBytes } = input.allocator;
    if (typeof smallSizeBytes === 'number' && typeof smallSegmentBytes === 'number' && smallSegmentBytes < smallSizeBytes) {
      issues.push({
        path: 'allocator.smallSegmentBytes',
        message: `is ${smallSegmentBytes}, below smallSizeBytes ${smallSizeBytes}: a small request must fit a small segment`,
      });
    }
  }
  if (isJsonObject(input.kernel)) {
    // The schema library drops these keys silently (they could pollute a prototype): refuse them instead.
    for (const key of Object.keys(input.kernel)) {
      if (kForbiddenKeys.has(key)) issues.push({ path: `kernel.${key}`, message: `"${key}" cannot name a kernel parameter` });
    }
  }
  if (isJsonObject(input.recovery) && Array.isArray(input.recovery.ladder)) {
    const ladder = input.recovery.ladder as unknown[];
    ladder.forEach((rung, i) => {
      if (ladder.indexOf(rung) !== i) {
        issues.push({ path: `recovery.ladder[${i}]`, message: `${describeJsonValue(rung)} is already on the ladder` });
      }
    });
  }
  return issues;
}

/** Names given in a list, each refused with its path when an earlier entry took it. */
export class NameRegister {
  /** Index of the first entry that took each name. */
  readonly first = new Map<string, number>();

  constructor(
    private readonly _list: string,
    private readonly _issues: ScenarioIssue[],
  ) {}

  /** Registers entry `i`'s name, if it is a string; a repeat is an issue at `list[i].name`. */
  add(name: unknown, i: number): void {
    if (typeof name !== 'string') return;
    const first = this.first.get(name);
    if (first === undefined) this.first.set(name, i);
    else this._issues.push({ path: `${this._list}[${i}].name`, message: `"${name}" is already the name of ${this._list}[${first}]` });
  }
}

/** Keys no user-given name may take: each reaches into Object.prototype. */
const kForbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether `x` is a JSON object (not null, not an array). */
export function isJsonObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The issues, each path and message once (several checks can name the same problem). */
export function dedupeIssues(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether an array has a chunk axis. */
export function isChunked(array: Pick<ArraySpec, 'shape'>): boolean {
  return array.shape.includes(kRunsAxis);
}
