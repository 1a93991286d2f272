/**
 * `chunkscope run --outputs DIR`: the run's outputs as `.npy` files (one per output
 * array, C order) and `manifest.json`, written chunk by chunk as the run goes, so the
 * host never holds the batch. A chunk lands at its place in a file sized for every
 * run; when the run ends short (a ladder that gave up, a cancel) the chunk axis is cut
 * to the runs finished: a leading chunk axis by truncating, an inner one by moving each
 * outer block down first. The manifest is written last, whole (a temporary name, then a
 * rename), so a folder with a manifest holds complete files.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { HostArray } from '../core/host-arrays.ts';
import { stringifyJson } from '../core/json.ts';
import { NpyRunFile, type NpyMove } from '../core/npy.ts';
import { npyFileName, outputsManifest } from '../core/outputs-manifest.ts';
import type { ArraySpec, Scenario } from '../core/scenario.ts';
import { outputSpecs, type OutputSink, type OutputsEnd } from '../engine/output-sink.ts';

/** Bytes moved at a time when an inner chunk axis is cut. */
const kMoveBytes = 8 * 2 ** 20;

interface OpenFile {
  file: NpyRunFile;
  fd: number;
}

/** The `.npy` sink of one run. A write that fails is kept as {@link error} and ends the writing, not the run. */
export class NpyOutputs implements OutputSink {
  /** The first write that failed, in a sentence; the run goes on without its files. */
  error?: string;
  private readonly _files = new Map<string, OpenFile>();

  private _open = false;

  constructor(
    readonly dir: string,
    private readonly _scenario: Scenario,
  ) {}

  writeChunk(spec: ArraySpec, data: HostArray, start: number, end: number): void {
    this._openFiles();
    const open = this._files.get(spec.name);
    if (!open || this.error) return;
    const { file, fd } = open;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const block = (end - start) * file.layout.inner * file.element;
    this._try(() => {
      for (let o = 0; o < file.layout.outer; o++) writeSync(fd, bytes, o * block, block, file.blockAt(o, start));
    });
  }

  close(end: OutputsEnd): void {
    this._openFiles();
    const arrays: { name: string; file: string; shape: number[] }[] = [];
    for (const { file, fd } of this._files.values()) {
      const { spec } = file;
      this._try(() => {
        if (!file.layout.chunked) {
          const data = end.fixed.get(spec.name);
          if (data) writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 0, data.byteLength, file.header.length);
        }
        moveBlocks(fd, file.cutMoves(end.runsDone));
        const header = file.headerFor(end.runsDone);
        writeSync(fd, header, 0, header.length, 0);
        ftruncateSync(fd, file.bytesFor(end.runsDone));
      });
      closeSync(fd);
      arrays.push({ name: spec.name, file: fileName(spec), shape: file.shapeFor(end.runsDone) });
    }
    this._files.clear();
    this._open = false;
    if (this.error) return;
    this._try(() => {
      const manifest = join(this.dir, 'manifest.json');
      writeFileSync(`${manifest}.partial`, `${stringifyJson(outputsManifest({ scenario: this._scenario, status: end.status, runsDone: end.runsDone, arrays, verification: end.verification }))}\n`);
      renameSync(`${manifest}.partial`, manifest);
    });
  }

  /** Files are made when the first chunk lands, so a run refused before it starts leaves nothing behind. */
  private _openFiles(): void {
    if (this._open) return;
    this._open = true;
    this._try(() => {
      mkdirSync(this.dir, { recursive: true });
      for (const spec of outputSpecs(this._scenario)) {
        const file = new NpyRunFile(spec, this._scenario.runs);
        const fd = openSync(join(this.dir, fileName(spec)), 'w+');
        this._files.set(spec.name, { file, fd });
        writeSync(fd, file.header, 0, file.header.length, 0);
      }
    });
  }

  private _try(write: () => void): void {
    if (this.error) return;
    try {
      write();
    } catch (err) {
      this.error = `the outputs could not be written to ${this.dir}: ${(err as Error).message}`;
    }
  }
}

/** The file of an output array. */
export function fileName(spec: Pick<ArraySpec, 'name'>): string {
  return npyFileName(spec.name);
}

/** Makes the moves in order, through a buffer of at most {@link kMoveBytes}. */
function moveBlocks(fd: number, moves: readonly NpyMove[]): void {
  if (!moves.length) return;
  const buffer = new Uint8Array(Math.min(kMoveBytes, Math.max(moves[0].bytes, 1)));
  for (const { from, to, bytes } of moves) {
    for (let moved = 0; moved < bytes; moved += buffer.length) {
      const length = Math.min(buffer.length, bytes - moved);
      readSync(fd, buffer, 0, length, from + moved);
      writeSync(fd, buffer, 0, length, to + moved);
    }
  }
}
