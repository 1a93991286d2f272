/**
 * IEEE 754 half precision on the host, bit for bit: what WGSL's `pack2x16float` stores
 * and `unpack2x16float` reads, for f16 arrays and the `f16` fallback.
 */
const kF32 = new Float32Array(1);
const kU32 = new Uint32Array(kF32.buffer);

/** The f16 bits nearest to `value` (round to nearest, ties to even; overflow to ±Infinity). */
export function toHalfBits(value: number): number {
  kF32[0] = value;
  const x = kU32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half (or zero): shift the full significand right, rounding to even.
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    const rounded = rest > midpoint || (rest === midpoint && (half & 1)) ? half + 1 : half;
    return sign | rounded;
  }
  const half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches Infinity at the top).
  const rounded = rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? half + 1 : half;
  return sign | rounded;
}

/** The value of the f16 bits `bits`, exactly. */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** `value` rounded to the nearest f16, as a number. */
export function roundToHalf(value: number): number {
  return fromHalfBits(toHalfBits(value));
}
