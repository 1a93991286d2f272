/**
 * The kernel registry: one entry per kernel. A new kernel is one WGSL file in shaders/
 * plus one entry here.
 */
import type { Scenario, ScenarioIssue } from '../core/scenario.ts';
import { kAxpyKernel } from './axpy.ts';
import type { Kernel } from './kernel.ts';
import { kLorenzKernel } from './lorenz-rk4.ts';
import { kTouchKernel } from './touch.ts';

/**
 * Every kernel, by the name scenarios use. A Map, not an object: a kernel named
 * `constructor` or `__proto__` must find nothing, not a member of Object.prototype.
 */
export const kKernels: ReadonlyMap<string, Kernel> = new Map([kLorenzKernel, kAxpyKernel, kTouchKernel].map((k) => [k.name, k]));

/** The outcome of {@link kernelFor}. */
export type KernelLookup = { ok: true; kernel: Kernel } | { ok: false; issues: ScenarioIssue[] };

/** The kernel a scenario runs (`touch` when it names none), checked against its arrays. */
export function kernelFor(scenario: Scenario): KernelLookup {
  const name = scenario.kernel?.name ?? kTouchKernel.name;
  const kernel = kKernels.get(name);
  if (!kernel) {
    return { ok: false, issues: [{ path: 'kernel.name', message: `"${name}" is not a kernel; the kernels are ${[...kKernels.keys()].join(', ')}` }] };
  }
  const issues = kernel.check(scenario);
  return issues.length ? { ok: false, issues } : { ok: true, kernel };
}
