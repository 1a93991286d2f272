// Every example and every preset file: run → trace file → JSON text → parse → reportFromTrace gives the run's report (without its host arrays); examples the planner rejects are asserted rejected.
import { describe, expect, test } from 'vitest';
import { planScenario } from '../../src/core/planner.ts';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';
import { outcomeOf } from '../../src/core/run-outcome.ts';
import { parseTraceFile, toTraceFile } from '../../src/core/trace-file.ts';
import { planOptionsFor } from '../../src/engine/prepare-run.ts';
import { reportFromTrace, type ReportedRun } from '../../src/engine/run-report.ts';
import { runScenario, type RunOptions, type RunReport } from '../../src/engine/run-scenario.ts';
import { kernelFor } from '../../src/kernels/registry.ts';
import { toChromeTrace } from '../../src/core/trace.ts';
import { chromeTraceProblems } from '../core/chrome-trace-check.ts';
import { exampleFiles } from '../core/example-files.ts';
import { gpuTest } from './gpu-fixture.ts';

type Judged =
  | { file: string; verdict: 'runs'; scenario: Scenario }
  | { file: string; verdict: 'rejected'; scenario: Scenario; code: string }
  | { file: string; verdict: 'invalid' };

/** Each example as the planner judges it, with its kernel's footprint as a run would plan it. */
function judge(folder: string): Judged[] {
  return exampleFiles(folder).map(({ file, json }) => {
    const name = folder ? `${folder}/${file}` : file;
    const parsed = parseScenario(json);
    if (!parsed.ok) return { file: name, verdict: 'invalid' };
    const lookup = kernelFor(parsed.scenario);
    if (!lookup.ok) return { file: name, verdict: 'invalid' };
    const planned = planScenario(parsed.scenario, planOptionsFor(lookup.kernel));
    return planned.ok
      ? { file: name, verdict: 'runs', scenario: parsed.scenario }
      : { file: name, verdict: 'rejected', scenario: parsed.scenario, code: planned.error.code };
  });
}

const kExamples = judge('');
const kPresets = judge('presets');
const kRunnable = [...kExamples, ...kPresets].filter((j) => j.verdict === 'runs');

/** Which examples the planner must refuse, and with which code: a new refusal is a change to look at, not to skip. */
const kRejected: Record<string, string> = {
  'fixed-exceeds-budget.json': 'FIXED_EXCEEDS_BUDGET',
  'fixed-exceeds-limit.json': 'FIXED_EXCEEDS_LIMIT',
  'run-does-not-fit.json': 'RUN_DOES_NOT_FIT',
  'slice-exceeds-limit.json': 'SLICE_EXCEEDS_LIMIT',
};

/** The run's report as a trace file gives it back: everything but the host arrays. */
function withoutOutputs(report: RunReport): ReportedRun {
  const { outputs: _outputs, ...rest } = report;
  return rest;
}

/** Runs `scenario`, saves its trace as JSON text, reads it back; returns both reports. */
async function roundTrip(scenario: Scenario, options: RunOptions, device: string) {
  const outcome = await runScenario(scenario, options);
  if (!outcome.ok) throw new Error(`${scenario.name}: ${outcome.error.message}`);
  const text = JSON.stringify(toTraceFile(scenario, device, outcome.report.trace, outcomeOf(outcome.report)));
  const parsed = parseTraceFile(JSON.parse(text));
  if (!parsed.ok) throw new Error(`the saved trace does not read back: ${parsed.message}`);
  const replayed = reportFromTrace(parsed.trace);
  if (!replayed.ok) throw new Error(`the saved trace gives no report: ${replayed.message}`);
  return { original: withoutOutputs(outcome.report), replayed: replayed.report, device: parsed.trace.device };
}

test('the examples cover runs, refusals and an invalid scenario, and every preset file runs', () => {
  expect(kRunnable.length).toBeGreaterThanOrEqual(8);
  expect(kExamples.filter((j) => j.verdict === 'invalid').map((j) => j.file)).toEqual(['invalid-scenario.json']);
  expect(kPresets.map((j) => [j.file, j.verdict])).toEqual([
    ['presets/chunk-axis-first.json', 'runs'],
    ['presets/chunk-axis-last.json', 'runs'],
    ['presets/f16-rung.json', 'runs'],
    ['presets/oom-third-allocation.json', 'runs'],
    ['presets/two-buffer-sets.json', 'runs'],
  ]);
});

