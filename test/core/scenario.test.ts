// Scenario validation: defaults in one place, every problem reported with its path, never a throw.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { kDefaultLimits, parseScenario, reusesBuffers } from '../../src/core/scenario.ts';
import lorenz from '../../examples/lorenz-batch.json';

const kMinimal = { version: 1, runs: 10, arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }] };

test('defaults are applied to a minimal scenario', () => {
  const parsed = parseScenario(kMinimal);
  expect(parsed).toMatchObject({
    ok: true,
    scenario: {
      name: 'untitled',
      device: { budgetBytes: 64 * 2 ** 20, limits: kDefaultLimits },
      planner: { headroom: 0, bufferSets: 1 },
      recovery: { ladder: ['shrink', 'f16', 'cpu'], shrink: 0.5, maxAttempts: 8 },
      faults: [],
      seed: 1,
    },
  });
});

test('the allocator is exact unless the scenario names caching, whose settings default to PyTorch\'s', () => {
  expect(parseScenario(kMinimal)).toMatchObject({ ok: true, scenario: { allocator: { model: 'exact' } } });
  const caching = parseScenario({ ...kMinimal, allocator: { model: 'caching', smallSizeBytes: 4096 }, planner: { reuseBuffers: false } });
  expect(caching).toMatchObject({
    ok: true,
    scenario: {
      allocator: { model: 'caching', roundBytes: 512, smallSizeBytes: 4096, smallSegmentBytes: 2 ** 21, largeSegmentRoundBytes: 2 ** 21, emptyCacheOnOom: true },
      planner: { reuseBuffers: false },
    },
  });
  const defaults = parseScenario(kMinimal);
  if (defaults.ok) expect(reusesBuffers(defaults.scenario)).toBe(true);
  if (caching.ok) expect(reusesBuffers(caching.scenario)).toBe(false);
});

test('an allocator of any shape, prototype-named keys included, is reported, never thrown', () => {
  const keys = fc.constantFrom('__proto__', 'constructor', 'toString', 'model', 'roundBytes', 'smallSizeBytes', 'emptyCacheOnOom', 'caching');
  const value = fc.oneof(fc.anything(), fc.constantFrom('caching', 'exact', 0, 1e300, -1, true));
  fc.assert(
    fc.property(fc.oneof(fc.anything(), fc.dictionary(keys, value)), (allocator) => {
      const parsed = parseScenario({ ...kMinimal, allocator });
      if (!parsed.ok) for (const issue of parsed.issues) expect(issue.path.startsWith('allocator')).toBe(true);
    }),
    { numRuns: 1000, seed: 19 },
  );
});

test('the default example is valid and keeps its kernel parameters', () => {
  const parsed = parseScenario(lorenz);
  expect(parsed).toMatchObject({ ok: true, scenario: { kernel: { name: 'lorenz-rk4', steps: 1000, dt: 0.01, saveEvery: 10 } } });
});

test('every problem is reported at once, each with its path and the array it is in', () => {
  const parsed = parseScenario({
    version: 1,
    runs: 10,
    arrays: [
      { name: 'x', role: 'input', dtype: 'f32', shape: [10, 0] },
      { name: 'x', role: 'output', dtype: 'f24', shape: ['runs', 'runs'] },
    ],
    planner: { headroom: 1 },
  });
  expect(parsed.ok).toBe(false);
  if (parsed.ok) return;
  expect(parsed.issues).toEqual(
    expect.arrayContaining([
      { path: 'arrays[0].shape[1]', message: 'must be a positive integer or "runs"', array: 'x' },
      { path: 'arrays[1].dtype', message: 'must be one of f16, f32, i32, u32, f64', array: 'x' },
      { path: 'arrays[1].name', message: '"x" is already the name of arrays[0]', array: 'x' },
      { path: 'arrays[1].shape', message: 'holds "runs" 2 times; an array has at most one chunk axis', array: 'x' },
      { path: 'planner.headroom', message: 'must be below 1 (it is the fraction of the budget kept free)' },
    ]),
  );
});

