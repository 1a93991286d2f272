// Output files: every path checked before the run (a sentence and exit 64, no run), written whole through a temporary name, and a write that fails after the run keeps the report and exits 73.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';
import { checkOutputPaths, writeFileAtomically, writeOutputs } from '../../src/cli/output-files.ts';
import { runCli } from './cli-process.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'chunkscope-out-'));

async function cli(argv: string[], onErr: (line: string) => void = () => {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => (err.push(t), onErr(t)) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('checkOutputPaths', () => {
  const dir = fresh();
  writeFileSync(join(dir, 'a-file'), 'x');
  mkdirSync(join(dir, 'a-folder'));
  test.each([
    { what: 'a missing folder', path: join(dir, 'missing', 't.json'), message: /the folder .*missing does not exist/ },
    { what: 'a folder given as the file', path: join(dir, 'a-folder'), message: /is a folder: give the name of a file/ },
    { what: 'a file given as the folder', path: join(dir, 'a-file', 't.json'), message: /a-file is a file, not a folder/ },
    { what: 'an empty name', path: '', message: /needs a file name/ },
    // /sys refuses new files to every user, root included.
    ...(existsSync('/sys') ? [{ what: 'a place no one may write', path: '/sys/chunkscope-t.json', message: /cannot be written: (no permission|.*read-only)/ }] : []),
  ])('$what', async ({ path, message }) => {
    const problems = await checkOutputPaths([{ flag: '--trace', path }]);
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^--trace /);
    expect(problems[0].message).toMatch(message);
  });

  test('a writable file, a file to replace and a folder to fill pass, leaving nothing behind', async () => {
    const problems = await checkOutputPaths([
      { flag: '--trace', path: join(dir, 'new.json') },
      { flag: '--csv', path: join(dir, 'a-file') },
      { flag: '--outputs', path: join(dir, 'a-folder'), kind: 'folder' },
    ]);
    expect(problems).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['a-file', 'a-folder']);
    expect(readdirSync(join(dir, 'a-folder'))).toEqual([]);
  });

  test('two flags naming one file', async () => {
    const path = join(dir, 'same.json');
    const problems = await checkOutputPaths([{ flag: '--trace', path }, { flag: '--chrome-trace', path }]);
    expect(problems.map((p) => p.message)).toEqual([`--chrome-trace ${path} is also the file of --trace: give each output its own file`]);
  });
});

test('writeFileAtomically replaces a file whole and leaves no temporary file; a failed write leaves the old file', async () => {
  const dir = fresh();
  const path = join(dir, 'out.json');
  writeFileSync(path, 'old');
  await writeFileAtomically(path, 'new contents');
  expect(readFileSync(path, 'utf8')).toBe('new contents');
  expect(readdirSync(dir)).toEqual(['out.json']);
  const failed = await writeOutputs([{ flag: '--csv', path: join(dir, 'gone', 'x.csv'), contents: () => 'a,b' }]);
  expect(failed).toEqual([{ flag: '--csv', path: join(dir, 'gone', 'x.csv'), message: expect.stringMatching(/^--csv .*x\.csv could not be written: the folder .*gone does not exist/) }]);
});

describe('chunkscope run refuses an output it cannot write before running', () => {
  test.each([
    { flag: '--trace', path: '/nonexistent/t.json', message: /--trace \/nonexistent\/t\.json cannot be written: the folder \/nonexistent does not exist/ },
    { flag: '--trace', path: 'examples', message: /--trace examples is a folder/ },
    { flag: '--csv', path: 'examples/lorenz-batch.json/t.csv', message: /examples\/lorenz-batch\.json is a file, not a folder/ },
    { flag: '--chrome-trace', path: '/nonexistent/c.json', message: /--chrome-trace .* does not exist/ },
  ])('$flag $path', async ({ flag, path, message }) => {
    const { code, out, err } = await cli(['run', 'examples/axpy-i32.json', '--backend', 'cpu', flag, path]);
    expect(code).toBe(kExit.usage);
    expect(err).toMatch(message);
    // No run: no report.
    expect(out).toBe('');
    expect(err).not.toMatch(/\n\s+at /);
    const json = await cli(['run', 'examples/axpy-i32.json', '--backend', 'cpu', '--json', flag, path]);
    expect(json.code).toBe(kExit.usage);
    expect(JSON.parse(json.out).error).toMatchObject({ code: 'OUTPUT_UNWRITABLE', path: flag, message: expect.stringMatching(message) });
  });
});

test('a folder that goes away during the run: the report is printed, the file named, exit 73', async () => {
  const dir = fresh();
  const trace = join(dir, 'sub', 'run.trace.json');
  mkdirSync(join(dir, 'sub'));
  // The first progress line comes after the first chunk, after the check and before the write.
  const { code, out, err } = await cli(['run', 'examples/axpy-i32.json', '--backend', 'cpu', '--progress', '--trace', trace], (line) => {
    if (line.startsWith('progress:')) rmSync(join(dir, 'sub'), { recursive: true, force: true });
  });
  expect(code).toBe(kExit.outputUnwritable);
  expect(out).toMatch(/verification {2}passed/);
  expect(err).toContain(`chunkscope run: --trace ${trace} could not be written: the folder ${join(dir, 'sub')} does not exist`);
  expect(readdirSync(dir)).toEqual([]);
});

test('import-requests --out: checked before reading, and the scenario goes to stdout when the write fails', async () => {
  const refused = await runCli(['import-requests', 'examples/legacy/lorenz-requests.json', '--out', '/nonexistent/s.json']);
  expect(refused.code).toBe(kExit.usage);
  expect(refused.stderr).toContain('--out /nonexistent/s.json cannot be written: the folder /nonexistent does not exist');
  const dir = fresh();
  const path = join(dir, 'scenario.json');
  const written = await cli(['import-requests', 'examples/legacy/lorenz-requests.json', '--out', path]);
  expect(written.code).toBe(kExit.ok);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ version: 1, runs: 20000 });
  expect(readdirSync(dir)).toEqual(['scenario.json']);
});
