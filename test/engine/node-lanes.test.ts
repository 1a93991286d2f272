// runWorkloadOnNode: Cancel reaches every lane and starts no new worker; a scenario runs as a one-job workload; weight-only
// jobs are placed, not run; nothing (buffer, device, ledger byte) outlives a workload.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { runWorkloadOnNode } from '../../src/engine/node-lanes.ts';
import type { WorkloadRun } from '../../src/engine/workload-lanes.ts';
import { prepareWorkload } from '../../src/engine/prepare-workload.ts';
import { prepareRun } from '../../src/engine/run-scenario.ts';
import { summarizeWorkloadRun } from '../../src/engine/workload-report.ts';

const load = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const lorenzJob = (name: string, runs: number) => ({ name, scenario: { ...load('../../examples/workloads/two-jobs-80-percent.json').jobs[0].scenario, runs, device: undefined } });

async function run(workload: unknown, options: Parameters<typeof runWorkloadOnNode>[1] = {}) {
  const prepared = prepareWorkload(JSON.parse(JSON.stringify(workload)));
  if (!prepared.ok) throw new Error(prepared.error.message);
  const outcome = await runWorkloadOnNode(prepared.workload, options);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return { prepared: prepared.workload, run: outcome.run, summary: summarizeWorkloadRun(prepared.workload, outcome.run, outcome.adapter) };
}

function expectNothingLeft(run: WorkloadRun, summary: ReturnType<typeof summarizeWorkloadRun>) {
  expect(summary.liveBuffersAfter).toBe(0);
  expect(summary.devicesAfter).toBe(0);
  expect(run.device.liveBytesAfter).toBe(0);
}

describe('runWorkloadOnNode', { timeout: 180_000 }, () => {
  test('Cancel ends every lane: running jobs stop, queued jobs never start, no worker starts after it', async () => {
    const cancel = new AbortController();
    const workload = {
      version: 1, kind: 'workload', device: { budgetBytes: 4 << 20 }, lanes: 2, isolation: 'per-job', placement: 'in-order',
      jobs: [lorenzJob('a1', 40_000), lorenzJob('b1', 40_000), lorenzJob('a2', 4000), lorenzJob('b2', 4000)],
    };
    let started = 0;
    const { run: result, summary } = await run(workload, {
      signal: cancel.signal,
      onJob: (job) => {
        if (job.end === undefined && ++started === 2) cancel.abort();
      },
    });
    expect(summary.jobs.map((j) => j.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    // The first job of each lane ran and was stopped; the second never had a worker.
    expect(result.jobs.map((j) => j.report !== undefined)).toEqual([true, true, false, false]);
    expect(result.lanes.map((l) => l.workers)).toEqual([1, 1]);
    expectNothingLeft(result, summary);
  });

  test('a scenario runs as a workload of one job: the plan prepareRun gives, verified, nothing left', async () => {
    const scenario = { ...lorenzJob('x', 3000).scenario, device: { budgetBytes: 300_000 } };
    const { run: result, summary, prepared } = await run(scenario);
    const alone = prepareRun(scenario);
    expect(alone.ok && prepared.jobs[0].run!.plan).toEqual(alone.ok && alone.run.plan);
    expect(summary.jobs[0]).toMatchObject({ status: 'ok', verification: { passed: true } });
    expect(summary.jobs[0].peak!.measuredBytes).toBe(Number(alone.ok && alone.run.plan.predictedPeakBytes));
    expect(result.device.peakBytes).toBe(summary.jobs[0].peak!.measuredBytes);
    expectNothingLeft(result, summary);
  });

  test('weight-only jobs are placed, not run; exclusive mode without a parent lets one lane hold the device and the other take its cpu rung', async () => {
    const job = (name: string, ladder: string[]) => ({ name, scenario: { ...lorenzJob(name, 2000).scenario, recovery: { ladder, shrink: 0.5, maxAttempts: 2 } } });
    const workload = {
      version: 1, kind: 'workload', device: { budgetBytes: 4 << 20, mode: 'exclusive' }, lanes: 2, placement: 'in-order',
      jobs: [job('gpu_a', ['shrink', 'cpu']), job('gpu_b', ['shrink', 'cpu']), { name: 'w', weight: 5 }],
    };
    const { run: result, summary } = await run(workload);
    expect(summary.jobs[2].status).toBe('placed');
    const backends = summary.jobs.slice(0, 2).map((j) => j.backend).sort();
    expect(backends).toEqual(['cpu', 'webgpu']);
    const onCpu = summary.jobs.find((j) => j.backend === 'cpu')!;
    expect(onCpu.fallbacks!.map((f) => f.to)).toEqual(['cpu']);
    expect(onCpu.fallbacks![0].reason).toContain('DEVICE_BUSY');
    expect(summary.jobs.slice(0, 2).every((j) => j.status === 'ok' && j.verification?.passed)).toBe(true);
    expectNothingLeft(result, summary);
  });
});
