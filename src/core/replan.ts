/**
 * Plans for the unfinished part of a batch, as the recovery ladder needs them: the same
 * arithmetic as the planner, over fewer runs, with the chunk length capped.
 */
import { bufferBytes, planScenario, stagingPeakBytes, type Plan, type PlanOptions, type PlanResult } from './planner.ts';
import type { Scenario } from './scenario.ts';

/** `plan` with `chunkLength` forced (no larger than the plan's runs); bytes, chunks and peak recomputed. */
export function withChunkLength(plan: Plan, chunkLength: number): Plan {
  const length = Math.max(1, Math.min(chunkLength, plan.runs));
  const arrays = plan.arrays.map((a) => ({ ...a, bytes: bufferBytes(a, length) }));
  const numChunks = Math.ceil(plan.runs / length);
  return {
    ...plan,
    chunkLength: length,
    numChunks,
    finalChunkLength: plan.runs - (numChunks - 1) * length,
    arrays,
    predictedPeakBytes: BigInt(arrays.reduce((sum, a) => sum + a.bytes * a.buffers, 0)),
    predictedStagingPeakBytes: stagingPeakBytes(arrays, numChunks, plan.bufferSets),
  };
}

/**
 * Plans runs `[from, scenario.runs)` of `scenario` (as a batch of their own), with the
 * chunk length at most `maxChunkLength`.
 */
export function planRemaining(
  scenario: Scenario,
  from: number,
  maxChunkLength: number,
  options: PlanOptions = {},
): PlanResult {
  const result = planScenario({ ...scenario, runs: scenario.runs - from }, options);
  if (!result.ok || result.plan.chunkLength <= maxChunkLength) return result;
  return { ok: true, plan: withChunkLength(result.plan, maxChunkLength) };
}

/** `scenario` with every f32 array stored as f16: what the `f16` fallback plans and runs. */
export function withF16Storage(scenario: Scenario): Scenario {
  return { ...scenario, arrays: scenario.arrays.map((a) => (a.dtype === 'f32' ? { ...a, dtype: 'f16' as const } : a)) };
}