describe.each(kExamples.filter((j) => j.verdict === 'rejected'))('$file', (judged) => {
  test('is refused by the planner with its stable code, so there is no run to save', () => {
    expect(judged.verdict === 'rejected' && judged.code).toBe(kRejected[judged.file]);
  });
});

describe.each(kRunnable)('$file', ({ scenario }) => {
  test('on the CPU backend, the replayed report equals the run\'s', async () => {
    const { original, replayed, device } = await roundTrip(scenario, { backend: 'cpu' }, 'the CPU: test');
    expect(device).toBe('the CPU: test');
    expect(replayed).toEqual(original);
    // A replay that says nothing would equal a run that said nothing: the report must carry something to compare.
    expect(original.trace.length).toBeGreaterThan(3);
    if (original.status === 'ok') expect(replayed.verification?.passed).toBe(original.verification!.passed);
    else expect(replayed.error?.code).toBe(original.error!.code);
  });
});

describe('on WebGPU (Dawn)', () => {
  // The device-lost example loses its device only on WebGPU (the CPU backend has none to
  // lose), and only WebGPU overlaps chunks with two buffer sets.
  gpuTest.for(['lorenz-oom-recovery.json', 'touch-strided-mixed.json', 'lorenz-device-lost.json', 'presets/two-buffer-sets.json'])('%s: the replayed report equals the run\'s, and its Chrome trace is well-formed', async (file, { gpu }) => {
    const judged = kRunnable.find((j) => j.file === file);
    if (judged?.verdict !== 'runs') throw new Error(`${file} is expected to run`);
    const { original, replayed } = await roundTrip(judged.scenario, { backend: 'webgpu', device: gpu.device, requestDevice: gpu.requestDevice }, 'SwiftShader: test');
    expect(original.backend).toBe('webgpu');
    if (judged.scenario.faults.some((f) => f.kind === 'device-lost')) expect(original.faults.map((f) => f.kind)).toContain('device-lost');
    expect(replayed).toEqual(original);
    if (judged.scenario.planner.bufferSets === 2) {
      // The case the Chrome export must draw: chunk 1 begins before chunk 0 has ended.
      const kinds = original.trace.flatMap((e) => (e.kind === 'chunk-begin' || e.kind === 'chunk-end' ? [`${e.kind} ${e.index}`] : []));
      expect(kinds.indexOf('chunk-begin 1')).toBeLessThan(kinds.indexOf('chunk-end 0'));
    }
    expect(chromeTraceProblems(JSON.parse(JSON.stringify(toChromeTrace(original.trace))).traceEvents)).toEqual([]);
  });
});

test('a run that stops (ladder exhausted) keeps its error through the file, and no verification', async () => {
  const judged = kExamples.find((j) => j.file === 'lorenz-oom-recovery.json');
  if (judged?.verdict !== 'runs') throw new Error('lorenz-oom-recovery.json is expected to run');
  // No rung to take after the first fault: the run ends with LADDER_EXHAUSTED.
  const scenario: Scenario = { ...judged.scenario, recovery: { ...judged.scenario.recovery, ladder: [] } };
  const { original, replayed } = await roundTrip(scenario, { backend: 'cpu' }, 'the CPU');
  expect(original.status).toBe('ladder-exhausted');
  expect(replayed.error?.code).toBe('LADDER_EXHAUSTED');
  expect(replayed.verification).toBeUndefined();
  expect(replayed).toEqual(original);
});

test('a trace file written before `outcome` existed still reads, and re-renders without error or verification', async () => {
  const judged = kExamples.find((j) => j.file === 'axpy-i32.json');
  if (judged?.verdict !== 'runs') throw new Error('axpy-i32.json is expected to run');
  const outcome = await runScenario(judged.scenario, { backend: 'cpu' });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const { outcome: _outcome, ...old } = toTraceFile(judged.scenario, 'the CPU', outcome.report.trace);
  const parsed = parseTraceFile(JSON.parse(JSON.stringify(old)));
  if (!parsed.ok) throw new Error(parsed.message);
  const replayed = reportFromTrace(parsed.trace);
  if (!replayed.ok) throw new Error(replayed.message);
  const { verification: _verification, ...rest } = withoutOutputs(outcome.report);
  expect(replayed.report).toEqual(rest);
});
