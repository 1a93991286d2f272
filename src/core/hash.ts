/**
 * The 32-bit integer hash shared by the host and WGSL (shaders/touch.wgsl has the same
 * functions): inputs are generated from it, and the `touch` kernel's outputs are, so the
 * GPU and the CPU twin agree bit for bit.
 */

/** lowbias32 (Chris Wellons): a fast, well-mixed u32 → u32 hash. */
export function hash32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Folds `value` into the running digest `digest`; order matters. */
export function mix32(digest: number, value: number): number {
  return hash32(((digest ^ value) + 0x9e3779b9) >>> 0);
}

const kF32 = new Float32Array(1);
const kU32 = new Uint32Array(kF32.buffer);

/** The bits of `value` as an f32 (WGSL's `bitcast<u32>(f32)`). */
export function f32Bits(value: number): number {
  kF32[0] = value;
  return kU32[0];
}
