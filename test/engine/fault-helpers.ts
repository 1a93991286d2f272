/**
 * Helpers the fault tests share: allocation counts, scenarios with faults, output
 * comparison, and one verified fault-free run per scenario to compare against.
 */
import { expect } from 'vitest';
import type { HostArrays } from '../../src/core/host-arrays.ts';
import { planScenario } from '../../src/core/planner.ts';
import type { FaultSpec, Scenario } from '../../src/core/scenario.ts';
import { runScenario, type RunReport } from '../../src/engine/run-scenario.ts';
import { outputNames } from '../../src/engine/verify.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { kPlanCases } from './scenarios.ts';

/** A scenario of the shared table, by its row name. */
export const byName = (name: string) => kPlanCases.find((c) => c.name === name)!.scenario;
/** A small Lorenz batch with two buffer sets and four chunks. */
export const kLorenzSmall = byName('lorenz-rk4, two buffer sets');

/**
 * Allocations of a fault-free WebGPU run, from the executor's order: buffers, the fixed
 * inputs' staging, then per buffer set a chunk uses, its upload and readback staging.
 */
export function allocationsOf(scenario: Scenario): number {
  const kernel = kernelFor(scenario);
  if (!kernel.ok) throw new Error('bad kernel');
  const result = planScenario(scenario, { kernel: { runsPerWorkgroup: kernel.kernel.runsPerWorkgroup } });
  if (!result.ok) throw new Error(result.error.message);
  const plan = result.plan;
  const chunked = (pred: (a: Scenario['arrays'][number]) => boolean) => scenario.arrays.some((a) => a.shape.includes('runs') && pred(a));
  const fixed = (pred: (a: Scenario['arrays'][number]) => boolean) => scenario.arrays.some((a) => !a.shape.includes('runs') && pred(a));
  const uploads = (a: Scenario['arrays'][number]) => a.role === 'input' || a.role === 'inout';
  const readbacks = (a: Scenario['arrays'][number]) => a.role === 'output' || a.role === 'inout';
  const buffers = scenario.arrays.filter((a) => !a.shape.includes('runs')).length + plan.bufferSets * scenario.arrays.filter((a) => a.shape.includes('runs')).length;
  // Fixed outputs come back with every chunk's readback.
  const readsBack = chunked(readbacks) || fixed(readbacks);
  const stagingSets = Math.min(plan.bufferSets, plan.numChunks);
  return buffers + Number(fixed(uploads)) + stagingSets * (Number(chunked(uploads)) + Number(readsBack));
}

/** `scenario` with `faults` and recovery settings. */
export const withFaults = (scenario: Scenario, faults: FaultSpec[], recovery: Partial<Scenario['recovery']> = {}): Scenario => ({
  ...scenario,
  faults,
  recovery: { ...scenario.recovery, ...recovery },
});

/** Index of the first element where two arrays' bytes differ, or −1 (vitest's toEqual is far too slow for millions of elements). */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = from; i < to; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/** Asserts that runs `[0, runs)` of every output are bit-identical. */
export function expectSameOutputs(actual: HostArrays | undefined, expected: HostArrays | undefined, scenario: Scenario, runs = scenario.runs): void {
  // Small runs keep their outputs in memory by default: both reports must have them.
  if (!actual || !expected) throw new Error('a report without outputs: the run did not keep them in memory');
  for (const name of outputNames(scenario)) {
    const spec = scenario.arrays.find((a) => a.name === name)!;
    if (runs === scenario.runs) {
      expect(firstDifference(actual[name], expected[name]), name).toBe(-1);
      continue;
    }
    // Only runs [0, runs) are done: compare their elements, whatever the chunk axis.
    const axis = spec.shape.indexOf('runs');
    const outer = spec.shape.slice(0, axis).reduce<number>((n, d) => n * (d as number), 1);
    const inner = spec.shape.slice(axis + 1).reduce<number>((n, d) => n * (d as number), 1);
    for (let o = 0; o < outer; o++) {
      const from = o * scenario.runs * inner;
      expect(firstDifference(actual[name], expected[name], from, from + runs * inner), `${name} block ${o}`).toBe(-1);
    }
  }
}

const faultFree = new Map<Scenario, Promise<RunReport>>();
/** One verified fault-free WebGPU run per scenario (cached per test file). */
export async function reference(scenario: Scenario, device: GPUDevice): Promise<RunReport> {
  // One verified fault-free run per scenario; fault runs are compared with it bit for bit.
  if (!faultFree.has(scenario)) {
    faultFree.set(scenario, runScenario(scenario, { backend: 'webgpu', device }).then((o) => {
      if (!o.ok) throw new Error(o.error.message);
      expect(o.report.verification?.passed).toBe(true);
      return o.report;
    }));
  }
  return faultFree.get(scenario)!;
}

