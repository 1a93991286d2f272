/**
 * Host input generation: deterministic in the scenario's `seed`, the array, the global
 * run index and the element index, so a run's inputs do not depend on the chunk it
 * lands in (and chunked outputs can equal unchunked ones bit for bit).
 */
import type { Dtype } from '../core/dtypes.ts';
import { hash32, mix32 } from '../core/hash.ts';
import { createHostArrays, elementView, runLayout, type HostArrays } from '../core/host-arrays.ts';
import type { Scenario } from '../core/scenario.ts';
import type { Kernel } from './kernel.ts';

/** The hash behind input element `element` of run `run` (−1 for a fixed array) of array `arrayIndex`. */
export function inputHash(seed: number, arrayIndex: number, run: number, element: number): number {
  return mix32(mix32(mix32(hash32(seed >>> 0), arrayIndex), run >>> 0), element);
}

/**
 * A generic input value: the hash itself for integers; for floats a multiple of 1/16
 * in [−62.5, 62.5], exact in f16, f32 and f64, so products with small constants stay exact.
 */
export function genericInputValue(dtype: Dtype, h: number): number {
  switch (dtype) {
    case 'u32':
      return h;
    case 'i32':
      return h | 0;
    default:
      return ((h % 2001) - 1000) / 16;
  }
}

/** Host arrays for every array of `scenario`, with inputs (and inouts) filled by `kernel`. */
export function generateInputs(scenario: Scenario, kernel: Kernel): HostArrays {
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
