// The workload views' figures and words from real runs on Node's lanes (Dawn): a job that holds memory
// counts until its worker ends, and a lane that runs out of memory says which held buffers kept what.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runWorkloadOnNode } from '../../src/engine/node-lanes.ts';
import { prepareWorkload } from '../../src/engine/prepare-workload.ts';
import { summarizeWorkloadRun } from '../../src/engine/workload-report.ts';
import { workloadFailureWords } from '../../src/ui/workload-words.ts';
import { jobMemory } from '../../src/worker/workload-replies.ts';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../examples/workloads/${name}`, import.meta.url), 'utf8'));

async function run(name: string) {
  const prepared = prepareWorkload(load(name));
  if (!prepared.ok) throw new Error(prepared.error.message);
  const outcome = await runWorkloadOnNode(prepared.workload);
  if (!outcome.ok) throw new Error(outcome.error.message);
  const summary = summarizeWorkloadRun(prepared.workload, outcome.run, outcome.adapter);
  return { summary, memory: jobMemory(prepared.workload, outcome.run) };
}

describe('workload words and memory', { timeout: 180_000 }, () => {
  test('held memory per-lane: test_vllm fails, and the words name the buffers test_huggingface kept', async () => {
    const { summary, memory } = await run('held-memory-per-lane.json');
    const first = memory.find((m) => m.name === 'test_huggingface')!;
    // Every device-local buffer it freed stays counted, so its line never falls until its worker ends.
    expect(first.heldBuffers).toBeGreaterThan(0);
    const tail = first.device.slice(1, -1);
    for (let i = 1; i < tail.length; i++) expect(tail[i]).toBeGreaterThanOrEqual(tail[i - 1]);
    expect(first.device.at(-2)).toBe(first.heldBytes);
    expect(first.device.at(-1)).toBe(0);
    expect(first.t.at(-1)).toBeGreaterThanOrEqual(summary.jobs.find((j) => j.name === 'test_vllm')!.end!);
    const words = workloadFailureWords(summary, memory);
    expect(words).toEqual([
      {
        job: 'test_vllm',
        lane: summary.lanes[0].name,
        words: expect.stringMatching(new RegExp(`^lane "${summary.lanes[0].name}" ran out of device memory in job "test_vllm": ${first.heldBuffers} held buffers? from earlier job \\("test_huggingface"\\) kept .+ \\(${first.heldBytes.toLocaleString('en-US')} B\\) until the worker exits$`)),
      },
    ]);
  });

  test('held memory per-job: both verify, nothing to say', async () => {
    const { summary, memory } = await run('held-memory-per-job.json');
    expect(workloadFailureWords(summary, memory)).toEqual([]);
    expect(memory.map((m) => m.name)).toEqual(['test_huggingface', 'test_vllm']);
  });

  test('the parent trap: every job is told the device is busy', async () => {
    const { summary, memory } = await run('parent-trap.json');
    const words = workloadFailureWords(summary, memory);
    expect(words.length).toBe(summary.jobs.length);
    for (const w of words) expect(w.words).toMatch(/could not use the device .*exclusive-process mode.*\(DEVICE_BUSY\)$/);
  });
});
