// The touch kernel's CPU twin: each run's outputs depend on that run's inputs only (so chunking cannot change them), and on every input element.
import { describe, expect, test } from 'vitest';
import { elementView, runLayout, type HostArrays } from '../../src/core/host-arrays.ts';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';
import { generateInputs } from '../../src/kernels/inputs.ts';
import type { TwinArray } from '../../src/kernels/kernel.ts';
import { kTouchKernel } from '../../src/kernels/touch.ts';
import { bindingPrelude } from '../../src/kernels/bindings.ts';

function scenario(input: object): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.scenario;
}

const kScenario = scenario({
  version: 1, runs: 6,
  arrays: [
    { name: 'a', role: 'input', dtype: 'f32', shape: [2, 'runs', 2] },
    { name: 'h', role: 'input', dtype: 'f16', shape: ['runs'] },
    { name: 'w', role: 'input', dtype: 'u32', shape: [20] },
    { name: 'b', role: 'output', dtype: 'i32', shape: [3, 'runs'] },
    { name: 'c', role: 'output', dtype: 'f16', shape: ['runs', 3] },
    { name: 'k', role: 'output', dtype: 'f32', shape: [4] },
  ],
});

function twin(host: HostArrays): HostArrays {
  const arrays: TwinArray[] = kScenario.arrays.map((spec, binding) => ({
    binding, name: spec.name, role: spec.role, dtype: spec.dtype, layout: runLayout(spec.shape), view: elementView(host[spec.name], spec.dtype),
  }));
  kTouchKernel.twin(kScenario, arrays, kScenario.runs);
  return host;
}

/** Output elements of run `run` (all elements for a fixed output). */
function runOutputs(host: HostArrays, run: number): number[] {
  const b = host.b, c = host.c;
  return [...[0, 1, 2].map((o) => b[o * 6 + run]), ...[0, 1, 2].map((i) => c[run * 3 + i])];
}

describe.each([
  { array: 'a', index: 2 * 6 * 2 - 1, run: 5 },
  { array: 'a', index: 3, run: 1 },
  { array: 'h', index: 4, run: 4 },
])('changing $array[$index]', ({ array, index, run }) => {
  test(`changes run ${run}'s outputs and no other run's`, () => {
    const before = twin(generateInputs(kScenario, kTouchKernel));
    const changed = generateInputs(kScenario, kTouchKernel);
    changed[array][index] += 1;
    const after = twin(changed);
    for (let r = 0; r < kScenario.runs; r++) {
      if (r === run) expect(runOutputs(after, r)).not.toEqual(runOutputs(before, r));
      else expect(runOutputs(after, r)).toEqual(runOutputs(before, r));
    }
  });
});

test('fixed outputs depend on every fixed input element', () => {
  const before = twin(generateInputs(kScenario, kTouchKernel));
  const changed = generateInputs(kScenario, kTouchKernel);
  changed.w[19] ^= 1;
  expect([...twin(changed).k]).not.toEqual([...before.k]);
});

test('the generated WGSL binds every array and stores f16 with atomics, never a plain write', () => {
  const arrays = kScenario.arrays.map((spec, binding) => ({ binding, name: spec.name, role: spec.role, dtype: spec.dtype, layout: runLayout(spec.shape) }));
  const wgsl = bindingPrelude(arrays);
  expect(wgsl.match(/@binding\(\d\)/g)).toHaveLength(6);
  expect(wgsl).toContain('var<storage, read_write> buf_c: array<atomic<u32>>;');
  expect(wgsl).toContain('atomicXor(&buf_c[i >> 1u]');
  expect(wgsl).not.toMatch(/buf_c\[[^\]]*\] =/);
});
