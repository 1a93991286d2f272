/**
 * `lorenz-rk4`, the default kernel: a batch of forced Lorenz systems integrated with
 * fixed-step RK4, in the manner of GPU batch ODE solvers. shaders/lorenz-rk4.wgsl is the
 * kernel; this module is its registry entry, its input generator and its CPU twin.
 *
 * Parameters are drawn where the Lorenz system is not chaotic (rho in [1, 11], below
 * the onset of transient chaos near 13.9) and runs start with x, y > 0, away from the
 * separatrix: trajectories spiral into a fixed point, so f32 rounding differences
 * between the GPU and the twin shrink instead of growing, and the twin can be held to a
 * tight tolerance.
 */
import type { Dtype } from '../core/dtypes.ts';
import { kRunsAxis, type Scenario, type ScenarioIssue } from '../core/scenario.ts';
import kLorenzWgsl from '../../shaders/lorenz-rk4.wgsl?raw';
import { inputHash } from './inputs.ts';
import { workgroupSizeOf, type Kernel, type TwinArray } from './kernel.ts';
import { checkArrays, checkParams, param, type ParamRequirement } from './requirements.ts';

const kParams: ParamRequirement[] = [
  { name: 'steps', integer: true, min: 1 },
  { name: 'dt', min: 0 },
  { name: 'saveEvery', integer: true, min: 1, default: 1 },
];
const kFloat = ['f32'] as const satisfies readonly Dtype[];
const kSegments = 64;
const kLimit = 1e30;

/** A uniform value in [−1, 1) with 2^−9 resolution, from a hash. */
function unit(h: number): number {
  return ((h & 0x3ff) - 512) / 512;
}

function check(scenario: Scenario): ScenarioIssue[] {
  const issues = checkParams(scenario, 'lorenz-rk4', kParams);
  if (issues.length) return issues;
  const steps = param(scenario, kParams, 'steps');
  const saveEvery = param(scenario, kParams, 'saveEvery');
  if (steps % saveEvery !== 0) {
    return [{ path: 'kernel.saveEvery', message: `must divide steps (${steps}) so every save falls on a step` }];
  }
  const saves = steps / saveEvery;
  return checkArrays(scenario, 'lorenz-rk4', [
    { name: 'initial_values', role: 'input', dtypes: kFloat, shape: [3, kRunsAxis] },
    { name: 'parameters', role: 'input', dtypes: kFloat, shape: [3, kRunsAxis], why: 'sigma, rho, beta per run' },
    { name: 'driver_coefficients', role: 'input', dtypes: kFloat, shape: [kSegments, 4], why: 'a cubic per driver segment' },
    { name: 'state', role: 'output', dtypes: kFloat, shape: [saves, 3, kRunsAxis], why: `steps ${steps} / saveEvery ${saveEvery} = ${saves} saves` },
    { name: 'status', role: 'output', dtypes: ['u32'], shape: [kRunsAxis] },
  ]);
}

function inputValue(scenario: Scenario, spec: { name: string }, arrayIndex: number, run: number, element: number): number {
  const u = unit(inputHash(scenario.seed, arrayIndex, run, element));
  switch (spec.name) {
    case 'initial_values':
      return [2, 2, 10][element] + [1, 1, 2][element] * u;
    case 'parameters':
      return [10 + u, 6 + 5 * u, 8 / 3 + 0.25 * u][element];
    case 'driver_coefficients':
      return element % 4 === 0 ? 0.5 * u : 0.25 * u;
    default:
      return 0;
  }
}

