/**
 * `npm run fuzz` (not part of `npm test`): random and malformed values through every
 * reader of user input and the planner, in process, then random files and flags through
 * the real `chunkscope` bin. Prints the count of each verdict per target and exits 1 on
 * any exception, hang or wrong exit code.
 *
 *   npm run fuzz -- [--values N] [--cli N] [--seed S] [--hang-ms MS]
 *
 * `--values` is per in-process target (six targets); `--cli` the number of CLI calls.
 * A finding names its seed, target and index: the same arguments replay it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { registerRawImports } from '../../src/cli/raw-imports.ts';
import type { InProcessJob, TargetReport } from './in-process.worker.ts';

const { values: args } = parseArgs({
  options: {
    values: { type: 'string', default: '20000' },
    cli: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    'hang-ms': { type: 'string', default: '10000' },
  },
});
const perTarget = Number(args.values);
const cliCount = Number(args.cli);
const seed = Number(args.seed);
const hangMs = Number(args['hang-ms']);
let failed = false;

// In process, in a worker thread watched for hangs.
const heartbeat = new SharedArrayBuffer(8);
const beat = new Int32Array(heartbeat);
// [values read so far, the target reading now or -1 while values are made]
Atomics.store(beat, 1, -1);
const started = performance.now();
const reports: TargetReport[] = [];
const job: InProcessJob = { entry: new URL('./in-process.worker.ts', import.meta.url).href, seed, perTarget, heartbeat };
await new Promise<void>((resolve) => {
  const worker = new Worker(new URL('./worker-boot.js', import.meta.url), { workerData: job });
  let last = -1;
  let lastChange = performance.now();
  const watch = setInterval(() => {
    const now = Atomics.load(beat, 0);
    if (now !== last || Atomics.load(beat, 1) < 0) {
      last = now;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > hangMs) {
      console.log(`HANG: target ${Atomics.load(beat, 1)} stood still on a value for ${hangMs} ms (value ${now} overall, seed ${seed})`);
      failed = true;
      clearInterval(watch);
      void worker.terminate();
    }
  }, 250);
  worker.on('message', (m: { kind: 'target'; report: TargetReport } | { kind: 'done' }) => {
    if (m.kind === 'target') {
      reports.push(m.report);
      console.log(`  ${m.report.name}: ${m.report.values} values`);
    }
  });
  worker.on('error', (err) => {
    console.log(`the in-process fuzz stopped: ${err.stack ?? err}`);
    failed = true;
  });
  worker.on('exit', () => {
    clearInterval(watch);
    resolve();
  });
});
const inProcessMs = performance.now() - started;

const kVerdicts = ['accepted', 'plan', 'structured-error', 'nothing', 'exception'] as const;
console.log(`\n## In process (seed ${seed}, ${perTarget} values per target)\n`);
console.log(`| target | values | ${kVerdicts.join(' | ')} | slowest value |`);
console.log(`| --- | ---: | ${kVerdicts.map(() => '---:').join(' | ')} | ---: |`);
let total = 0;
for (const r of reports) {
  total += r.values;
  console.log(`| ${r.name} | ${r.values} | ${kVerdicts.map((v) => r.verdicts[v] ?? 0).join(' | ')} | ${r.slowestMs.toFixed(1)} ms |`);
  if (r.exceptions.length) failed = true;
  for (const e of r.exceptions) console.log(`EXCEPTION in ${r.name} at value ${e.index}: ${e.message}`);
}
console.log(`\n${total} values in ${(inProcessMs / 1000).toFixed(1)} s`);

// Through the CLI.
if (cliCount > 0) {
  registerRawImports();
  const { cliCalls, runCall } = await import('./cli-calls.ts');
  const readJsonDir = (dir: string) =>
    readdirSync(new URL(dir, import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(new URL(`${dir}${f}`, import.meta.url), 'utf8')));
  const scenarios = [...readJsonDir('../../examples/'), ...readJsonDir('../../examples/presets/')];
  // Runs stay short: every example cut to a few hundred runs.
  const small = scenarios.map((s) => (s && typeof s === 'object' && typeof s.runs === 'number' ? { ...s, runs: Math.min(s.runs, 300) } : s));
  const dir = mkdtempSync(join(tmpdir(), 'chunkscope-fuzz-'));
  const calls = cliCalls(cliCount, seed, dir, { scenarios, small, legacy: readJsonDir('../../examples/legacy/') });
  const cliStarted = performance.now();
  const verdicts: Awaited<ReturnType<typeof runCall>>[] = [];
  let next = 0;
  const lanes = Math.max(1, Math.min(4, cpus().length));
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < calls.length) {
      const call = calls[next++];
      verdicts.push(await runCall(call, hangMs));
    }
  }));
  rmSync(dir, { recursive: true, force: true });
  const byCode = new Map<string, number>();
  for (const v of verdicts) byCode.set(String(v.code), (byCode.get(String(v.code)) ?? 0) + 1);
  const problems = verdicts.filter((v) => v.problem);
  console.log(`\n## Through the CLI (seed ${seed}, ${calls.length} calls, ${lanes} at a time)\n`);
  console.log('| exit | calls |');
  console.log('| ---: | ---: |');
  for (const [code, n] of [...byCode].sort((a, b) => Number(a[0]) - Number(b[0]))) console.log(`| ${code} | ${n} |`);
  const kinds = ['exception', 'hang', 'wrong exit code', 'not JSON'] as const;
  console.log(`\n${kinds.map((k) => `${k}: ${problems.filter((p) => p.problem === k).length}`).join(', ')}; slowest call ${verdicts.reduce((m, v) => Math.max(m, v.ms), 0).toFixed(0)} ms; ${((performance.now() - cliStarted) / 1000).toFixed(1)} s in all`);
  for (const p of problems) console.log(`${p.problem!.toUpperCase()}: chunkscope ${p.call.args.join(' ')} (${p.call.what}): ${p.detail}`);
  if (problems.length) failed = true;
}

console.log(failed ? '\nfuzz: FAILED' : '\nfuzz: no exception, no hang, every exit code right');
process.exit(failed ? 1 : 0);
