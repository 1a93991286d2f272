// SIGINT and SIGTERM sent to the real `chunkscope` process reach the run: it cancels, reports the finished runs, writes whole files and exits 130.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';
import { parseTraceFile } from '../../src/core/trace-file.ts';
import lorenz from '../../examples/lorenz-batch.json';
import { startCli } from './cli-process.ts';

/** The default Lorenz batch in 42 chunks of 487 runs: seconds of CPU work, a chunk boundary every few milliseconds. */
function manyChunks(dir: string): string {
  const path = join(dir, 'many-chunks.json');
  writeFileSync(path, JSON.stringify({ ...lorenz, device: { budgetBytes: 600_000 } }));
  return path;
}

test.each(['SIGINT', 'SIGTERM'] as const)('%s once the run has started: cancelled after the finished runs, exit 130, the trace whole', async (signal) => {
  const dir = mkdtempSync(join(tmpdir(), 'chunkscope-signal-'));
  const scenario = manyChunks(dir);
  const trace = join(dir, 'run.trace.json');
  const csv = join(dir, 'run.csv');
  const cli = startCli(['run', scenario, '--backend', 'cpu', '--progress', '--trace', trace, '--csv', csv]);
  // The first progress line is drawn after the first chunk: the run is under way.
  await cli.stderrMatches(/progress: chunk 1 of 42/);
  cli.child.kill(signal);
  const { code, stdout } = await cli.outcome;
  expect(code).toBe(kExit.cancelled);
  const stop = /cancelled after runs \[0, ([\d,]+)\) of 20,000/.exec(stdout);
  expect(stop, stdout).not.toBeNull();
  const runsDone = Number(stop![1].replaceAll(',', ''));
  expect(runsDone).toBeGreaterThan(0);
  expect(runsDone).toBeLessThan(20_000);
  expect(runsDone % 487).toBe(0);
  // The files hold the cancelled run, whole; nothing half-written is left beside them.
  expect(readdirSync(dir).sort()).toEqual(['many-chunks.json', 'run.csv', 'run.trace.json']);
  const parsed = parseTraceFile(JSON.parse(readFileSync(trace, 'utf8')));
  if (!parsed.ok) throw new Error(parsed.message);
  expect(parsed.trace.outcome?.error).toMatchObject({ code: 'CANCELLED', runsDone });
  expect(parsed.trace.events.at(-1)).toMatchObject({ kind: 'done', status: 'cancelled', runsDone });
  expect(readFileSync(csv, 'utf8').trim().split('\n').at(-1)).toMatch(/,done,cancelled,,0,0$/);
});

test('a signal before the first chunk: cancelled before any run finished, exit 130, --json says so', async () => {
  const out: string[] = [];
  const controller = new AbortController();
  controller.abort('SIGINT');
  const code = await main(['run', 'examples/axpy-i32.json', '--backend', 'cpu', '--json'], {
    out: (t) => out.push(t),
    err: () => {},
    cancelOnSignals: () => controller.signal,
  });
  expect(code).toBe(kExit.cancelled);
  expect(JSON.parse(out.join('\n'))).toMatchObject({ status: 'cancelled', runsDone: 0, error: { code: 'CANCELLED', runsDone: 0 }, liveBuffersAfter: 0 });
  const text: string[] = [];
  await main(['run', 'examples/axpy-i32.json', '--backend', 'cpu'], { out: (t) => text.push(t), err: () => {}, cancelOnSignals: () => controller.signal });
  expect(text.join('\n')).toMatch(/cancelled before any run finished/);
});
