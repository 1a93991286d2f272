/**
 * Host memory of a large run (issue 14): axpy over 10^8 runs (two f32 arrays, 800 MB of
 * arrays) with a 64 MiB budget, through the CLI in a child process, with `--outputs` to
 * a temporary folder and without. The figure is the child's maximum resident set size
 * as the kernel counts it (`/usr/bin/time -f %M`, GNU time), against the goal of 400 MB:
 * the host holds about a chunk, never the batch.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, BenchSection } from './section.ts';

const kTime = '/usr/bin/time';
const kBin = fileURLToPath(new URL('../bin/chunkscope.js', import.meta.url));
const kRuns = 100_000_000;
const kGoalBytes = 400e6;

const kScenario = {
  version: 1,
  name: 'axpy over 10^8 runs, 64 MiB budget',
  runs: kRuns,
  arrays: [
    { name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] },
    { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] },
  ],
  device: { budgetBytes: 64 * 2 ** 20 },
  kernel: { name: 'axpy' },
  seed: 1,
};

/** Runs the CLI under GNU time; resolves with its exit code, max RSS in bytes and wall time. */
function measureChild(args: string[]): Promise<{ code: number | null; maxRssBytes: number; ms: number; report: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(kTime, ['-f', 'max-rss-kib %M', process.execPath, kBin, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /max-rss-kib (\d+)/.exec(stderr);
      if (!match) return reject(new Error(`no max RSS from ${kTime}: ${stderr.slice(-500)}`));
      let report: Record<string, unknown> = {};
      try {
        report = JSON.parse(stdout);
      } catch {
        // Reported below as a run that did not finish.
      }
      resolve({ code, maxRssBytes: Number(match[1]) * 1024, ms: performance.now() - t0, report });
    });
  });
}

/** Max RSS of the 10^8-run axpy through `chunkscope run`, with and without `--outputs`. */
export async function hostMemorySection(): Promise<BenchSection> {
  const note = `chunkscope run --json on axpy over ${kRuns.toLocaleString('en-US')} runs (800 MB of arrays), 64 MiB budget, default backend; max RSS of the child from GNU time.`;
  if (!existsSync(kTime)) return { title: 'Host memory', note: `${note} Skipped: ${kTime} (GNU time) is not installed.`, rows: [] };
  const dir = mkdtempSync(join(tmpdir(), 'chunkscope-host-memory-'));
  const rows: BenchRow[] = [];
  try {
    const file = join(dir, 'axpy-1e8.json');
    writeFileSync(file, JSON.stringify(kScenario));
    for (const outputs of [true, false]) {
      const out = join(dir, 'outputs');
      const args = ['run', file, '--json', ...(outputs ? ['--outputs', out] : [])];
      const { code, maxRssBytes, ms, report } = await measureChild(args);
      const verified = (report.verification as { passed?: boolean } | undefined)?.passed === true;
      const written = outputs && existsSync(join(out, 'y.npy')) ? statSync(join(out, 'y.npy')).size : 0;
      rows.push({
        name: outputs ? 'with --outputs (y.npy written chunk by chunk)' : 'without --outputs (outputs checked and let go)',
        figure: `max RSS ${(maxRssBytes / 1e6).toFixed(0)} MB; ${(ms / 1000).toFixed(1)} s; exit ${code}, ${verified ? 'verified' : 'NOT verified'}` +
          (outputs ? `; y.npy ${(written / 1e6).toFixed(0)} MB` : ''),
        goal: '< 400 MB, exit 0',
        met: maxRssBytes < kGoalBytes && code === 0 && verified && (!outputs || written === kRuns * 4 + 128),
      });
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { title: 'Host memory', note, rows };
}
