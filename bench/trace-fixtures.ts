/**
 * Saved traces of real runs for the browser benchmark and the timeline's browser tests,
 * recorded on the CPU backend in Node (no GPU needed; the events a WebGPU run writes but
 * its staging buffers): axpy, whose CPU twin is fast, cut into as many chunks as asked —
 * 3 922 chunks as the 200 000-run batch, or enough for a million events.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '../src/core/scenario.ts';
import { toTraceFile } from '../src/core/trace-file.ts';
import { registerRawImports } from '../src/cli/raw-imports.ts';

/** axpy over `runs` runs, `chunkLength` runs a chunk (x and y are 4 B a run each); about 5 events a chunk. */
export function axpyChunks(runs: number, chunkLength: number): Scenario {
  return scenario({
    version: 1,
    name: `axpy, ${runs} runs in chunks of ${chunkLength}`,
    runs,
    arrays: [
      { name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] },
      { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] },
    ],
    device: { budgetBytes: 8 * chunkLength },
    planner: { headroom: 0, bufferSets: 1 },
    kernel: { name: 'axpy', a: 2.5 },
    seed: 3,
  });
}

/** Runs `s` on the CPU backend and writes its trace file; returns the path and the event count. */
export async function savedTrace(s: Scenario, file: string): Promise<{ path: string; events: number }> {
  // The engine imports the kernels' WGSL as `?raw`, which Node loads only with these hooks.
  registerRawImports();
  const { runScenario } = await import('../src/engine/index.ts');
  const outcome = await runScenario(s, { backend: 'cpu' });
  if (!outcome.ok) throw new Error(`fixture run failed: ${outcome.error.message}`);
  const { report } = outcome;
  const path = join(tmpdir(), file);
  writeFileSync(path, JSON.stringify(toTraceFile(s, 'CPU backend in Node (fixture)', report.trace, { ...(report.verification && { verification: report.verification }) })));
  return { path, events: report.trace.length };
}

function scenario(input: unknown): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`fixture scenario is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.scenario;
}