/** The twin: the WGSL's arithmetic with every operation rounded to f32, in the same order. */
function twin(scenario: Scenario, arrays: readonly TwinArray[], runs: number): void {
  const get = (name: string) => arrays.find((a) => a.name === name)!;
  const init = get('initial_values').view;
  const params = get('parameters').view;
  const coef = get('driver_coefficients').view;
  const state = get('state').view;
  const status = get('status').view;
  const f = Math.fround;
  const steps = param(scenario, kParams, 'steps');
  const saveEvery = param(scenario, kParams, 'saveEvery');
  const dt = f(param(scenario, kParams, 'dt'));
  const halfDt = f(0.5 * dt);
  const dt6 = f(dt / 6);
  const scale = f(kSegments / f(f(steps) * dt));
  const c = Float64Array.from({ length: kSegments * 4 }, (_, i) => coef.get(i));
  // The driver depends on time only, so each run sees the same values at the same
  // times: tabulate them once per step (t, t + dt/2, t + dt) instead of per run.
  const driverAt = (t: number) => {
    const position = f(t * scale);
    const segment = Math.min(Math.trunc(Math.max(position, 0)), kSegments - 1);
    const u = f(position - segment);
    const k = segment * 4;
    return f(c[k] + f(u * f(c[k + 1] + f(u * f(c[k + 2] + f(u * c[k + 3]))))));
  };
  const d0 = new Float64Array(steps);
  const dHalf = new Float64Array(steps);
  const d1 = new Float64Array(steps);
  for (let step = 0; step < steps; step++) {
    const t = f(step * dt);
    d0[step] = driverAt(t);
    dHalf[step] = driverAt(f(t + halfDt));
    d1[step] = driverAt(f(t + dt));
  }
  for (let r = 0; r < runs; r++) {
    let x = init.get(r), y = init.get(runs + r), z = init.get(2 * runs + r);
    const s = params.get(r), rho = params.get(runs + r), b = params.get(2 * runs + r);
    let code = 0;
    for (let step = 0; step < steps; step++) {
      if (code === 0) {
        const fa = d0[step], fh = dHalf[step], fb = d1[step];
        const k1x = f(f(s * f(y - x)) + fa), k1y = f(f(x * f(rho - z)) - y), k1z = f(f(x * y) - f(b * z));
        let px = f(x + f(halfDt * k1x)), py = f(y + f(halfDt * k1y)), pz = f(z + f(halfDt * k1z));
        const k2x = f(f(s * f(py - px)) + fh), k2y = f(f(px * f(rho - pz)) - py), k2z = f(f(px * py) - f(b * pz));
        px = f(x + f(halfDt * k2x)); py = f(y + f(halfDt * k2y)); pz = f(z + f(halfDt * k2z));
        const k3x = f(f(s * f(py - px)) + fh), k3y = f(f(px * f(rho - pz)) - py), k3z = f(f(px * py) - f(b * pz));
        px = f(x + f(dt * k3x)); py = f(y + f(dt * k3y)); pz = f(z + f(dt * k3z));
        const k4x = f(f(s * f(py - px)) + fb), k4y = f(f(px * f(rho - pz)) - py), k4z = f(f(px * py) - f(b * pz));
        const nx = f(x + f(dt6 * f(f(f(k1x + f(2 * k2x)) + f(2 * k3x)) + k4x)));
        const ny = f(y + f(dt6 * f(f(f(k1y + f(2 * k2y)) + f(2 * k3y)) + k4y)));
        const nz = f(z + f(dt6 * f(f(f(k1z + f(2 * k2z)) + f(2 * k3z)) + k4z)));
        // NaN fails every comparison, as in the WGSL.
        if (Math.abs(nx) < kLimit && Math.abs(ny) < kLimit && Math.abs(nz) < kLimit) {
          x = nx;
          y = ny;
          z = nz;
        } else {
          code = 1;
        }
      }
      if ((step + 1) % saveEvery === 0) {
        const save = (step + 1) / saveEvery - 1;
        state.set(save * 3 * runs + r, x);
        state.set((save * 3 + 1) * runs + r, y);
        state.set((save * 3 + 2) * runs + r, z);
      }
    }
    status.set(r, code);
  }
}

/** The `lorenz-rk4` kernel. */
export const kLorenzKernel: Kernel = {
  name: 'lorenz-rk4',
  summary: 'forced Lorenz systems, fixed-step RK4, state saved every saveEvery steps',
  runsPerWorkgroup: workgroupSizeOf(kLorenzWgsl),
  check,
  wgsl: () => kLorenzWgsl,
  constants: (scenario) => ({
    steps: param(scenario, kParams, 'steps'),
    dt: param(scenario, kParams, 'dt'),
    save_every: param(scenario, kParams, 'saveEvery'),
  }),
  inputValue,
  twin,
  tolerance: (dtype) =>
    dtype === 'f16'
      ? {
          exact: false,
          abs: 1e-3,
          rel: 2 ** -9,
          why: 'f16 storage keeps 11 significant bits, and the GPU and the twin may round a value to neighbouring f16s',
        }
      : {
          exact: false,
          abs: 1e-3,
          rel: 1e-4,
          why: 'the GPU may fuse multiply-adds and divides to 2.5 ULP; the twin rounds every f32 operation',
        },
};
