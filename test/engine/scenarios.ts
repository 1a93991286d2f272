/**
 * Scenarios the engine tests share: the default example and a table that covers every
 * shape of plan (chunk axis first, middle, last; fixed arrays; dangling final chunk;
 * one chunk; many chunks; two buffer sets; f32, i32, u32, f16; budget- and limit-bound).
 */
import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';

/** Parses a scenario or throws with its issues. */
export function scenario(input: object): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return parsed.scenario;
}

/** The scenario of an example file. */
export function example(name: string): Scenario {
  return scenario(JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')));
}

/** One row of the table: a scenario and what its plan must look like. */
export interface PlanCase {
  name: string;
  scenario: Scenario;
  numChunks: number;
  boundBy: string;
  dangling: boolean;
}

const arr = (name: string, role: 'input' | 'output' | 'inout' | 'scratch', dtype: 'f16' | 'f32' | 'i32' | 'u32' | 'f64', shape: (number | 'runs')[]) => ({ name, role, dtype, shape });

/** The table of scenarios every backend must run exactly. */
export const kPlanCases: PlanCase[] = [
  {
    name: 'chunk axis first, budget-bound, dangling',
    scenario: scenario({ version: 1, runs: 1001, arrays: [arr('a', 'input', 'f32', ['runs', 4]), arr('b', 'output', 'u32', ['runs', 3])], device: { budgetBytes: 7000 } }),
    numChunks: 5, boundBy: 'budget', dangling: true,
  },
  {
    name: 'chunk axis middle, i32 in, f32 out',
    scenario: scenario({ version: 1, runs: 301, arrays: [arr('a', 'input', 'i32', [2, 'runs', 3]), arr('b', 'output', 'f32', [3, 'runs', 2])], device: { budgetBytes: 4800 } }),
    numChunks: 4, boundBy: 'budget', dangling: true,
  },
  {
    name: 'chunk axis last (strided), no dangling chunk',
    scenario: scenario({ version: 1, runs: 500, arrays: [arr('a', 'input', 'f32', [5, 'runs']), arr('b', 'output', 'f32', [4, 'runs'])], device: { budgetBytes: 3600 } }),
    numChunks: 5, boundBy: 'budget', dangling: false,
  },
  {
    name: 'fixed input, output and inout arrays',
    scenario: scenario({
      version: 1, runs: 257,
      arrays: [arr('w', 'input', 'f32', [10, 10]), arr('x', 'input', 'u32', [2, 'runs']), arr('c', 'output', 'u32', [7]), arr('k', 'inout', 'i32', [5]), arr('y', 'output', 'i32', ['runs', 2])],
      device: { budgetBytes: 2000 },
    }),
    numChunks: 3, boundBy: 'budget', dangling: true,
  },
  {
    name: 'one chunk (fits)',
    scenario: scenario({ version: 1, runs: 300, arrays: [arr('a', 'input', 'u32', [2, 'runs']), arr('b', 'output', 'u32', ['runs'])] }),
    numChunks: 1, boundBy: 'fits', dangling: false,
  },
  {
    name: 'many chunks of 3 runs',
    scenario: scenario({ version: 1, runs: 100, arrays: [arr('a', 'input', 'f32', [2, 'runs']), arr('b', 'inout', 'f32', ['runs', 2])], device: { budgetBytes: 48 } }),
    numChunks: 34, boundBy: 'budget', dangling: true,
  },
  {
    name: 'two buffer sets',
    scenario: scenario({ version: 1, runs: 999, arrays: [arr('a', 'input', 'f32', [3, 'runs']), arr('b', 'output', 'f32', [2, 'runs'])], device: { budgetBytes: 8000 }, planner: { bufferSets: 2 } }),
    numChunks: 5, boundBy: 'budget', dangling: true,
  },
  {
    name: 'f16 arrays sharing words between runs (odd inner)',
    scenario: scenario({ version: 1, runs: 333, arrays: [arr('a', 'input', 'f16', [3, 'runs']), arr('b', 'output', 'f16', ['runs', 3]), arr('c', 'inout', 'f16', [1, 'runs', 1])], device: { budgetBytes: 1000 } }),
    numChunks: 5, boundBy: 'budget', dangling: true,
  },
  {
    name: 'bound by maxBufferSize',
    scenario: scenario({ version: 1, runs: 400, arrays: [arr('a', 'input', 'f32', [3, 'runs']), arr('b', 'output', 'u32', [8, 'runs'])], device: { limits: { maxBufferSize: 1024 } } }),
    numChunks: 13, boundBy: 'maxBufferSize', dangling: true,
  },
  {
    name: 'bound by maxStorageBufferBindingSize, with scratch',
    scenario: scenario({ version: 1, runs: 300, arrays: [arr('a', 'input', 'i32', ['runs']), arr('s', 'scratch', 'f32', [2, 'runs']), arr('b', 'output', 'i32', ['runs'])], device: { limits: { maxStorageBufferBindingSize: 400 } } }),
    numChunks: 6, boundBy: 'maxStorageBufferBindingSize', dangling: false,
  },
  {
    name: 'bound by maxComputeWorkgroupsPerDimension',
    scenario: scenario({ version: 1, runs: 200, arrays: [arr('a', 'input', 'u32', ['runs']), arr('b', 'output', 'u32', ['runs'])], device: { limits: { maxComputeWorkgroupsPerDimension: 1 } } }),
    numChunks: 4, boundBy: 'maxComputeWorkgroupsPerDimension', dangling: true,
  },
  {
    name: 'axpy f32',
    scenario: scenario({ version: 1, runs: 1000, arrays: [arr('x', 'input', 'f32', ['runs']), arr('y', 'inout', 'f32', ['runs'])], device: { budgetBytes: 3000 }, kernel: { name: 'axpy', a: 2.5 } }),
    numChunks: 3, boundBy: 'budget', dangling: true,
  },
  {
    name: 'axpy i32',
    scenario: scenario({ version: 1, runs: 1000, arrays: [arr('x', 'input', 'i32', ['runs']), arr('y', 'inout', 'i32', ['runs'])], device: { budgetBytes: 3000 }, kernel: { name: 'axpy', a: -3 } }),
    numChunks: 3, boundBy: 'budget', dangling: true,
  },
  {
    name: 'axpy u32',
    scenario: scenario({ version: 1, runs: 1000, arrays: [arr('x', 'input', 'u32', ['runs']), arr('y', 'inout', 'u32', ['runs'])], device: { budgetBytes: 4000 }, kernel: { name: 'axpy', a: 7 } }),
    numChunks: 2, boundBy: 'budget', dangling: false,
  },
  {
    name: 'lorenz-rk4, two buffer sets',
    scenario: scenario({
      version: 1, runs: 500,
      arrays: [
        arr('initial_values', 'input', 'f32', [3, 'runs']), arr('parameters', 'input', 'f32', [3, 'runs']),
        arr('driver_coefficients', 'input', 'f32', [64, 4]), arr('state', 'output', 'f32', [10, 3, 'runs']), arr('status', 'output', 'u32', ['runs']),
      ],
      device: { budgetBytes: 40000 }, planner: { bufferSets: 2 },
      kernel: { name: 'lorenz-rk4', steps: 100, dt: 0.05, saveEvery: 10 },
    }),
    numChunks: 4, boundBy: 'budget', dangling: true,
  },
];
