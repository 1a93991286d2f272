/**
 * Host input generation: deterministic in the scenario's `seed`, the array, the global
 * run index and the element index, so a run's inputs do not depend on the chunk it
 * lands in (and chunked outputs can equal unchunked ones bit for bit).
 */
import type { Dtype } from '../core/dtypes.ts';
import { hash32, mix32 } from '../core/hash.ts';
import { createHostArrays, elementView, runLayout, type ElementView, type HostArrays } from '../core/host-arrays.ts';
import type { ArraySpec, Scenario } from '../core/scenario.ts';
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

/** The runs a chunk holds, in its order: local run `r` is global run `runAt(r)`. */
export interface RunSelection {
  count: number;
  runAt(local: number): number;
  /** The first run, when the runs are `[start, start + count)`. */
  start?: number;
}

/** Runs `[start, end)`, in order: a chunk of a run. */
export function runRange(start: number, end: number): RunSelection {
  return { count: end - start, runAt: (local) => start + local, start };
}

/**
 * Writes input array `arrayIndex`'s values for the runs of `runs` into `view`, laid out
 * as a chunk of `runs.count` runs (a fixed array is written whole). The values depend
 * on the global run index only, so a chunk generated alone holds exactly what the same
 * runs hold in {@link generateInputs}.
 */
export function fillInputChunk(scenario: Scenario, kernel: Kernel, arrayIndex: number, view: ElementView, runs: RunSelection): void {
  const spec = scenario.arrays[arrayIndex];
  const layout = runLayout(spec.shape);
  if (!layout.chunked) {
    for (let j = 0; j < layout.inner; j++) view.set(j, kernel.inputValue(scenario, spec, arrayIndex, -1, j));
    return;
  }
  const n = runs.count;
  for (let r = 0; r < n; r++) {
    const run = runs.runAt(r);
    for (let o = 0; o < layout.outer; o++) {
      const base = (o * n + r) * layout.inner;
      for (let i = 0; i < layout.inner; i++) {
        view.set(base + i, kernel.inputValue(scenario, spec, arrayIndex, run, o * layout.inner + i));
      }
    }
  }
}

/** Whether an array's values are generated (inputs, and inouts before the kernel writes them). */
export const isGenerated = (spec: Pick<ArraySpec, 'role'>) => spec.role === 'input' || spec.role === 'inout';

/** Host arrays for every array of `scenario` and all its runs, with inputs (and inouts) filled by `kernel`. */
export function generateInputs(scenario: Scenario, kernel: Kernel): HostArrays {
  const arrays = createHostArrays(scenario);
  const all = runRange(0, scenario.runs);
  scenario.arrays.forEach((spec, arrayIndex) => {
    if (isGenerated(spec)) fillInputChunk(scenario, kernel, arrayIndex, elementView(arrays[spec.name], spec.dtype), all);
  });
  return arrays;
}
