/**
 * Planner benchmarks: a scenario of 10 000 arrays, and one of 10^9 runs.
 * Goals (issue 7): under 1 ms and under 10 ms.
 */
import { planScenario } from '../src/core/planner.ts';
import { parseScenario, type ScenarioInput } from '../src/core/scenario.ts';
import { measure } from './measure.ts';
import type { BenchSection } from './section.ts';

function scenario(input: ScenarioInput) {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`benchmark scenario is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.scenario;
}

/** Times `planScenario` on the two sizes the goals name. */
export async function plannerSection(): Promise<BenchSection> {
  const manyArrays = scenario({
    version: 1,
    runs: 1_000_000,
    arrays: Array.from({ length: 10_000 }, (_, i) => ({
      name: `a${i}`,
      role: 'input' as const,
      dtype: i % 3 ? ('f32' as const) : ('f16' as const),
      shape: [1 + (i % 5), 'runs' as const],
    })),
    device: { budgetBytes: 2 ** 32 },
  });
  const manyRuns = scenario({
    version: 1,
    runs: 1_000_000_000,
    arrays: [
      { name: 'state', role: 'output', dtype: 'f32', shape: [200, 3, 'runs'] },
      { name: 'parameters', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
      { name: 'driver_coefficients', role: 'input', dtype: 'f32', shape: [64, 4] },
    ],
    device: { budgetBytes: 2 ** 33 },
  });
  const rows = [];
  for (const [name, s, goalMs] of [
    ['plan 10 000 arrays', manyArrays, 1],
    ['plan 10^9 runs', manyRuns, 10],
  ] as const) {
    const timing = await measure(() => planScenario(s), { warmups: 20, repetitions: 51 });
    rows.push({ name, timing, goal: `< ${goalMs} ms`, met: timing.medianMs < goalMs });
  }
  return { title: 'Planner', note: 'planScenario on a validated scenario (validation not timed).', rows };
}
