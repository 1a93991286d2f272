/** Runs the real `chunkscope` bin in a child process, as a user's shell would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, for paths to examples. */
export const kRepoRoot = fileURLToPath(new URL('../../', import.meta.url));
const kBin = fileURLToPath(new URL('../../bin/chunkscope.js', import.meta.url));

/** What a finished `chunkscope` process printed and returned. */
export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `chunkscope` process still running: the process, its outcome, and a wait on what it prints. */
export interface RunningCli {
  child: ChildProcess;
  outcome: Promise<CliOutcome>;
  /** Resolves once standard error so far matches `pattern` (rejects if the process ends first). */
  stderrMatches(pattern: RegExp): Promise<void>;
}

/** Starts `chunkscope ...args` from the repository root, feeding `stdin` if given. */
export function startCli(args: string[], stdin?: string): RunningCli {
  const child = spawn(process.execPath, [kBin, ...args], { cwd: kRepoRoot });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(stderr)) w.resolve();
      else waiters.push(w);
    }
  });
  const outcome = new Promise<CliOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stdin.end(stdin ?? '');
  return {
    child,
    outcome,
    stderrMatches: (pattern) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stderr)) return resolve();
        waiters.push({ pattern, resolve });
        outcome.then(() => reject(new Error(`chunkscope ended before standard error matched ${pattern}:\n${stderr}`)), reject);
      }),
  };
}

/** Runs `chunkscope ...args` from the repository root, feeding `stdin` if given. */
export function runCli(args: string[], stdin?: string): Promise<CliOutcome> {
  return startCli(args, stdin).outcome;
}
