// A run hands out its trace events as it records them (what the live timeline draws), and every buffer that holds one array says which.
import { describe, expect } from 'vitest';
import type { TraceEvent } from '../../src/core/trace.ts';
import { runScenario, type RunOptions } from '../../src/engine/run-scenario.ts';
import { gpuTest } from './gpu-fixture.ts';
import { example } from './scenarios.ts';

const kScenario = example('lorenz-batch.json');

describe.each(['webgpu', 'cpu'] as const)('on %s', (backend) => {
  gpuTest('onEvent sees every event of the report, in order, while the run goes on', async ({ gpu }) => {
    const seen: TraceEvent[] = [];
    const seenAtFirstChunk: number[] = [];
    const options: RunOptions = {
      backend,
      ...(backend === 'webgpu' && { device: gpu.device }),
      verify: false,
      onEvent: (event) => seen.push(event),
      onProgress: () => seenAtFirstChunk.push(seen.length),
    };
    const outcome = await runScenario(kScenario, options);
    if (!outcome.ok) throw new Error(outcome.error.message);
    const trace = outcome.report.trace;
    expect(seen).toEqual(trace);
    // The first chunk's events were out before the run ended: a view can draw them mid-run.
    expect(outcome.report.plan.numChunks).toBeGreaterThan(1);
    expect(seenAtFirstChunk[0]).toBeGreaterThan(0);
    expect(seenAtFirstChunk[0]).toBeLessThan(trace.length);
    expect(trace.slice(0, seenAtFirstChunk[0]).some((e) => e.kind === 'chunk-end')).toBe(true);
  });

  gpuTest('each storage buffer names its array; staging buffers, shared by several, name none', async ({ gpu }) => {
    const outcome = await runScenario(kScenario, { backend, ...(backend === 'webgpu' && { device: gpu.device }), verify: false });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const names = new Set(kScenario.arrays.map((a) => a.name));
    const buffers = outcome.report.trace.filter((e) => e.kind === 'alloc' || e.kind === 'free');
    expect(buffers.length).toBeGreaterThan(0);
    for (const e of buffers) {
      if (e.usage === 'staging') expect(e.array).toBeUndefined();
      else expect(names.has(e.array ?? ''), `${e.label} names an array of the scenario`).toBe(true);
    }
    // Every array that occupies device memory in the plan shows up under its name.
    const planned = outcome.report.plan.arrays.map((a) => a.name).sort();
    expect([...new Set(buffers.filter((e) => e.usage !== 'staging').map((e) => e.array))].sort()).toEqual(planned);
  });
});
