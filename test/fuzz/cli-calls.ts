/**
 * The command-line half of `npm run fuzz`: random files (mutated examples, random JSON,
 * bytes that are not JSON, byte-order marks, deep nesting, missing paths and folders)
 * and random flags through the real `chunkscope` bin, each call checked against the
 * exit code the in-process readers predict, for a stack trace on stderr, for JSON on
 * stdout under --json, and against a time limit.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importLegacyRequests } from '../../src/core/legacy-requests.ts';
import { prepareRun } from '../../src/engine/prepare-run.ts';
import { kExit } from '../../src/cli/exit-codes.ts';
import fc from 'fast-check';
import { sample } from './fuzz-targets.ts';
import { gentlyMutated, Random } from './gentle-mutations.ts';
import { hostileValue, mutationsOf } from './hostile-json.ts';

const kBin = fileURLToPath(new URL('../../bin/chunkscope.js', import.meta.url));
const kRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One call: its arguments, what it reads on stdin, and the exit codes that would be right. */
export interface CliCall {
  args: string[];
  stdin: string;
  expected: number[];
  json: boolean;
  /** What the call is about, for the report. */
  what: string;
}

/** One call's verdict. */
export interface CliVerdict {
  call: CliCall;
  code: number | null;
  ms: number;
  problem?: 'exception' | 'hang' | 'wrong exit code' | 'not JSON';
  detail?: string;
}

interface Input {
  /** What the file holds (undefined: no file at the path). */
  text?: string;
  /** The JSON the CLI will read (after a byte-order mark), or why it cannot. */
  parsed: { ok: true; json: unknown } | { ok: false };
  what: string;
  folder?: boolean;
}

function inputFrom(random: Random, bases: unknown[], wild: unknown[]): Input {
  const asJson = (value: unknown, what: string, bom = false): Input => {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
    if (text === undefined) return { text: String(random.next()), parsed: { ok: true, json: Number(String(random.next())) }, what: `${what} (as a number)` };
    return { text: `${bom ? '\uFEFF' : ''}${text}`, parsed: { ok: true, json: JSON.parse(text) }, what };
  };
  switch (random.below(10)) {
    case 0:
      return asJson(random.pick(wild), 'random JSON');
    case 1: {
      const bytes = Array.from({ length: random.below(200) }, () => String.fromCharCode(random.below(0x250))).join('');
      let parsed: Input['parsed'];
      try {
        parsed = { ok: true, json: JSON.parse(bytes.replace(/^\uFEFF/, '')) };
      } catch {
        parsed = { ok: false };
      }
      return { text: bytes, parsed, what: 'random characters' };
    }
    case 2:
      return { text: '', parsed: { ok: false }, what: 'an empty file' };
    case 3: {
      const depth = 1000 + random.below(100_000);
      const text = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
      let parsed: Input['parsed'];
      try {
        parsed = { ok: true, json: JSON.parse(text) };
      } catch {
        parsed = { ok: false };
      }
      return { text, parsed, what: `arrays nested ${depth} deep` };
    }
    case 4:
      return random.below(2) ? { parsed: { ok: false }, what: 'a missing file' } : { parsed: { ok: false }, what: 'a folder', folder: true };
    case 5:
      return asJson(random.pick(bases), 'an example with a byte-order mark', true);
    case 6:
    case 7:
      return asJson(gentlyMutated(random.pick(bases), random), 'an example with one plausible change');
    default:
      return asJson(fc.sample(mutationsOf(random.pick(bases)), { numRuns: 1, seed: random.below(2 ** 31) })[0], 'an example with one value made hostile');
  }
}

/** Flags for `command`: valid ones, and with some chance one that is not; says whether one is not. */
function flagsFor(command: string, random: Random, dir: string, n: number): { flags: string[]; usage: boolean; json: boolean } {
  const flags: string[] = [];
  const json = random.below(2) === 0;
  if (json) flags.push('--json');
  if (command === 'run') {
    flags.push('--backend', random.pick(['cpu', 'cpu', 'cpu', 'auto']));
    if (random.below(3) === 0) flags.push('--trace', join(dir, `t${n}.json`));
    if (random.below(4) === 0) flags.push('--csv', join(dir, `t${n}.csv`));
    if (random.below(4) === 0) flags.push('--progress');
  }
  if (command === 'import-requests') {
    if (random.below(3) === 0) flags.push('--budget', String(1 + random.below(2 ** 30)));
    if (random.below(4) === 0) flags.push('--out', join(dir, `s${n}.json`));
    if (random.below(4) === 0) flags.push('--name', random.pick(['x', '', '__proto__', '"quoted"']));
  }
  if (random.below(4) !== 0) return { flags, usage: false, json };
  const wrong: Record<string, string[][]> = {
    plan: [['--bogus'], ['--json=yes'], ['extra.json']],
    run: [['--backend', 'metal'], ['--trace', '/nonexistent/t.json'], ['--csv', 'examples'], ['--chrome-trace', join(dir, 'missing', 'c.json')], ['--trace'], ['--bogus'], ['extra.json'], ['--trace', join(dir, 'same.json'), '--csv', join(dir, 'same.json')]],
    'import-requests': [['--budget', random.pick(['8MB', '-1', '0', '1.5', 'NaN', '1e400'])], ['--out', '/nonexistent/s.json'], ['--out', 'examples'], ['--bogus'], ['extra.json']],
  };
  const bad = random.pick(wrong[command]);
  return { flags: [...flags, ...bad], usage: true, json };
}

