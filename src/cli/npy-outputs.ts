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
import { dtypeBytes } from '../core/dtypes.ts';
import { runLayout, type HostArray, type RunLayout } from '../core/host-arrays.ts';
import { stringifyJson } from '../core/json.ts';
import { npyHeader } from '../core/npy.ts';
import { npyFileName, outputsManifest } from '../core/outputs-manifest.ts';
import { shapeAt } from '../core/planner.ts';
import type { ArraySpec, Scenario } from '../core/scenario.ts';
import { outputSpecs, type OutputSink, type OutputsEnd } from '../engine/output-sink.ts';

/** Bytes moved at a time when an inner chunk axis is cut. */
const kMoveBytes = 8 * 2 ** 20;

interface OpenFile {
  spec: ArraySpec;
  layout: RunLayout;
  fd: number;
  headerBytes: number;
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
    const file = this._files.get(spec.name);
    if (!file || this.error) return;
    const { outer, inner } = file.layout;
    const n = end - start;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const block = n * inner * data.BYTES_PER_ELEMENT;
    this._try(() => {
      for (let o = 0; o < outer; o++) {
        const at = file.headerBytes + (o * this._scenario.runs + start) * inner * data.BYTES_PER_ELEMENT;
        writeSync(file.fd, bytes, o * block, block, at);
      }
    });
  }

  close(end: OutputsEnd): void {
    this._openFiles();
    const arrays: { name: string; file: string; shape: number[] }[] = [];
    for (const file of this._files.values()) {
      const { spec, layout, fd } = file;
      const runs = layout.chunked ? end.runsDone : this._scenario.runs;
      const shape = shapeAt(spec.shape, runs);
      this._try(() => {
        const element = dtypeBytes(spec.dtype);
        if (!layout.chunked) {
          const data = end.fixed.get(spec.name);
          if (data) writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 0, data.byteLength, file.headerBytes);
        } else if (runs < this._scenario.runs) {
          cutChunkAxis(fd, { headerBytes: file.headerBytes, layout, runs: this._scenario.runs, done: runs, element });
        }
        const header = npyHeader(spec.dtype, shape, file.headerBytes);
        writeSync(fd, header, 0, header.length, 0);
        ftruncateSync(fd, file.headerBytes + layout.outer * (layout.chunked ? runs : 1) * layout.inner * element);
      });
      closeSync(fd);
      arrays.push({ name: spec.name, file: fileName(spec), shape });
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
        const layout = runLayout(spec.shape);
        const header = npyHeader(spec.dtype, shapeAt(spec.shape, this._scenario.runs));
        const fd = openSync(join(this.dir, fileName(spec)), 'w+');
        this._files.set(spec.name, { spec, layout, fd, headerBytes: header.length });
        writeSync(fd, header, 0, header.length, 0);
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

/** Moves outer block `o` (of `done` runs) from where `runs` runs put it to where `done` runs do, in C order. */
function cutChunkAxis(fd: number, where: { headerBytes: number; layout: RunLayout; runs: number; done: number; element: number }): void {
  const { headerBytes, layout, runs, done, element } = where;
  const block = done * layout.inner * element;
  const buffer = new Uint8Array(Math.min(kMoveBytes, Math.max(block, 1)));
  // Each block moves towards the start of the file, so moving in order never overwrites one not yet moved.
  for (let o = 1; o < layout.outer; o++) {
    const from = headerBytes + o * runs * layout.inner * element;
    const to = headerBytes + o * block;
    for (let moved = 0; moved < block; moved += buffer.length) {
      const length = Math.min(buffer.length, block - moved);
      readSync(fd, buffer, 0, length, from + moved);
      writeSync(fd, buffer, 0, length, to + moved);
    }
  }
}
