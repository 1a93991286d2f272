/**
 * Files a command writes (`--trace`, `--csv`, `--chrome-trace`, `--out`, and folders of
 * files): checked before any work starts, so a path that cannot be written costs a
 * sentence and not a run; written through a temporary name in the same folder and
 * renamed into place, so no reader ever meets half a file, whatever stops the process.
 */
import { constants, rmSync } from 'node:fs';
import { access, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** A path a command will write, and the flag that named it (for the sentence). */
export interface OutputPath {
  flag: string;
  path: string;
  /** `file` (default): a file to create or replace. `folder`: a folder to write files into, made when missing. */
  kind?: 'file' | 'folder';
}

/** An output that could not be written (or will not be writable), in words. */
export interface OutputProblem {
  flag: string;
  path: string;
  message: string;
}

/** Temporary files being written now: removed by {@link removePartialOutputs} if the process must stop at once. */
const kInFlight = new Set<string>();

/**
 * Checks that every output can be written, before the work that fills them starts:
 * the path is not a folder (for a file), its folder exists, is a folder and takes a new
 * file (a file is created there and removed, which also catches read-only file systems
 * and places even root cannot write), and no two flags name the same path.
 * Returns one problem per output that cannot be written; never throws.
 */
export async function checkOutputPaths(outputs: readonly OutputPath[]): Promise<OutputProblem[]> {
  const problems: OutputProblem[] = [];
  const seen = new Map<string, string>();
  for (const output of outputs) {
    const problem = await checkOne(output);
    if (problem) {
      problems.push({ flag: output.flag, path: output.path, message: problem });
      continue;
    }
    const key = resolve(output.path);
    const other = seen.get(key);
    if (other !== undefined) {
      problems.push({ flag: output.flag, path: output.path, message: `${output.flag} ${output.path} is also the file of ${other}: give each output its own file` });
    }
    seen.set(key, output.flag);
  }
  return problems;
}

async function checkOne({ flag, path, kind = 'file' }: OutputPath): Promise<string | undefined> {
  if (path === '') return `${flag} needs a ${kind} name`;
  const target = await statOf(path);
  if (kind === 'file' && target?.isDirectory()) return `${flag} ${path} is a folder: give the name of a file to write (e.g. ${join(path, 'out.json')})`;
  if (kind === 'folder' && target && !target.isDirectory()) return `${flag} ${path} is a file, not a folder`;
  if (kind === 'folder' && target) return probe(flag, path, path);
  const folder = dirname(resolve(path));
  const shown = dirname(path);
  const parent = await statOf(folder);
  if (!parent) return `${flag} ${path} cannot be written: the folder ${shown} does not exist (make it first)`;
  if (!parent.isDirectory()) return `${flag} ${path} cannot be written: ${shown} is a file, not a folder`;
  if (target && kind === 'file') {
    // A file is replaced by renaming over it, which needs the folder, not the file, to be writable;
    // still, a read-only file most likely means "do not overwrite me".
    try {
      await access(path, constants.W_OK);
    } catch {
      return `${flag} ${path} exists and is read-only: remove it or choose another name`;
    }
  }
  return probe(flag, path, folder);
}

/** Creates and removes a file in `folder`: the one check that answers for every file system and user. */
async function probe(flag: string, path: string, folder: string): Promise<string | undefined> {
  const name = join(folder, `.chunkscope-check-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const handle = await open(name, 'wx');
    await handle.close();
    await rm(name, { force: true });
    return undefined;
  } catch (err) {
    return `${flag} ${path} cannot be written: ${reasonOf(err, { file: path, folder })}`;
  }
}

async function statOf(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/** A file system error as words a user can act on. */
export function reasonOf(err: unknown, { file, folder }: { file: string; folder: string }): string {
  const where = folder;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `the folder ${where} does not exist (any more)`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to write in ${where}`;
    case 'EROFS':
      return `${where} is on a read-only file system`;
    case 'ENOSPC':
      return `no space left on the device holding ${where}`;
    case 'EDQUOT':
      return `the disk quota for ${where} is used up`;
    case 'EISDIR':
      return `${file} is a folder`;
    case 'ENOTDIR':
      return `a part of ${where} is a file, not a folder`;
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Writes `data` to `path` through a temporary file in the same folder, renamed into place:
 * the path holds the old file or the whole new one, never part of one. Throws the file
 * system's error; the temporary file is removed either way.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`);
  kInFlight.add(temporary);
  try {
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true }).catch(() => {});
    throw err;
  } finally {
    kInFlight.delete(temporary);
  }
}

/** An output ready to write: its flag, its path, and its contents, made only when written. */
export interface PendingOutput extends OutputPath {
  contents: () => string | Uint8Array;
}

/** Writes each output in turn (atomically); returns those that failed, in words. Never throws for a file system error. */
export async function writeOutputs(outputs: readonly PendingOutput[]): Promise<OutputProblem[]> {
  const failed: OutputProblem[] = [];
  for (const output of outputs) {
    try {
      await writeFileAtomically(output.path, output.contents());
    } catch (err) {
      failed.push({ flag: output.flag, path: output.path, message: `${output.flag} ${output.path} could not be written: ${reasonOf(err, { file: output.path, folder: dirname(output.path) })}` });
    }
  }
  return failed;
}

/** Removes the temporary files of writes still under way: for a process that must stop now, so nothing half-written stays behind. */
export function removePartialOutputs(): void {
  for (const temporary of kInFlight) rmSync(temporary, { force: true });
  kInFlight.clear();
}
