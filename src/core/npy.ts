/**
 * The NumPy `.npy` format, version 1.0 (numpy.lib.format): a magic string, a header
 * dict padded so the data starts on a 64-byte boundary, then the array's bytes in C
 * order. `chunkscope run --outputs` writes one file per output array in it.
 */
import type { Dtype } from './dtypes.ts';

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
