/**
 * The NumPy `.npy` format, version 1.0 (numpy.lib.format): a magic string, a header
 * dict padded so the data starts on a 64-byte boundary, then the array's bytes in C
 * order. `chunkscope run --outputs` writes one file per output array in it.
 */
import { dtypeBytes, type Dtype } from './dtypes.ts';
import { runLayout, type RunLayout } from './host-arrays.ts';
import { shapeAt } from './planner.ts';
import type { ArraySpec } from './scenario.ts';

/** The `descr` of each dtype, little-endian (f16 as IEEE half, which chunkscope stores as its bits). */
export const kNpyDescr: Readonly<Record<Dtype, string>> = {
  f16: '<f2',
  f32: '<f4',
  i32: '<i4',
  u32: '<u4',
  f64: '<f8',
};

const kMagic = [0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0];
/** Magic, version and the 2-byte header length. */
const kPreludeBytes = kMagic.length + 2;

/**
 * The header of an array of `dtype` and `shape`, at least `minBytes` long (so a header
 * rewritten later with a smaller shape keeps the data where it was).
 */
export function npyHeader(dtype: Dtype, shape: readonly number[], minBytes = 0): Uint8Array {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${kNpyDescr[dtype]}', 'fortran_order': False, 'shape': ${dims}, }`;
  // Space-padded and newline-ended, to a multiple of 64 bytes in all.
  let total = kPreludeBytes + dict.length + 1;
  total = Math.max(Math.ceil(total / 64) * 64, minBytes);
  const header = new Uint8Array(total);
  header.set(kMagic);
  const textBytes = total - kPreludeBytes;
  header[kMagic.length] = textBytes & 0xff;
  header[kMagic.length + 1] = textBytes >> 8;
  const text = dict.padEnd(textBytes - 1, ' ') + '\n';
  for (let i = 0; i < text.length; i++) header[kPreludeBytes + i] = text.charCodeAt(i);
  return header;
}

/** One move of {@link NpyRunFile.cutMoves}: `bytes` bytes from offset `from` to offset `to`. */
export interface NpyMove {
  from: number;
  to: number;
  bytes: number;
}

/**
 * Where the runs of an output array lie in its `.npy` file, sized for every run of the
 * batch: the arithmetic shared by the CLI's files and the app's kept ones. A chunk lands
 * at its place; when the run ends short, the chunk axis is cut to the runs finished (a
 * leading axis by truncating, an inner one by moving each outer block down first) and
 * the header rewritten over the same bytes.
 */
export class NpyRunFile {
  readonly layout: RunLayout;
  readonly element: number;
  /** The header sized for every run: a shorter one rewritten later keeps the data in place. */
  readonly header: Uint8Array;

  constructor(readonly spec: ArraySpec, readonly runs: number) {
    this.layout = runLayout(spec.shape);
    this.element = dtypeBytes(spec.dtype);
    this.header = npyHeader(spec.dtype, shapeAt(spec.shape, runs));
  }

  /** Bytes of the file holding every run. */
  get fullBytes(): number {
    return this.bytesFor(this.runs);
  }

  /** Where outer block `o` of the runs from `start` on lies, in bytes from the file's start. */
  blockAt(o: number, start: number): number {
    return this.header.length + (o * this.runs + start) * this.layout.inner * this.element;
  }

  /** The array's shape when `done` runs finished (a fixed array keeps its own). */
  shapeFor(done: number): number[] {
    return shapeAt(this.spec.shape, this.layout.chunked ? done : this.runs);
  }

  /** The header once `done` runs finished, as long as the first. */
  headerFor(done: number): Uint8Array {
    return npyHeader(this.spec.dtype, this.shapeFor(done), this.header.length);
  }

  /** Bytes of the file once `done` runs finished. */
  bytesFor(done: number): number {
    const { chunked, outer, inner } = this.layout;
    return this.header.length + outer * (chunked ? done : 1) * inner * this.element;
  }

  /**
   * The moves that cut the chunk axis from every run to `done`, in order: each block moves
   * towards the start, so moving in order never overwrites one not yet moved.
   */
  cutMoves(done: number): NpyMove[] {
    if (!this.layout.chunked || done >= this.runs) return [];
    const bytes = done * this.layout.inner * this.element;
    const moves: NpyMove[] = [];
    for (let o = 1; o < this.layout.outer; o++) moves.push({ from: this.blockAt(o, 0), to: this.header.length + o * bytes, bytes });
    return moves;
  }
}
