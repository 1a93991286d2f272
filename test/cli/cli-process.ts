/** Runs the real `chunkscope` bin in a child process, as a user's shell would. */
import { spawn } from 'node:child_process';
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

/** Runs `chunkscope ...args` from the repository root, feeding `stdin` if given. */
export function runCli(args: string[], stdin?: string): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kBin, ...args], { cwd: kRepoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
