// `chunkscope run workload.json` in-process, on real lanes (worker threads, each with its own Dawn device) under one
// device ledger: each story of examples/workloads/ ends as its README says, with nothing left behind.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { withVulkanLoader } from '../../bin/webgpu-env.js';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';
import { chromeTraceProblems } from '../core/chrome-trace-check.ts';

const example = (name: string) => new URL(`../../examples/workloads/${name}.json`, import.meta.url).pathname;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function runJson(name: string, ...flags: string[]) {
  const result = await cli('run', example(name), '--json', ...flags);
  return { code: result.code, report: JSON.parse(result.out) };
}

/** Nothing outlives a workload: no buffer, no device, no byte in the ledger. */
function expectNothingLeft(report: any) {
  expect(report.liveBuffersAfter).toBe(0);
  expect(report.devicesAfter).toBe(0);
  expect(report.device.liveBytesAfter).toBe(0);
  expect(report.device.peakBytes).toBeLessThanOrEqual(report.device.budgetBytes);
}

const job = (report: any, name: string) => report.jobs.find((j: any) => j.name === name);

describe('chunkscope run workload.json', { timeout: 180_000 }, () => {
  test('two jobs that each own 80 % of the device: the ledger refuses, their ladders shrink, both verify, the peak stays within the device', async () => {
    const { code, report } = await runJson('two-jobs-80-percent');
    expect(code).toBe(kExit.ok);
    expect(report.overCommit).toEqual({ lanesBudgetBytes: 2 * 838_860, deviceBudgetBytes: 1_048_576 });
    for (const j of report.jobs) {
      expect(j.status).toBe('ok');
      expect(j.verification.passed).toBe(true);
      expect(j.budgetFrom).toBe('scenario');
    }
    const shrunk = report.jobs.filter((j: any) => j.fallbacks.length > 0);
    expect(shrunk.length).toBeGreaterThan(0);
    for (const j of shrunk) {
      expect(j.fallbacks.every((f: any) => f.to === 'shrink')).toBe(true);
      expect(j.fallbacks[0].reason).toMatch(/\(ledger\): the device ledger refuses .* are live — lane "lane_\d" \(job "(first|second)"\) holds/);
    }
    expect(report.device.setBy).toMatchObject({ lane: expect.stringMatching(/^lane_/), job: expect.any(String), label: expect.any(String) });
    expectNothingLeft(report);
  });

  test('stream groups: a manual half and two auto lanes; every job plans within its lane cap and verifies', async () => {
    const { code, report } = await runJson('stream-groups');
    expect(code).toBe(kExit.ok);
    expect(report.lanes.map((l: any) => [l.name, l.capBytes])).toEqual([['solvers', 2_097_152], ['sweep_a', 1_048_576], ['sweep_b', 1_048_576]]);
    for (const j of report.jobs) {
      const cap = report.lanes.find((l: any) => l.name === j.lane).capBytes;
      expect(j.budgetBytes).toBe(cap);
      expect(j.peak.measuredBytes).toBeLessThanOrEqual(cap);
      expect(j).toMatchObject({ status: 'ok', fallbacks: [], verification: { passed: true } });
    }
    expectNothingLeft(report);
  });

  test('held memory runs the lane out of memory with per-lane isolation, naming the bytes kept by the finished job', async () => {
    const { code, report } = await runJson('held-memory-per-lane');
    expect(code).toBe(kExit.jobFailed);
    expect(job(report, 'test_huggingface').status).toBe('ok');
    const failed = job(report, 'test_vllm');
    expect(failed.status).toBe('ladder-exhausted');
    expect(failed.error).toMatchObject({ code: 'LADDER_EXHAUSTED', fault: 'OUT_OF_MEMORY' });
    expect(failed.error.message).toContain('716,800 B) of it kept by finished jobs until the worker exits');
    expectNothingLeft(report);
  });

  test('held memory passes with per-job isolation: each job gets a fresh worker and device', async () => {
    const { code, report } = await runJson('held-memory-per-job');
    expect(code).toBe(kExit.ok);
    expect(report.jobs.map((j: any) => [j.status, j.verification.passed])).toEqual([['ok', true], ['ok', true]]);
    expectNothingLeft(report);
  });

  test('the parent trap: every lane fails with DEVICE_BUSY', async () => {
    const { code, report } = await runJson('parent-trap');
    expect(code).toBe(kExit.jobFailed);
    for (const j of report.jobs) {
      expect(j.status).toBe('ladder-exhausted');
      expect(j.error).toMatchObject({ code: 'LADDER_EXHAUSTED', fault: 'DEVICE_BUSY' });
      expect(j.error.message).toContain('the parent holds it');
    }
    expect(report.device.peakBytes).toBe(0);
    expectNothingLeft(report);
  });

  test('the parent trap with MPS passes', async () => {
    const { code, report } = await runJson('parent-trap-mps');
    expect(code).toBe(kExit.ok);
    expect(report.jobs.every((j: any) => j.status === 'ok' && j.verification.passed)).toBe(true);
    expectNothingLeft(report);
  });

  test('a lane whose device is lost on every try fails alone; the other lane verifies; no device is left', async () => {
    const { code, report } = await runJson('lane-device-lost');
    expect(code).toBe(kExit.jobFailed);
    const lost = job(report, 'lost_every_time');
    expect(lost.status).toBe('ladder-exhausted');
    expect(lost.error.fault).toBe('DEVICE_LOST');
    // Each loss was answered with a new device, and every one of them was destroyed when the lane ended.
    expect(lost.fallbacks.filter((f: any) => f.to === 'retry').length).toBeGreaterThanOrEqual(2);
    expect(job(report, 'steady')).toMatchObject({ status: 'ok', verification: { passed: true } });
    expectNothingLeft(report);
  });

  test('--trace holds every job on its lane on one clock; --chrome-trace has one process per lane', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chunkscope-workload-'));
    const { code, report } = await runJson('parent-trap-mps', '--trace', join(dir, 't.json'), '--chrome-trace', join(dir, 'c.json'));
    expect(code).toBe(kExit.ok);
    const trace = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8'));
    expect(trace.format).toBe('chunkscope-workload-trace');
    expect(trace.jobs.map((j: any) => [j.name, j.lane])).toEqual(report.jobs.map((j: any) => [j.name, j.lane]));
    for (const [i, j] of trace.jobs.entries()) {
      expect(j.start).toBeCloseTo(report.jobs[i].start, 6);
      expect(j.events.at(-1).kind).toBe('done');
    }
    const chrome = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'));
    const processes = chrome.traceEvents.filter((e: any) => e.name === 'process_name').map((e: any) => [e.pid, e.args.name]);
    expect(processes).toEqual([[1, 'lane lane_1'], [2, 'lane lane_2']]);
    expect(new Set(chrome.traceEvents.map((e: any) => e.pid))).toEqual(new Set([1, 2]));
    expect(chromeTraceProblems(chrome.traceEvents)).toEqual([]);
  });

  test('text output names the failing job, its code and the fault', async () => {
    const { code, out } = await cli('run', example('parent-trap'));
    expect(code).toBe(kExit.jobFailed);
    expect(out).toMatch(/failed jobs\n  example_safety \(lane lane_1\): LADDER_EXHAUSTED after DEVICE_BUSY — /);
    expect(out).toContain('left after    0 live buffers, 0 devices, 0 B in the ledger');
  });

  test('Ctrl-C (SIGINT) cancels every lane: the report says cancelled, exit 130, nothing left', async () => {
    const require = createRequire(import.meta.url);
    const tsx = pathToFileURL(require.resolve('tsx/esm')).href;
    const mainTs = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', tsx, mainTs, 'run', example('two-jobs-80-percent'), '--json'], { env: withVulkanLoader() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    let sent = false;
    const interrupted = new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        // Both lanes have started a job: interrupt once, as a person pressing Ctrl-C would (a second one forces the exit).
        if (!sent && (stderr.match(/ started\n/g) ?? []).length === 2) {
          sent = true;
          child.kill('SIGINT');
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await interrupted;
    expect(code).toBe(kExit.cancelled);
    const report = JSON.parse(stdout);
    expect(report.jobs.map((j: any) => j.status)).toEqual(['cancelled', 'cancelled']);
    expect(stderr).toMatch(/lane "lane_1": job "first" ended: cancelled/);
    expectNothingLeft(report);
  });
});