/** `count` calls from `seed`, writing their input files under `dir`. */
export function cliCalls(count: number, seed: number, dir: string, bases: { scenarios: unknown[]; small: unknown[]; legacy: unknown[] }): CliCall[] {
  const random = new Random(seed);
  const wild = sample(hostileValue, 300, seed).filter((v) => {
    try {
      return JSON.stringify(v) !== undefined;
    } catch {
      return false;
    }
  });
  mkdirSync(join(dir, 'a-folder'), { recursive: true });
  const calls: CliCall[] = [];
  for (let n = 0; n < count; n++) {
    const roll = random.below(20);
    if (roll === 0) {
      const args = random.pick([[], ['--help'], ['nope'], ['constructor'], ['__proto__'], ['plan', '--help'], ['run', '-h'], ['import-requests', '--help']]);
      const expected = args.length === 0 || args[0] === 'nope' || args[0] === 'constructor' || args[0] === '__proto__' ? [kExit.usage] : [kExit.ok];
      calls.push({ args, stdin: '', expected, json: false, what: `chunkscope ${args.join(' ')}` });
      continue;
    }
    let command = roll < 10 ? 'plan' : roll < 16 ? 'run' : 'import-requests';
    const input = inputFrom(random, command === 'import-requests' ? bases.legacy : command === 'run' ? bases.small : bases.scenarios, wild);
    // What the readers make of it decides the right exit code.
    let expected: number[];
    if (!input.parsed.ok) {
      expected = [kExit.invalidScenario];
    } else if (command === 'import-requests') {
      expected = [importLegacyRequests(input.parsed.json).ok ? kExit.ok : kExit.invalidScenario];
    } else {
      const prepared = prepareRun(input.parsed.json);
      if (!prepared.ok) expected = [prepared.error.code === 'INVALID_SCENARIO' ? kExit.invalidScenario : kExit.infeasible];
      else if (command === 'plan') expected = [kExit.ok];
      else if (prepared.run.scenario.runs * Math.max(1, Number(prepared.run.scenario.kernel?.steps ?? 1)) > 2_000_000 || prepared.run.scenario.runs > 5000) {
        // Too long to run here: plan it instead.
        command = 'plan';
        expected = [kExit.ok];
      } else expected = [kExit.ok, kExit.infeasible, kExit.ladderExhausted, kExit.noDevice];
    }
    const { flags, usage, json } = flagsFor(command, random, dir, n);
    if (usage) expected = [kExit.usage];
    const viaStdin = input.text !== undefined && random.below(4) === 0;
    let path = '-';
    if (!viaStdin) {
      path = input.folder ? join(dir, 'a-folder') : join(dir, `in${n}.json`);
      if (input.text !== undefined) writeFileSync(path, input.text);
    }
    calls.push({ args: [command, path, ...flags], stdin: viaStdin ? input.text! : '', expected, json, what: `${command} ${input.what}${usage ? ', a wrong flag' : ''}` });
  }
  return calls;
}

/** Runs one call with a time limit; says what was wrong with it, if anything. */
export function runCall(call: CliCall, limitMs: number): Promise<CliVerdict> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [kBin, ...call.args], { cwd: kRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {});
    child.stdin.end(call.stdin);
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - start;
      const verdict: CliVerdict = { call, code, ms };
      const trace = /^\s+at .+:\d+:\d+\)?$/m.exec(stderr) ?? /node:internal/.exec(stderr);
      if (hung) Object.assign(verdict, { problem: 'hang', detail: `no exit after ${limitMs} ms` });
      else if (trace) Object.assign(verdict, { problem: 'exception', detail: stderr.slice(0, 600) });
      else if (code === null || !call.expected.includes(code)) Object.assign(verdict, { problem: 'wrong exit code', detail: `exit ${code}, expected ${call.expected.join(' or ')}: ${stderr.slice(0, 300)}` });
      else if (call.json && code !== kExit.usage && stdout.trim()) {
        try {
          JSON.parse(stdout);
        } catch {
          Object.assign(verdict, { problem: 'not JSON', detail: stdout.slice(0, 300) });
        }
      }
      resolve(verdict);
    });
  });
}
