// The what-if table of any JSON value: a table or issues with paths, never a throw; the kernel's dispatch limit is in every row.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { whatIfFor } from '../../src/engine/what-if-for.ts';
import { prepareRun } from '../../src/engine/prepare-run.ts';
import { scenarioExampleFiles } from '../core/example-files.ts';
import { hostileValue, kPrototypeKeys, mutationsOf } from '../fuzz/hostile-json.ts';

const kScenarios = scenarioExampleFiles().map((e) => e.json);

test('any value, prototype keys included, gives rows or issues with paths', () => {
  const prototypeKeyed = fc.constantFrom(...kPrototypeKeys).map((key) => ({ version: 1, runs: 3, arrays: [{ name: key, role: 'input', dtype: 'f32', shape: ['runs'] }], [key]: 1 }));
  fc.assert(
    fc.property(fc.oneof(fc.anything(), hostileValue, prototypeKeyed, fc.oneof(...kScenarios.map(mutationsOf))), (value) => {
      const reply = whatIfFor(value);
      if (reply.ok) expect(reply.rows[0].kind).toBe('as planned');
      else for (const issue of reply.issues) expect(issue.path).toEqual(expect.any(String));
    }),
    { numRuns: 300, seed: 23 },
  );
});

test.each(scenarioExampleFiles().filter((e) => prepareRun(e.json).ok))('$file: the first row is the plan a run gets', ({ json }) => {
  const prepared = prepareRun(json);
  const reply = whatIfFor(json);
  if (!prepared.ok || !reply.ok) throw new Error('both plan');
  const first = reply.rows[0].outcome;
  expect(first).toMatchObject({ ok: true, chunkLength: prepared.run.plan.chunkLength, predictedPeakBytes: prepared.run.plan.predictedPeakBytes });
});
