/**
 * The in-process half of `npm run fuzz`, in a worker thread so the main thread can
 * watch for a hang: before each value it bumps a shared counter and names the target;
 * a counter that stands still for the hang limit is a hang, and the seed, target and
 * index replay the value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { registerRawImports } from '../../src/cli/raw-imports.ts';

registerRawImports();
const { toTraceFile } = await import('../../src/core/trace-file.ts');
const { runScenario } = await import('../../src/engine/run-scenario.ts');
const { outcomeOf } = await import('../../src/core/run-outcome.ts');
const { parseScenario } = await import('../../src/core/scenario.ts');
const { fuzzTargets } = await import('./fuzz-targets.ts');

/** What the main thread sends. */
export interface InProcessJob {
  entry: string;
  seed: number;
  /** Values per target. */
  perTarget: number;
  /** [values read so far, the target reading now or -1 while values are made]: written around each value. */
  heartbeat: SharedArrayBuffer;
}

/** What this thread answers, per target. */
export interface TargetReport {
  name: string;
  values: number;
  verdicts: Record<string, number>;
  exceptions: { index: number; message: string }[];
  slowestMs: number;
}

const job = workerData as InProcessJob;
const beat = new Int32Array(job.heartbeat);

const readJsonDir = (dir: string) =>
  readdirSync(new URL(dir, import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(new URL(`${dir}${f}`, import.meta.url), 'utf8')));
const scenarios = [...readJsonDir('../../examples/'), ...readJsonDir('../../examples/presets/')];
const legacy = readJsonDir('../../examples/legacy/');

// Real traces to mutate: small runs on the CPU, one ending well, one cancelled, one with a fallback.
const traces: unknown[] = [];
const small = { version: 1, runs: 40, arrays: [{ name: 'a', role: 'input', dtype: 'f32', shape: [2, 'runs'] }, { name: 'b', role: 'output', dtype: 'u32', shape: ['runs'] }, { name: 'c', role: 'input', dtype: 'f32', shape: [3] }], device: { budgetBytes: 200 } };
for (const variant of [small, { ...small, faults: [{ kind: 'out-of-memory', onAllocation: 3 }] }]) {
  const parsed = parseScenario(variant);
  if (!parsed.ok) throw new Error('the fuzz base scenario must be valid');
  const cancelled = new AbortController();
  for (const signal of [undefined, cancelled.signal]) {
    if (signal) cancelled.abort();
    const outcome = await runScenario(parsed.scenario, { backend: 'cpu', signal });
    if (!outcome.ok) throw new Error(outcome.error.message);
    traces.push(JSON.parse(JSON.stringify(toTraceFile(parsed.scenario, 'the CPU', outcome.report.trace, outcomeOf(outcome.report)))));
  }
}

const reports: TargetReport[] = [];
for (const [t, target] of fuzzTargets({ scenarios, legacy, traces }).entries()) {
  const values = target.values(job.perTarget, job.seed + 1000 * t);
  const report: TargetReport = { name: target.name, values: values.length, verdicts: {}, exceptions: [], slowestMs: 0 };
  for (const [index, value] of values.entries()) {
    Atomics.store(beat, 1, t);
    Atomics.add(beat, 0, 1);
    const start = performance.now();
    try {
      const verdict = target.read(value);
      report.verdicts[verdict] = (report.verdicts[verdict] ?? 0) + 1;
    } catch (err) {
      report.verdicts.exception = (report.verdicts.exception ?? 0) + 1;
      if (report.exceptions.length < 20) report.exceptions.push({ index, message: err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 4).join(' | ') : String(err) });
    }
    report.slowestMs = Math.max(report.slowestMs, performance.now() - start);
  }
  Atomics.store(beat, 1, -1);
  reports.push(report);
  parentPort!.postMessage({ kind: 'target', report });
}
parentPort!.postMessage({ kind: 'done' });
