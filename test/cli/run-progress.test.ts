// Progress of `chunkscope run`: what a line says, how often it is drawn (by an injected clock, not wall time), and when it is shown at all.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';
import { formatWait, kProgressIntervalMs, lineSink, RunProgressLine, terminalSink } from '../../src/cli/run-progress.ts';
import type { RunProgress } from '../../src/engine/run-scenario.ts';
import lorenz from '../../examples/lorenz-batch.json';
import { runCli } from './cli-process.ts';

const step = (runsDone: number, over: Partial<RunProgress> = {}): RunProgress => ({ runsDone, runs: 1000, attempt: 1, backend: 'webgpu', chunk: 0, chunkLength: 10, ...over });

test('a line names chunks, runs, the attempt, the time spent and the time left', () => {
  let now = 0;
  const lines: string[] = [];
  const progress = new RunProgressLine({ sink: lineSink((l) => lines.push(l)), now: () => now });
  now = 2000;
  progress.update(step(250, { chunkLength: 250 }));
  expect(lines).toEqual(['progress: chunk 1 of 4 · runs 250 of 1,000 (25%) · attempt 1 (webgpu) · 2.0 s elapsed · about 6.0 s left']);
});

test('after a shrink the chunk count follows the new chunk length; all runs done reads "verifying"', () => {
  let now = 0;
  const lines: string[] = [];
  const progress = new RunProgressLine({ sink: lineSink((l) => lines.push(l)), now: () => now });
  now = 1000;
  progress.update(step(500, { chunkLength: 500 }));
  now = 2000;
  progress.update(step(750, { attempt: 2, chunkLength: 250 }));
  now = 3000;
  progress.update(step(1000, { attempt: 2, chunkLength: 250 }));
  expect(lines.slice(1)).toEqual([
    'progress: chunk 2 of 3 · runs 750 of 1,000 (75%) · attempt 2 (webgpu) · 2.0 s elapsed · about 0.7 s left',
    'progress: chunk 3 of 3 · runs 1,000 of 1,000 (100%) · attempt 2 (webgpu) · 3.0 s elapsed · verifying',
  ]);
});

test('100 chunks 10 ms apart are drawn once per interval, and the final state once more', () => {
  let now = 0;
  const lines: string[] = [];
  const progress = new RunProgressLine({ sink: lineSink((l) => lines.push(l)), now: () => now });
  for (let i = 1; i <= 100; i++) {
    now = i * 10;
    progress.update(step(i * 10));
  }
  progress.finish();
  progress.finish();
  // Drawn at 10, 210, 410, 610, 810 ms, then the final state at finish.
  expect(lines).toHaveLength(Math.ceil(1000 / kProgressIntervalMs) + 1);
  expect(lines.at(-1)).toMatch(/^progress: chunk 100 of 100 · runs 1,000 of 1,000/);
});

test('on a terminal the line is redrawn in place, cut to the width, and cleared at the end', () => {
  const written: string[] = [];
  const progress = new RunProgressLine({ sink: terminalSink((t) => written.push(t), 40), now: () => 0 });
  progress.update(step(10));
  progress.finish();
  expect(written[0]).toMatch(/^\r\x1b\[2Kchunk 1 of 100 · runs 10 of 1,000 \(1%\)…$/);
  expect(written[0].length).toBeLessThanOrEqual('\r\x1b[2K'.length + 39);
  expect(written.at(-1)).toBe('\r\x1b[2K');
});

test.each([
  [0, '0.0 s'],
  [9_949, '9.9 s'],
  [42_900, '42 s'],
  [125_000, '2 min 5 s'],
  [3_780_000, '1 h 3 min'],
])('formatWait(%d) is %s', (ms, text) => expect(formatWait(ms)).toBe(text));

/** The default Lorenz batch in 42 chunks of 487 runs, with a fifth of the steps. */
function manyChunks(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'chunkscope-progress-')), 'many-chunks.json');
  writeFileSync(path, JSON.stringify({ ...lorenz, device: { budgetBytes: 600_000 }, kernel: { ...lorenz.kernel, steps: 200, saveEvery: 2 } }));
  return path;
}

test('--progress through a pipe: lines on stderr from the first chunk to all 42, the report untouched on stdout', async () => {
  const { code, stdout, stderr } = await runCli(['run', manyChunks(), '--backend', 'cpu', '--progress']);
  expect(code).toBe(kExit.ok);
  const lines = stderr.split('\n').filter((l) => l.startsWith('progress: '));
  expect(lines.length).toBeGreaterThanOrEqual(2);
  expect(lines.length).toBeLessThanOrEqual(43);
  expect(lines[0]).toMatch(/^progress: chunk \d+ of 42 · runs [\d,]+ of 20,000 \(\d+%\) · attempt 1 \(cpu\) · [\d.]+ s elapsed · about .+ left$/);
  expect(lines.at(-1)).toMatch(/^progress: chunk 42 of 42 · runs 20,000 of 20,000 \(100%\) · attempt 1 \(cpu\) · .+ elapsed · verifying$/);
  expect(stdout).not.toContain('progress');
  expect(stdout).toMatch(/verification {2}passed/);
});

test('no progress when stderr is not a terminal and --progress is not given, nor under --json', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'chunkscope-progress-')), 'small.json');
  writeFileSync(path, JSON.stringify({ version: 1, runs: 100, arrays: [{ name: 'a', role: 'input', dtype: 'u32', shape: ['runs'] }, { name: 'b', role: 'output', dtype: 'u32', shape: ['runs'] }], device: { budgetBytes: 400 } }));
  const err: string[] = [];
  const io = { out: () => {}, err: (t: string) => err.push(t) };
  expect(await main(['run', path, '--backend', 'cpu'], io)).toBe(kExit.ok);
  const terminal: string[] = [];
  const onTerminal = { ...io, errTerminal: { write: (t: string) => terminal.push(t), columns: 120 } };
  expect(await main(['run', path, '--backend', 'cpu', '--json'], onTerminal)).toBe(kExit.ok);
  expect([...err, ...terminal].join('')).not.toMatch(/chunk \d+ of/);
  // A terminal without --json shows it; --json with --progress too.
  await main(['run', path, '--backend', 'cpu'], onTerminal);
  expect(terminal.join('')).toMatch(/chunk 2 of 2 · runs 100 of 100 \(100%\)/);
  terminal.length = 0;
  await main(['run', path, '--backend', 'cpu', '--json', '--progress'], onTerminal);
  expect(terminal.join('')).toMatch(/chunk 2 of 2/);
  expect(err.join('')).toBe('');
});
