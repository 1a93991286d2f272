/**
 * Saved traces for the browser benchmark and the timeline's browser tests: axpy runs
 * (whose CPU twin is fast) recorded on the CPU backend in Node, cut into as many chunks
 * as asked — 3 922 chunks as the 200 000-run batch, or enough for a million
 * events. The CPU backend needs no staging buffers; a WebGPU run allocates one around
 * each upload and readback, so {@link withStaging} adds those, as the WebGPU executor
 * labels them, to give the timeline the memory steps of a real GPU run.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '../src/core/scenario.ts';
import { toTraceFile } from '../src/core/trace-file.ts';
import type { TraceEvent } from '../src/core/trace.ts';
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
  const events = withStaging(report.trace);
  const path = join(tmpdir(), file);
  writeFileSync(path, JSON.stringify(toTraceFile(s, 'CPU backend in Node, with staging buffers added (fixture)', events, { ...(report.verification && { verification: report.verification }) })));
  return { path, events: events.length };
}

/** `events` with a staging buffer allocated for each chunk's upload and writeback and freed after it. */
export function withStaging(events: readonly TraceEvent[]): TraceEvent[] {
  let id = events.reduce((most, e) => (e.kind === 'alloc' ? Math.max(most, e.id) : most), 0);
  let last = 0;
  const out: TraceEvent[] = [];
  for (const e of events) {
    if ((e.kind === 'upload' || e.kind === 'writeback') && e.chunk >= 0) {
      const label = `${e.kind === 'upload' ? 'upload' : 'readback'} staging chunk ${e.chunk} (${e.bytes} B)`;
      const buffer = { id: ++id, label, bytes: e.bytes, usage: 'staging' as const };
      out.push({ t: Math.max(last, e.t - e.ms), kind: 'alloc', ...buffer }, e, { t: e.t, kind: 'free', ...buffer });
    } else {
      out.push(e);
    }
    last = e.t;
  }
  return out;
}

function scenario(input: unknown): Scenario {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(`fixture scenario is invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.scenario;
}
