/**
 * Planner benchmarks: scenarios of 10 000 and 100 000 arrays, and one of 10^9 runs.
 * Goals (issues 7 and 14): under 1 ms, under 50 ms and under 10 ms, in a process that
 * has planned other scenarios before (every example file is planned first).
 * Each row gives the wall time and, beside it, the CPU time of the process (which a
 * loaded machine inflates less).
 */
import { planScenario } from '../src/core/planner.ts';
import { parseScenario, type ScenarioInput } from '../src/core/scenario.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { measure, summarize } from './measure.ts';
import type { BenchSection } from './section.ts';

function scenario(input: ScenarioInput) {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`benchmark scenario is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.scenario;
}

/** Times `planScenario` on the two sizes the goals name. */
export async function plannerSection(): Promise<BenchSection> {
  const arrays = (count: number) => scenario({
    version: 1,
    runs: 1_000_000,
    arrays: Array.from({ length: count }, (_, i) => ({
      name: `a${i}`,
      role: 'input' as const,
      dtype: i % 3 ? ('f32' as const) : ('f16' as const),
      shape: [1 + (i % 5), 'runs' as const],
    })),
    device: { budgetBytes: 2 ** 32 },
  });
  const manyArrays = arrays(10_000);
  const manyMoreArrays = arrays(100_000);
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
  // A warm process: the planner has met other scenarios (every example) before these.
  const examples = new URL('../examples/', import.meta.url);
  for (const file of readdirSync(examples).filter((f) => f.endsWith('.json'))) {
    const parsed = parseScenario(JSON.parse(readFileSync(new URL(file, examples), 'utf8')));
    if (parsed.ok) for (let i = 0; i < 10; i++) planScenario(parsed.scenario);
  }
  const rows = [];
  for (const [name, s, goalMs] of [
    ['plan 10 000 arrays', manyArrays, 1],
    ['plan 100 000 arrays', manyMoreArrays, 50],
    ['plan 10^9 runs', manyRuns, 10],
  ] as const) {
    const cpu: number[] = [];
    const timing = await measure(() => {
      const before = process.cpuUsage();
      planScenario(s);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }, { warmups: 20, repetitions: 51 });
    const cpuMedian = summarize(cpu.slice(20)).medianMs;
    rows.push({ name, timing, figure: `CPU ${cpuMedian.toFixed(2)} ms (median)`, goal: `< ${goalMs} ms`, met: timing.medianMs < goalMs });
  }
  return { title: 'Planner', note: 'planScenario on a validated scenario (validation not timed).', rows };
}
