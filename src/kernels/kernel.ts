/**
 * What a kernel is: its WGSL, the arrays it needs, its parameters, how its inputs are
 * generated, and its CPU twin. The registry (registry.ts) holds one entry per kernel.
 */
import type { Dtype } from '../core/dtypes.ts';
import type { ElementView, RunLayout } from '../core/host-arrays.ts';
import type { Tolerance } from '../core/run-outcome.ts';
import type { ArraySpec, Scenario, ScenarioIssue } from '../core/scenario.ts';

/** One array as a kernel sees it on a device: its spec with the storage dtype it has there. */
export interface KernelArray {
  /** Position in the scenario's array list: the WGSL binding number. */
  binding: number;
  name: string;
  role: ArraySpec['role'];
  /** The dtype stored on the device (f16 where the f16 fallback stores an f32 array). */
  dtype: Dtype;
  layout: RunLayout;
  /**
   * Bound read_write even when the kernel only reads it. Under the `caching` allocator two
   * arrays can be blocks of one segment, and WebGPU's usage scope is the whole buffer: one
   * buffer bound read-only and writable in one dispatch is a validation error.
   */
  writableBinding?: boolean;
}

/** One array handed to a CPU twin: its layout and an element view over the chunk's storage. */
export interface TwinArray extends KernelArray {
  view: ElementView;
}

/** How outputs are compared with the CPU twin (defined in core: a trace file carries it). */
export type { Tolerance } from '../core/run-outcome.ts';

/** A kernel: one WGSL file, one registry entry, one CPU twin. */
export interface Kernel {
  /** The name scenarios use in `kernel.name`. */
  name: string;
  /** One sentence on what it computes. */
  summary: string;
  /** Runs one workgroup covers: the `kWorkgroupSize` constant written in its WGSL. */
  runsPerWorkgroup: number;
  /** Problems with a scenario that names this kernel, each with a path. Empty when it can run. */
  check(scenario: Scenario): ScenarioIssue[];
  /**
   * The kernel's WGSL without bindings (they are generated from the arrays: see
   * bindings.ts), for the arrays as stored on the device.
   */
  wgsl(arrays: readonly KernelArray[]): string;
  /** Values of the WGSL `override` constants for a scenario (the run count is added per chunk). */
  constants(scenario: Scenario): Record<string, number>;
  /** Value of element `element` of run `run` (or of a fixed array, `run` = -1) of input array `spec`. */
  inputValue(scenario: Scenario, spec: ArraySpec, arrayIndex: number, run: number, element: number): number;
  /** The CPU twin: computes `runs` runs over chunk-layout arrays, as the WGSL does. */
  twin(scenario: Scenario, arrays: readonly TwinArray[], runs: number): void;
  /** How its outputs compare with the twin's, for arrays stored as `dtype`. */
  tolerance(dtype: Dtype): Tolerance;
}

/** The runs-per-workgroup constant of a WGSL source (`const kWorkgroupSize = 64u;`). */
export function workgroupSizeOf(wgsl: string): number {
  const match = /const\s+kWorkgroupSize\s*=\s*(\d+)u?\s*;/.exec(wgsl);
  if (!match) throw new Error('the kernel WGSL declares no `const kWorkgroupSize = …u;`');
  return Number(match[1]);
}
