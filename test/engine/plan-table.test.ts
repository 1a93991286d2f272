// The engine's scenario table plans as its rows say (so the table covers what it claims).
import { describe, expect, test } from 'vitest';
import { planScenario } from '../../src/core/planner.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { kPlanCases } from './scenarios.ts';

describe.each(kPlanCases)('$name', ({ scenario, numChunks, boundBy, dangling }) => {
  test('plans with the stated chunks and bound', () => {
    const kernel = kernelFor(scenario);
    expect(kernel.ok).toBe(true);
    const result = planScenario(scenario, { kernel: { runsPerWorkgroup: kernel.ok ? kernel.kernel.runsPerWorkgroup : 1 } });
    if (!result.ok) throw new Error(result.error.message);
    expect({ numChunks: result.plan.numChunks, boundBy: result.plan.boundBy, dangling: result.plan.finalChunkLength !== result.plan.chunkLength })
      .toEqual({ numChunks, boundBy, dangling });
  });
});
