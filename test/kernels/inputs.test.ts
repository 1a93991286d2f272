// Inputs generated per chunk hold exactly what the whole host arrays of commit 52fda99 held (kept below as the reference), for every array, chunk split and storage.
import { describe, expect, test } from 'vitest';
import { createHostArrays, elementCount, elementView, packChunk, runLayout, type HostArrays } from '../../src/core/host-arrays.ts';
import { withF16Storage } from '../../src/core/replan.ts';
import type { Scenario } from '../../src/core/scenario.ts';
import { kernelArrays } from '../../src/engine/executor.ts';
import { HostMemory } from '../../src/engine/host-memory.ts';
import { InputMaker } from '../../src/engine/run-host.ts';
import { fillInputChunk, generateInputs, runRange } from '../../src/kernels/inputs.ts';
import type { Kernel } from '../../src/kernels/kernel.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { example, kPlanCases } from '../engine/scenarios.ts';

/** generateInputs as it was before inputs were made per chunk (52fda99), verbatim: the values traces and tests were made with. */
function wholeGeneration(scenario: Scenario, kernel: Kernel): HostArrays {
  const arrays = createHostArrays(scenario);
  scenario.arrays.forEach((spec, arrayIndex) => {
    if (spec.role !== 'input' && spec.role !== 'inout') return;
    const layout = runLayout(spec.shape);
    const view = elementView(arrays[spec.name], spec.dtype);
    if (!layout.chunked) {
      for (let j = 0; j < layout.inner; j++) view.set(j, kernel.inputValue(scenario, spec, arrayIndex, -1, j));
      return;
    }
    const runs = scenario.runs;
    for (let o = 0; o < layout.outer; o++) {
      for (let r = 0; r < runs; r++) {
        const base = (o * runs + r) * layout.inner;
        for (let i = 0; i < layout.inner; i++) {
          view.set(base + i, kernel.inputValue(scenario, spec, arrayIndex, r, o * layout.inner + i));
        }
      }
    }
  });
  return arrays;
}

const kCases = [
  ...kPlanCases.map((c) => ({ name: c.name, scenario: c.scenario })),
  { name: 'examples/lorenz-batch.json, first 3000 runs', scenario: { ...example('lorenz-batch.json'), runs: 3000 } },
  { name: 'examples/touch-strided-mixed.json', scenario: example('touch-strided-mixed.json') },
];

/** Chunk ends that split `runs` unevenly, with chunks of one run and a dangling last chunk. */
function splits(runs: number): number[] {
  const ends = new Set([1, 2, Math.floor(runs / 3), Math.floor(runs / 3) + 1, runs - 1, runs].filter((e) => e > 0 && e <= runs));
  return [...ends].sort((a, b) => a - b);
}

describe.each(kCases)('$name', ({ scenario }) => {
  const lookup = kernelFor(scenario);
  if (!lookup.ok) throw new Error('kernel lookup failed');
  const kernel = lookup.kernel;
  const whole = wholeGeneration(scenario, kernel);

  test('generateInputs equals the whole generation of 52fda99', () => {
    for (const spec of scenario.arrays) expect(Buffer.from(generateInputs(scenario, kernel)[spec.name].buffer).equals(Buffer.from(whole[spec.name].buffer)), spec.name).toBe(true);
  });

  test.each([['native'], ['f16']] as const)('every chunk packed per chunk (%s storage) equals the whole arrays packed as before', (storage) => {
    const stored = storage === 'f16' ? withF16Storage(scenario) : scenario;
    const maker = new InputMaker(scenario, kernel, new HostMemory());
    const fixed = maker.initialFixed();
    for (const array of kernelArrays(stored).filter((a) => a.role === 'input' || a.role === 'inout')) {
      const hostDtype = scenario.arrays[array.binding].dtype;
      let start = 0;
      for (const end of array.layout.chunked ? splits(scenario.runs) : [0]) {
        const n = end - start;
        const count = elementCount(array.layout, n);
        const expected = createStorageLike(array.dtype, count);
        packChunk(whole[array.name], hostDtype, expected, array.dtype, array.layout, scenario.runs, start, end);
        const actual = createStorageLike(array.dtype, count);
        maker.pack(array, actual, runRange(start, end), fixed);
        expect(Buffer.from(actual.buffer).equals(Buffer.from(expected.buffer)), `${array.name} [${start}, ${end})`).toBe(true);
        start = end;
      }
    }
  });
});

test('a chunk of scattered runs holds each run\'s own inputs', () => {
  const scenario = kPlanCases.find((c) => c.name === 'chunk axis last (strided), no dangling chunk')!.scenario;
  const lookup = kernelFor(scenario);
  if (!lookup.ok) throw new Error('kernel lookup failed');
  const whole = wholeGeneration(scenario, lookup.kernel);
  const runs = [17, 3, scenario.runs - 1, 0];
  scenario.arrays.forEach((spec, index) => {
    if (spec.role !== 'input') return;
    const layout = runLayout(spec.shape);
    const chunk = createStorageLike(spec.dtype, elementCount(layout, runs.length));
    fillInputChunk(scenario, lookup.kernel, index, elementView(chunk, spec.dtype), { count: runs.length, runAt: (r) => runs[r] });
    runs.forEach((run, r) => {
      const one = createStorageLike(spec.dtype, elementCount(layout, 1));
      packChunk(whole[spec.name], spec.dtype, one, spec.dtype, layout, scenario.runs, run, run + 1);
      for (let o = 0; o < layout.outer; o++) {
        for (let i = 0; i < layout.inner; i++) expect(chunk[(o * runs.length + r) * layout.inner + i]).toBe(one[o * layout.inner + i]);
      }
    });
  });
});

function createStorageLike(dtype: Scenario['arrays'][number]['dtype'], count: number) {
  return new HostMemory().make(dtype, count);
}
