/**
 * `axpy`: y = a·x + y over `["runs"]` arrays; contiguous and memory-bound.
 * shaders/axpy.wgsl is the kernel; this module is its registry entry and CPU twin.
 */
import type { Dtype } from '../core/dtypes.ts';
import type { Scenario, ScenarioIssue } from '../core/scenario.ts';
import kAxpyWgsl from '../../shaders/axpy.wgsl?raw';
import { genericInputValue, inputHash } from './inputs.ts';
import { workgroupSizeOf, type Kernel, type TwinArray } from './kernel.ts';
import { checkArrays, checkParams, param, type ParamRequirement } from './requirements.ts';

const kDtypes = ['f32', 'i32', 'u32'] as const satisfies readonly Dtype[];
const kParams: ParamRequirement[] = [{ name: 'a', default: 2.5 }];

/** The scalar a as WGSL converts the f32 override to the array's value type. */
function scalar(a: number, dtype: Dtype): number {
  const f = Math.fround(a);
  if (dtype === 'i32') return Math.max(-2147483648, Math.min(2147483647, Math.trunc(f)));
  if (dtype === 'u32') return Math.max(0, Math.min(4294967295, Math.trunc(f)));
  return f;
}

function twin(scenario: Scenario, arrays: readonly TwinArray[], runs: number): void {
  const x = arrays.find((a) => a.name === 'x')!;
  const y = arrays.find((a) => a.name === 'y')!;
  const a = scalar(param(scenario, kParams, 'a'), y.dtype);
  for (let r = 0; r < runs; r++) {
    const xv = x.view.get(r);
    const yv = y.view.get(r);
    // Integer arithmetic wraps as WGSL's does; f32 rounds after each operation.
    if (y.dtype === 'i32') y.view.set(r, (Math.imul(a, xv) + yv) | 0);
    else if (y.dtype === 'u32') y.view.set(r, (Math.imul(a, xv) + yv) >>> 0);
    else y.view.set(r, Math.fround(Math.fround(a * xv) + yv));
  }
}

/** The `axpy` kernel. */
export const kAxpyKernel: Kernel = {
  name: 'axpy',
  summary: 'y = a·x + y over ["runs"] arrays (contiguous, memory-bound)',
  runsPerWorkgroup: workgroupSizeOf(kAxpyWgsl),
  check(scenario: Scenario): ScenarioIssue[] {
    const issues = [
      ...checkArrays(scenario, 'axpy', [
        { name: 'x', role: 'input', dtypes: kDtypes, shape: ['runs'] },
        { name: 'y', role: 'inout', dtypes: kDtypes, shape: ['runs'] },
      ]),
      ...checkParams(scenario, 'axpy', kParams),
    ];
    const x = scenario.arrays.findIndex((a) => a.name === 'x');
    const y = scenario.arrays.find((a) => a.name === 'y');
    if (issues.length === 0 && y && scenario.arrays[x].dtype !== y.dtype) {
      issues.push({ path: `arrays[${x}].dtype`, message: `must be ${y.dtype}, the dtype of "y"` });
    }
    return issues;
  },
  wgsl: () => kAxpyWgsl,
  constants: (scenario) => ({ a: param(scenario, kParams, 'a') }),
  inputValue: (scenario, spec, arrayIndex, run, element) =>
    genericInputValue(spec.dtype, inputHash(scenario.seed, arrayIndex, run, element)),
  twin,
  // Inputs are multiples of 1/16 below 63 and a is 2.5 by default: every f32 result is exact.
  tolerance: (dtype) =>
    dtype === 'f16'
      ? { exact: false, abs: 0, rel: 2 ** -10, why: 'f16 storage rounds each result to 11 significant bits, and pack2x16float may round either way' }
      : { exact: true },
};