type Mutation = { what: string; path: string; mutate: (s: any) => void };
const kMutations: Mutation[] = [
  { what: 'runs is a string', path: 'runs', mutate: (s) => (s.runs = '100') },
  { what: 'runs is NaN', path: 'runs', mutate: (s) => (s.runs = Number.NaN) },
  { what: 'runs is negative', path: 'runs', mutate: (s) => (s.runs = -5) },
  { what: 'runs is fractional', path: 'runs', mutate: (s) => (s.runs = 2.5) },
  { what: 'runs is huge', path: 'runs', mutate: (s) => (s.runs = 1e300) },
  { what: 'runs is missing', path: 'runs', mutate: (s) => delete s.runs },
  { what: 'version is missing', path: 'version', mutate: (s) => delete s.version },
  { what: 'arrays is empty', path: 'arrays', mutate: (s) => (s.arrays = []) },
  { what: 'an array is null', path: 'arrays[1]', mutate: (s) => (s.arrays[1] = null) },
  { what: 'duplicate names', path: 'arrays[1].name', mutate: (s) => (s.arrays[1].name = s.arrays[0].name) },
  { what: 'two "runs" in a shape', path: 'arrays[0].shape', mutate: (s) => s.arrays[0].shape.push('runs') },
  { what: 'unknown dtype', path: 'arrays[0].dtype', mutate: (s) => (s.arrays[0].dtype = 'bf16') },
  { what: 'unknown role', path: 'arrays[0].role', mutate: (s) => (s.arrays[0].role = 'both') },
  { what: 'a dimension is fractional', path: 'arrays[2].shape[0]', mutate: (s) => (s.arrays[2].shape[0] = 1.5) },
  { what: 'a dimension is a string', path: 'arrays[2].shape[1]', mutate: (s) => (s.arrays[2].shape[1] = '4') },
  { what: 'a shape is too large to count', path: 'arrays[2].shape', mutate: (s) => (s.arrays[2].shape = [2 ** 30, 2 ** 30]) },
  { what: 'budget is negative', path: 'device.budgetBytes', mutate: (s) => (s.device.budgetBytes = -1) },
  { what: 'budget is past 4 PiB', path: 'device.budgetBytes', mutate: (s) => (s.device.budgetBytes = 2 ** 53) },
  { what: 'budget is Infinity', path: 'device.budgetBytes', mutate: (s) => (s.device.budgetBytes = Infinity) },
  { what: 'an unknown limit', path: 'device.limits.maxTextureSize', mutate: (s) => (s.device.limits = { maxTextureSize: 5 }) },
  { what: 'three buffer sets', path: 'planner.bufferSets', mutate: (s) => (s.planner.bufferSets = 3) },
  { what: 'shrink of 1', path: 'recovery.shrink', mutate: (s) => (s.recovery.shrink = 1) },
  { what: 'a rung twice', path: 'recovery.ladder[1]', mutate: (s) => (s.recovery.ladder = ['cpu', 'cpu']) },
  { what: 'an unknown fault kind', path: 'faults[0].kind', mutate: (s) => (s.faults = [{ kind: 'cosmic-ray' }]) },
  { what: 'a fault with both triggers', path: 'faults[0]', mutate: (s) => (s.faults = [{ kind: 'out-of-memory', onAllocation: 1, aboveBytes: 4 }]) },
  { what: 'kernel without a name', path: 'kernel.name', mutate: (s) => (s.kernel = { steps: 3 }) },
  { what: 'a kernel parameter that is not a number', path: 'kernel.steps', mutate: (s) => (s.kernel.steps = 'many') },
  { what: 'an unknown field', path: 'budget', mutate: (s) => (s.budget = 5) },
  { what: 'an unknown allocator model', path: 'allocator.model', mutate: (s) => (s.allocator = { model: 'lru' }) },
  { what: 'a caching setting on the exact model', path: 'allocator.roundBytes', mutate: (s) => (s.allocator = { model: 'exact', roundBytes: 512 }) },
  { what: 'a small segment below the small size', path: 'allocator.smallSegmentBytes', mutate: (s) => (s.allocator = { model: 'caching', smallSegmentBytes: 4096 }) },
  { what: 'emptyCacheOnOom not a boolean', path: 'allocator.emptyCacheOnOom', mutate: (s) => (s.allocator = { model: 'caching', emptyCacheOnOom: 'yes' }) },
  { what: 'reuseBuffers not a boolean', path: 'planner.reuseBuffers', mutate: (s) => (s.planner = { reuseBuffers: 0 }) },
];

describe('malformed scenarios are INVALID_SCENARIO with a path', () => {
  test.each(kMutations)('$what → $path', ({ path, mutate }) => {
    const scenario = structuredClone(lorenz) as any;
    mutate(scenario);
    const parsed = parseScenario(scenario);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain(path);
  });

  test('random combinations of mutations are always reported, never thrown', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: kMutations.length - 1 }), { minLength: 1, maxLength: 5 }), (picks) => {
        const scenario = structuredClone(lorenz) as any;
        for (const i of picks) {
          try {
            kMutations[i].mutate(scenario);
          } catch {
            // An earlier mutation removed what this one edits (e.g. the arrays); the scenario stays broken.
          }
        }
        const parsed = parseScenario(scenario);
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) for (const issue of parsed.issues) expect(issue.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });

  test('any JSON value at all yields a result, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (value) => {
        const parsed = parseScenario(value);
        if (!parsed.ok) expect(parsed.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});
