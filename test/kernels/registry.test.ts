// The kernel registry: a scenario naming a kernel must have the arrays and parameters it needs, and each problem is a sentence with a path.
import { expect, test } from 'vitest';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';
import { kernelFor, kKernels } from '../../src/kernels/registry.ts';

function scenario(input: object): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.scenario;
}

const lorenzArrays = [
  { name: 'initial_values', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
  { name: 'parameters', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
  { name: 'driver_coefficients', role: 'input', dtype: 'f32', shape: [64, 4] },
  { name: 'state', role: 'output', dtype: 'f32', shape: [10, 3, 'runs'] },
  { name: 'status', role: 'output', dtype: 'u32', shape: ['runs'] },
];
const lorenz = (changes: { arrays?: object[]; kernel?: object }) =>
  scenario({ version: 1, runs: 10, arrays: changes.arrays ?? lorenzArrays, kernel: { name: 'lorenz-rk4', steps: 100, dt: 0.01, saveEvery: 10, ...changes.kernel } });

test('every kernel declares its workgroup size from its WGSL', () => {
  for (const kernel of kKernels.values()) expect(kernel.runsPerWorkgroup).toBe(64);
});

test('a scenario without a kernel runs touch', () => {
  const lookup = kernelFor(scenario({ version: 1, runs: 1, arrays: [{ name: 'a', role: 'output', dtype: 'f32', shape: ['runs'] }] }));
  expect(lookup.ok && lookup.kernel.name).toBe('touch');
});

test.each([
  { name: 'the default layout', changes: {}, issues: [] },
  {
    name: 'a state with the wrong number of saves',
    changes: { kernel: { saveEvery: 20 } },
    issues: [{ path: 'arrays[3].shape', message: 'must be [5, 3, "runs"] for lorenz-rk4\'s "state" (steps 100 / saveEvery 20 = 5 saves)' }],
  },
  {
    name: 'a missing status',
    changes: { arrays: lorenzArrays.slice(0, 4) },
    issues: [{ path: 'arrays', message: 'lorenz-rk4 needs an array "status" (output, u32, ["runs"])' }],
  },
  {
    name: 'parameters of the wrong dtype and role',
    changes: { arrays: lorenzArrays.map((a) => (a.name === 'parameters' ? { ...a, dtype: 'i32', role: 'inout' } : a)) },
    issues: [
      { path: 'arrays[1].role', message: 'must be "input" for lorenz-rk4\'s "parameters"' },
      { path: 'arrays[1].dtype', message: 'must be f32 for lorenz-rk4\'s "parameters"' },
    ],
  },
  { name: 'saveEvery not dividing steps', changes: { kernel: { saveEvery: 7 } }, issues: [{ path: 'kernel.saveEvery', message: 'must divide steps (100) so every save falls on a step' }] },
  { name: 'an unknown parameter', changes: { kernel: { stepz: 3 } }, issues: [{ path: 'kernel.stepz', message: 'is not a parameter of lorenz-rk4 (it takes steps, dt, saveEvery)' }] },
])('lorenz-rk4 with $name', ({ changes, issues }) => {
  const lookup = kernelFor(lorenz(changes));
  expect(lookup.ok ? [] : lookup.issues).toEqual(issues);
});

test('an unknown kernel names the known ones', () => {
  const lookup = kernelFor(scenario({ version: 1, runs: 1, arrays: [{ name: 'a', role: 'output', dtype: 'f32', shape: ['runs'] }], kernel: { name: 'fft' } }));
  expect(lookup.ok ? [] : lookup.issues).toEqual([{ path: 'kernel.name', message: '"fft" is not a kernel; the kernels are lorenz-rk4, axpy, touch' }]);
});

test('axpy wants x and y of one dtype', () => {
  const lookup = kernelFor(scenario({
    version: 1, runs: 4,
    arrays: [{ name: 'x', role: 'input', dtype: 'i32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'u32', shape: ['runs'] }],
    kernel: { name: 'axpy' },
  }));
  expect(lookup.ok ? [] : lookup.issues).toEqual([{ path: 'arrays[0].dtype', message: 'must be u32, the dtype of "y"' }]);
});
