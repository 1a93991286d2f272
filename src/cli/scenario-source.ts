/**
 * Reads a JSON file (or standard input for `-`) and prepares it as a run, for every
 * command: the same {@link prepareRun} the worker and the engine use.
 */
import { readFile } from 'node:fs/promises';
import { stringifyJson } from '../core/json.ts';
import type { PrepareError, PreparedRun } from '../engine/prepare-run.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { registerRawImports } from './raw-imports.ts';

/** A run prepared from a file, or what to print and exit with. */
export type LoadedRun =
  | { ok: true; run: PreparedRun }
  | { ok: false; exit: number; error: PrepareError | { code: 'UNREADABLE'; message: string } };

/** Reads `source` (`-` for standard input) and prepares its scenario; never throws. */
export async function loadRun(source: string): Promise<LoadedRun> {
  const read = await loadJson(source);
  return read.ok ? prepareJson(source, read.json) : read;
}

/** Reads the JSON at `source`, or the failure to print: commands that route by content read once, then prepare. */
export async function loadJson(source: string): Promise<{ ok: true; json: unknown } | Extract<LoadedRun, { ok: false }>> {
  const read = await readSource(source);
  return read.ok ? read : { ok: false, exit: kExit.invalidScenario, error: { code: 'UNREADABLE', message: read.message } };
}

/** Prepares a scenario read from `source`; never throws. */
export async function prepareJson(source: string, json: unknown): Promise<LoadedRun> {
  // The kernels' WGSL is imported with ?raw: register the loader before the engine loads.
  registerRawImports();
  const { prepareRun } = await import('../engine/prepare-run.ts');
  const prepared = prepareRun(json);
  if (prepared.ok) return prepared;
  const { error } = prepared;
  if ('issues' in error) return { ok: false, exit: kExit.invalidScenario, error: { ...error, message: `${source} is not a valid scenario: ${error.message}` } };
  return { ok: false, exit: kExit.infeasible, error };
}

/** Prints why a file could not be prepared, as JSON on stdout or as text on stderr; returns the exit code. */
export function reportLoadFailure(failure: Extract<LoadedRun, { ok: false }>, io: CliIo, json: boolean): number {
  const { error } = failure;
  if (json) {
    io.out(stringifyJson({ error: error.code === 'UNREADABLE' ? { code: 'INVALID_SCENARIO', message: error.message, issues: [] } : error }));
  } else if ('issues' in error) {
    io.err([`chunkscope: ${error.message}`, ...error.issues.map((i) => `  ${i.path || '(scenario)'}${i.array ? ` (array "${i.array}")` : ''}: ${i.message}`)].join('\n'));
  } else if (error.code === 'UNREADABLE') {
    io.err(`chunkscope: ${error.message}`);
  } else {
    io.err(`chunkscope: no plan (${error.code}): ${error.message}`);
  }
  return failure.exit;
}

/** Reads and parses the JSON at `source` (`-` for standard input), or says why it could not. */
export async function readSource(source: string): Promise<{ ok: true; json: unknown } | { ok: false; message: string }> {
  let text: string;
  try {
    text = source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (err as Error).message;
    return { ok: false, message: `cannot read ${source}: ${reason}` };
  }
  try {
    // Editors on Windows start UTF-8 files with a byte-order mark; JSON.parse refuses it.
    return { ok: true, json: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (err) {
    return { ok: false, message: `${source} is not valid JSON: ${(err as Error).message}` };
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
