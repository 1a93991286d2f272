/**
 * The `.npy` files and `manifest.json` of `chunkscope run --outputs DIR`, byte for byte,
 * kept in memory instead of written: the app's worker has no folder to write into, and
 * offers them as one download once the run ends, finished prefix and all (DESIGN.md,
 * "Finished runs are never lost"). Each file is laid out as the CLI's sink lays its file
 * out: a header sized for every run, each chunk at its place, the chunk axis cut to the
 * runs finished when the run ends short, the header rewritten over the same bytes.
 */
import type { HostArray } from '../core/host-arrays.ts';
import { stringifyJson } from '../core/json.ts';
import { NpyRunFile } from '../core/npy.ts';
import { npyFileName, outputsManifest } from '../core/outputs-manifest.ts';
import type { ArraySpec, Scenario } from '../core/scenario.ts';
import { outputSpecs, type OutputSink, type OutputsEnd } from './output-sink.ts';

/** One file of the outputs: its name in the folder (or zip) and its bytes. */
export interface KeptFile {
  name: string;
  bytes: Uint8Array;
}

/** What a closed {@link KeptOutputs} holds. */
export interface KeptRun {
  status: OutputsEnd['status'];
  runs: number;
  runsDone: number;
  /** Whether the finished runs were verified, and the verdict. */
  verified: 'passed' | 'failed' | 'not verified';
  /** The `.npy` files in the scenario's order, then `manifest.json`. */
  files: KeptFile[];
}

interface OpenArray {
  file: NpyRunFile;
  bytes: Uint8Array;
}

/** The outputs sink of the app: the `--outputs` files of one run, in memory. */
export class KeptOutputs implements OutputSink {
  /** Set once the run is over. */
  kept: KeptRun | undefined;
  private readonly _arrays = new Map<string, OpenArray>();
  private _open = false;

  constructor(private readonly _scenario: Scenario) {}

  writeChunk(spec: ArraySpec, data: HostArray, start: number, end: number): void {
    this._openArrays();
    const array = this._arrays.get(spec.name);
    if (!array) return;
    const { file } = array;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const block = (end - start) * file.layout.inner * file.element;
    for (let o = 0; o < file.layout.outer; o++) array.bytes.set(bytes.subarray(o * block, (o + 1) * block), file.blockAt(o, start));
  }

  close(end: OutputsEnd): void {
    this._openArrays();
    const files: KeptFile[] = [];
    const listed: { name: string; file: string; shape: number[] }[] = [];
    for (const { file, bytes } of this._arrays.values()) {
      const { spec } = file;
      if (!file.layout.chunked) {
        const data = end.fixed.get(spec.name);
        if (data) bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), file.header.length);
      }
      for (const { from, to, bytes: length } of file.cutMoves(end.runsDone)) bytes.copyWithin(to, from, from + length);
      bytes.set(file.headerFor(end.runsDone));
      files.push({ name: npyFileName(spec.name), bytes: bytes.subarray(0, file.bytesFor(end.runsDone)) });
      listed.push({ name: spec.name, file: npyFileName(spec.name), shape: file.shapeFor(end.runsDone) });
    }
    this._arrays.clear();
    const manifest = outputsManifest({ scenario: this._scenario, status: end.status, runsDone: end.runsDone, arrays: listed, verification: end.verification });
    files.push({ name: 'manifest.json', bytes: new TextEncoder().encode(`${stringifyJson(manifest)}\n`) });
    const verified = end.verification ? (end.verification.passed ? 'passed' : 'failed') : 'not verified';
    this.kept = { status: end.status, runs: this._scenario.runs, runsDone: end.runsDone, verified, files };
  }

  /** Arrays are made when the first chunk lands (or at close), as the CLI makes its files. */
  private _openArrays(): void {
    if (this._open) return;
    this._open = true;
    for (const spec of outputSpecs(this._scenario)) {
      const file = new NpyRunFile(spec, this._scenario.runs);
      this._arrays.set(spec.name, { file, bytes: new Uint8Array(file.fullBytes) });
    }
  }
}
