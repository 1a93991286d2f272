/**
 * Every reader of user input, and the planner, as fuzz targets: each takes a value and
 * says what it made of it (a scenario, a plan, a structured error, nothing), or throws
 * when its answer breaks its own contract (an error without a sentence, a plan whose
 * chunks do not cover its runs). An exception from the reader itself is a finding.
 */
import fc from 'fast-check';
import LZString from 'lz-string';
import { importLegacyRequests } from '../../src/core/legacy-requests.ts';
import { chunkAt, planScenario, type PlanOptions, type PlanResult } from '../../src/core/planner.ts';
import { parseScenario } from '../../src/core/scenario.ts';
import { kLinkKey, scenarioFromFragment, scenarioToFragment } from '../../src/core/scenario-link.ts';
import { parseTraceFile } from '../../src/core/trace-file.ts';
import { prepareRun } from '../../src/engine/prepare-run.ts';
import { gentlyMutated, Random } from './gentle-mutations.ts';
import { hostileValue, mutationsOf } from './hostile-json.ts';

/** What a reader made of a value. */
export type Verdict = 'accepted' | 'plan' | 'structured-error' | 'nothing';

/** A fuzz target: where its values come from and how it reads one. */
export interface FuzzTarget {
  name: string;
  /** `count` values from `seed`; the same seed gives the same values. */
  values(count: number, seed: number): unknown[];
  read(value: unknown): Verdict;
}

/** Real files the mutations start from. */
export interface Bases {
  scenarios: unknown[];
  legacy: unknown[];
  traces: unknown[];
}

function broken(what: string): never {
  throw new Error(`contract broken: ${what}`);
}

function checkIssues(issues: unknown): void {
  if (!Array.isArray(issues) || issues.length === 0) broken('an invalid value without issues');
  for (const i of issues as { path?: unknown; message?: unknown }[]) {
    if (typeof i.path !== 'string' || typeof i.message !== 'string' || i.message === '') broken('an issue without a path or a sentence');
  }
}

function checkPlan(result: PlanResult): Verdict {
  if (!result.ok) {
    if (typeof result.error.code !== 'string' || !result.error.message) broken('a plan error without a code or a sentence');
    return 'structured-error';
  }
  const { runs, chunkLength, numChunks, finalChunkLength } = result.plan;
  if (!(chunkLength >= 1 && numChunks >= 1)) broken(`chunkLength ${chunkLength}, ${numChunks} chunks`);
  const last = chunkAt(result.plan, numChunks - 1);
  if (last.end !== runs || last.end - last.start !== finalChunkLength) broken(`the chunks end at ${last.end}, not at run ${runs}`);
  if (result.plan.predictedPeakBytes > result.plan.capBytes) broken(`predicted peak ${result.plan.predictedPeakBytes} over the cap ${result.plan.capBytes}`);
  return 'plan';
}

const kSize = fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 65_536 }), fc.constantFrom(2 ** 20, 2 ** 26, 2 ** 31));
const kLimit = fc.option(fc.oneof(fc.integer({ min: 4, max: 2 ** 31 }), fc.constantFrom(4, 1024, 65_535, 2 ** 28, 2 ** 30, 2 ** 40)), { nil: undefined });

/** A scenario the schema most likely accepts, with sizes from one byte to past every limit, and plan options. */
const kPlannerInput = fc.record({
  scenario: fc.record({
    version: fc.constant(1),
    runs: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom(2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER)),
    arrays: fc.array(
      fc.record({
        role: fc.constantFrom('input', 'output', 'inout', 'scratch'),
        dtype: fc.constantFrom('f16', 'f32', 'i32', 'u32', 'f64'),
        shape: fc.tuple(fc.array(kSize, { maxLength: 3 }), fc.boolean(), fc.nat()).map(([dims, chunked, at]) => {
          if (chunked || dims.length === 0) dims.splice(at % (dims.length + 1), 0, 'runs' as never);
          return dims as (number | 'runs')[];
        }),
      }),
      { minLength: 1, maxLength: 6 },
    ).map((arrays) => arrays.map((a, i) => ({ name: `a${i}`, ...a }))),
    device: fc.record({
      budgetBytes: fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 2 ** 40 }), fc.constant(2 ** 52)),
      limits: fc.record({ maxBufferSize: kLimit, maxStorageBufferBindingSize: kLimit, maxComputeWorkgroupsPerDimension: kLimit }, { requiredKeys: [] }),
    }),
    planner: fc.record({ headroom: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.99, noNaN: true })), bufferSets: fc.constantFrom(1, 2) }),
  }),
  options: fc.record({
    kernel: fc.option(fc.record({ runsPerWorkgroup: fc.constantFrom(1, 2, 64, 256) }), { nil: undefined }),
    adapterLimits: fc.option(fc.record({ maxBufferSize: kLimit, maxStorageBufferBindingSize: kLimit, maxComputeWorkgroupsPerDimension: kLimit }, { requiredKeys: [] }), { nil: undefined }),
  }, { requiredKeys: [] }),
});

