/**
 * Checks that a scenario naming a kernel has the arrays and parameters it needs, and
 * says what is wrong in a sentence with a path.
 */
import type { Dtype } from '../core/dtypes.ts';
import type { ArraySpec, Role, Scenario, ScenarioIssue } from '../core/scenario.ts';

/** One array a kernel needs. */
export interface ArrayRequirement {
  name: string;
  role: Role;
  dtypes: readonly Dtype[];
  shape: ArraySpec['shape'];
  /** Why the shape is what it is, when it comes from parameters. */
  why?: string;
}

/** One numeric parameter a kernel needs in `kernel`. */
export interface ParamRequirement {
  name: string;
  integer?: boolean;
  /** Smallest value allowed (inclusive). */
  min?: number;
  /** Value used when the scenario leaves it out; without one it is required. */
  default?: number;
}

const formatShape = (shape: ArraySpec['shape']) => `[${shape.map((d) => (typeof d === 'string' ? `"${d}"` : d)).join(', ')}]`;

/** Problems with `scenario`'s arrays against `requirements` for kernel `kernel`. */
export function checkArrays(scenario: Scenario, kernel: string, requirements: readonly ArrayRequirement[]): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  for (const need of requirements) {
    const i = scenario.arrays.findIndex((a) => a.name === need.name);
    const wanted = `${need.role}, ${need.dtypes.join(' or ')}, ${formatShape(need.shape)}`;
    if (i < 0) {
      issues.push({ path: 'arrays', message: `${kernel} needs an array "${need.name}" (${wanted})` });
      continue;
    }
    const a = scenario.arrays[i];
    if (a.role !== need.role) issues.push({ path: `arrays[${i}].role`, message: `must be "${need.role}" for ${kernel}'s "${need.name}"` });
    if (!need.dtypes.includes(a.dtype)) {
      issues.push({ path: `arrays[${i}].dtype`, message: `must be ${need.dtypes.join(' or ')} for ${kernel}'s "${need.name}"` });
    }
    if (formatShape(a.shape) !== formatShape(need.shape)) {
      issues.push({
        path: `arrays[${i}].shape`,
        message: `must be ${formatShape(need.shape)} for ${kernel}'s "${need.name}"${need.why ? ` (${need.why})` : ''}`,
      });
    }
  }
  return issues;
}

/** Problems with `scenario.kernel`'s parameters against `params`. */
export function checkParams(scenario: Scenario, kernel: string, params: readonly ParamRequirement[]): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const given: Record<string, unknown> = scenario.kernel ?? { name: kernel };
  for (const p of params) {
    const value = given[p.name] as number | undefined;
    if (value === undefined) {
      if (p.default === undefined) issues.push({ path: 'kernel', message: `${kernel} needs the parameter "${p.name}"` });
      continue;
    }
    if (p.integer && !Number.isSafeInteger(value)) issues.push({ path: `kernel.${p.name}`, message: 'must be a whole number' });
    else if (p.min !== undefined && value < p.min) issues.push({ path: `kernel.${p.name}`, message: `must be at least ${p.min}` });
    // Parameters reach WGSL as f32 or u32 override constants; past f32's range a pipeline cannot be made.
    else if (!Number.isFinite(Math.fround(value))) issues.push({ path: `kernel.${p.name}`, message: `${value} is outside the range of f32 (about ±3.4e38)` });
  }
  const known = new Set(['name', ...params.map((p) => p.name)]);
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      issues.push({ path: `kernel.${key}`, message: `is not a parameter of ${kernel} (it takes ${params.map((p) => p.name).join(', ') || 'none'})` });
    }
  }
  return issues;
}

/** Parameter `name` of the scenario's kernel, or its default. */
export function param(scenario: Scenario, params: readonly ParamRequirement[], name: string): number {
  const value = scenario.kernel?.[name] as number | undefined;
  return value ?? params.find((p) => p.name === name)!.default!;
}
