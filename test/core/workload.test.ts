// The workload schema: defaults, every problem with its path, scenarios as one-job workloads, never a throw.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isWorkloadJson, parseWorkload } from '../../src/core/workload.ts';

const kScenario = { version: 1, runs: 8, arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'output', dtype: 'f32', shape: ['runs'] }] };
const kWorkload = {
  version: 1,
  kind: 'workload',
  name: 'two',
  device: { budgetBytes: 4096 },
  lanes: [{ name: 'solvers', share: 0.5 }, { name: 'tests', share: 'auto' }],
  jobs: [
    { name: 'a', lane: 'solvers', scenario: kScenario },
    { name: 'b', holdsMemoryUntilExit: true, scenario: { ...kScenario, device: { budgetBytes: 1000 } } },
    { name: 'c', weight: 1251 },
  ],
};
const kBuiltInKeys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];

describe('parseWorkload', () => {
  test('applies the defaults and resolves pinned lanes to indices', () => {
    const parsed = parseWorkload(kWorkload);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { workload } = parsed;
    expect(workload.device).toEqual({ budgetBytes: 4096, limits: expect.objectContaining({ maxBufferSize: 268_435_456 }), mode: 'shared', mps: false });
    expect(workload.placement).toBe('lpt');
    expect(workload.isolation).toBe('per-lane');
    expect(workload.jobs.map((j) => [j.name, j.lane, j.ownBudget, j.holdsMemoryUntilExit])).toEqual([
      ['a', 0, false, false],
      ['b', undefined, true, true],
      ['c', undefined, false, false],
    ]);
  });

  test('a lane count gives that many auto lanes', () => {
    const parsed = parseWorkload({ ...kWorkload, lanes: 3, jobs: [{ name: 'c', weight: 1 }] });
    expect(parsed.ok && parsed.workload.lanes).toEqual([
      { name: 'lane_1', share: 'auto' }, { name: 'lane_2', share: 'auto' }, { name: 'lane_3', share: 'auto' },
    ]);
  });

  test('a plain scenario is a workload of one job on one lane holding the whole budget', () => {
    const parsed = parseWorkload({ ...kScenario, name: 'Lorenz batch', device: { budgetBytes: 2048 } });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(isWorkloadJson(kScenario)).toBe(false);
    expect(parsed.workload.lanes).toEqual([{ name: 'lane_1', share: 1 }]);
    expect(parsed.workload.device.budgetBytes).toBe(2048);
    expect(parsed.workload.jobs).toHaveLength(1);
    expect(parsed.workload.jobs[0].name).toBe('Lorenz_batch');
  });

  test('an invalid scenario is reported with its own paths, as a scenario', () => {
    const parsed = parseWorkload({ ...kScenario, runs: 0 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain('runs');
  });

  const kMutations: { what: string; path: string; mutate(w: any): void }[] = [
    { what: 'a wrong kind', path: 'kind', mutate: (w) => (w.kind = 'workloads') },
    { what: 'no jobs', path: 'jobs', mutate: (w) => (w.jobs = []) },
    { what: 'a share over 1', path: 'lanes[0].share', mutate: (w) => (w.lanes[0].share = 1.5) },
    { what: 'a share of 0', path: 'lanes[0].share', mutate: (w) => (w.lanes[0].share = 0) },
    { what: 'a lane count of 0', path: 'lanes', mutate: (w) => (w.lanes = 0) },
    { what: 'two lanes of one name', path: 'lanes[1].name', mutate: (w) => (w.lanes[1].name = 'solvers') },
    { what: 'two jobs of one name', path: 'jobs[1].name', mutate: (w) => (w.jobs[1].name = 'a') },
    { what: 'a pin to no lane', path: 'jobs[0].lane', mutate: (w) => (w.jobs[0].lane = 'gpu0') },
    { what: 'a job with neither scenario nor weight', path: 'jobs[2]', mutate: (w) => delete w.jobs[2].weight },
    // Only in the same process: JSON has no undefined, and a link drops the key.
    { what: 'a job whose weight is undefined', path: 'jobs[2]', mutate: (w) => (w.jobs[2].weight = undefined) },
    { what: 'a negative weight', path: 'jobs[2].weight', mutate: (w) => (w.jobs[2].weight = -1) },
    { what: 'a bad scenario inside a job', path: 'jobs[0].scenario.arrays[0].dtype', mutate: (w) => (w.jobs[0].scenario.arrays[0].dtype = 'f8') },
    { what: 'limits inside a job', path: 'jobs[0].scenario.device.limits', mutate: (w) => (w.jobs[0].scenario.device = { limits: {} }) },
    { what: 'an unknown mode', path: 'device.mode', mutate: (w) => (w.device.mode = 'mps') },
    { what: 'an unknown field', path: 'jobs[0].holdMemory', mutate: (w) => (w.jobs[0].holdMemory = true) },
    { what: 'held memory on a weight-only job', path: 'jobs[2].holdsMemoryUntilExit', mutate: (w) => (w.jobs[2].holdsMemoryUntilExit = true) },
    { what: 'a bad placement', path: 'placement', mutate: (w) => (w.placement = 'random') },
  ];

  test.each(kMutations)('$what → $path', ({ path, mutate }) => {
    const workload = structuredClone(kWorkload) as any;
    mutate(workload);
    const parsed = parseWorkload(workload);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toContain(path);
  });

  test.each(kBuiltInKeys)('the name %s for a lane and a pin is a plain name', (name) => {
    const workload = JSON.parse(JSON.stringify({ ...kWorkload, lanes: [{ name: 'x', share: 'auto' }], jobs: [{ name: 'a', lane: name, weight: 1 }] }));
    const parsed = parseWorkload(workload);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues).toContainEqual({ path: 'jobs[0].lane', message: 'names no lane; the lanes are "x"' });
  });

  test('any value at all, prototype-named keys included, yields a result, never an exception', () => {
    const key = fc.oneof(fc.constantFrom(...kBuiltInKeys, 'kind', 'jobs', 'lanes', 'scenario', 'share', 'lane', 'device'), fc.string());
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.anything(), fc.constantFrom('workload', 'auto', 1, 0.5), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
    })).node;
    const workloadLike = fc.record({ version: fc.constant(1), kind: fc.constant('workload'), lanes: value, jobs: value, device: value }, { requiredKeys: ['kind'] });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), value, workloadLike), (input) => {
        const parsed = parseWorkload(JSON.parse(JSON.stringify(input ?? null) ?? 'null'));
        if (!parsed.ok) for (const issue of parsed.issues) expect(issue.message.length).toBeGreaterThan(0);
        const raw = parseWorkload(input);
        if (!raw.ok) expect(raw.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000, seed: 15 },
    );
  });
});