/** `count` values of `arbitrary`, from `seed`. */
export function sample<T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number): T[] {
  return count > 0 ? fc.sample(arbitrary, { numRuns: count, seed }) : [];
}

/**
 * A third of the values hostile (hostile-json.ts), a third real files with one thing
 * inside made hostile, a third real files with one plausible change (or none), which
 * mostly stay valid and reach the code past validation.
 */
function mixed(bases: readonly unknown[], count: number, seed: number): unknown[] {
  const random = new Random(seed);
  const third = Math.floor(count / 3);
  const plain = bases.map((b) => JSON.parse(JSON.stringify(b)));
  return [
    ...sample(hostileValue, third, seed),
    ...sample(fc.oneof(...plain.map(mutationsOf)), third, seed + 1),
    ...Array.from({ length: count - 2 * third }, () => (random.below(8) === 0 ? structuredClone(random.pick(plain)) : gentlyMutated(random.pick(plain), random))),
  ];
}

/** The fuzz targets over `bases`. */
export function fuzzTargets(bases: Bases): FuzzTarget[] {
  return [
    {
      name: 'parseScenario',
      values: (count, seed) => mixed(bases.scenarios, count, seed),
      read: (value) => {
        const parsed = parseScenario(value);
        if (parsed.ok) return 'accepted';
        checkIssues(parsed.issues);
        return 'structured-error';
      },
    },
    {
      name: 'parseTraceFile',
      values: (count, seed) => mixed(bases.traces, count, seed),
      read: (value) => {
        const parsed = parseTraceFile(value);
        if (parsed.ok) return 'accepted';
        if (typeof parsed.message !== 'string' || !parsed.message) broken('a refused trace without a sentence');
        return 'structured-error';
      },
    },
    {
      name: 'importLegacyRequests',
      values: (count, seed) => mixed(bases.legacy, count, seed),
      read: (value) => {
        const imported = importLegacyRequests(value);
        if (imported.ok) {
          if (!parseScenario(imported.scenario).ok) broken('an imported scenario that does not parse');
          return 'accepted';
        }
        if (imported.mistakes.length === 0) checkIssues(imported.issues);
        for (const m of imported.mistakes) if (typeof m.path !== 'string' || !m.message) broken('a mistake without a path or a sentence');
        return 'structured-error';
      },
    },
    {
      name: 'scenarioFromFragment',
      values: (count, seed) => {
        const random = new Random(seed);
        const strings = sample(hostileValue, count, seed).map((v) => {
          const scenario = parseScenario(gentlyMutated(random.pick(bases.scenarios), random));
          switch (random.below(5)) {
            case 0:
              return typeof v === 'string' ? v : String(random.next());
            case 1:
              return `#${kLinkKey}=${typeof v === 'string' ? v : random.next().toString(36)}`;
            case 2: {
              let text: string;
              try {
                text = JSON.stringify(v) ?? 'undefined';
              } catch {
                text = '{';
              }
              return `#${kLinkKey}=${LZString.compressToEncodedURIComponent(text)}`;
            }
            default: {
              // A real link, whole, cut short or with a character changed.
              const fragment = scenario.ok ? scenarioToFragment(scenario.scenario) : `${kLinkKey}=${LZString.compressToEncodedURIComponent('{}')}`;
              const at = random.below(fragment.length);
              const how = random.below(3);
              if (how === 0) return `#${fragment}`;
              return how === 1 ? fragment.slice(0, at) : `${fragment.slice(0, at)}${random.pick(['%', '+', ' ', '\uFEFF', '&', '#'])}${fragment.slice(at + 1)}`;
            }
          }
        });
        return strings;
      },
      read: (value) => {
        const linked = scenarioFromFragment(value as string);
        if (linked.kind === 'none') return 'nothing';
        if (linked.kind === 'scenario') return 'accepted';
        if (!linked.message) broken('a refused link without a sentence');
        return 'structured-error';
      },
    },
    {
      name: 'prepareRun',
      values: (count, seed) => mixed(bases.scenarios, count, seed),
      read: (value) => {
        const prepared = prepareRun(value);
        if (prepared.ok) return checkPlan({ ok: true, plan: prepared.run.plan });
        if (prepared.error.code === 'INVALID_SCENARIO' && 'issues' in prepared.error) checkIssues(prepared.error.issues);
        return checkPlan(prepared);
      },
    },
    {
      name: 'planScenario',
      // Valid scenarios only (the planner's input), built at random, under random adapter limits and kernels.
      values: (count, seed) => sample(kPlannerInput, count, seed).flatMap(({ scenario, options }) => {
        const parsed = parseScenario(scenario);
        return parsed.ok ? [{ scenario: parsed.scenario, options }] : [];
      }),
      read: (value) => {
        const { scenario, options } = value as { scenario: Parameters<typeof planScenario>[0]; options: PlanOptions };
        return checkPlan(planScenario(scenario, options));
      },
    },
  ];
}
