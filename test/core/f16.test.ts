// Half precision on the host: exact round trips, round-to-nearest-even, subnormals, overflow.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { fromHalfBits, roundToHalf, toHalfBits } from '../../src/core/f16.ts';

test.each([
  { value: 0, bits: 0x0000 },
  { value: -0, bits: 0x8000 },
  { value: 1, bits: 0x3c00 },
  { value: -2, bits: 0xc000 },
  { value: 65504, bits: 0x7bff },
  { value: 65520, bits: 0x7c00 },
  { value: Infinity, bits: 0x7c00 },
  { value: 2 ** -14, bits: 0x0400 },
  { value: 2 ** -24, bits: 0x0001 },
  { value: 2 ** -25, bits: 0x0000 },
  { value: 3 * 2 ** -25, bits: 0x0002 },
  { value: 1 + 2 ** -11, bits: 0x3c00 },
  { value: 1 + 3 * 2 ** -11, bits: 0x3c02 },
  { value: 0.1, bits: 0x2e66 },
])('toHalfBits($value) = $bits', ({ value, bits }) => {
  expect(toHalfBits(value)).toBe(bits);
});

test('every finite f16 survives a round trip through its value', () => {
  for (let bits = 0; bits < 0x10000; bits++) {
    if ((bits & 0x7c00) === 0x7c00) continue;
    expect(toHalfBits(fromHalfBits(bits))).toBe(bits);
  }
});

test('rounding picks the nearest f16 (ties to even)', () => {
  fc.assert(
    fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (x) => {
      const r = roundToHalf(x);
      const bits = toHalfBits(x);
      const neighbours = [fromHalfBits(bits - 1), fromHalfBits(bits + 1)].filter(Number.isFinite);
      for (const n of neighbours) {
        const closer = Math.abs(n - x) < Math.abs(r - x);
        const tieLost = Math.abs(n - x) === Math.abs(r - x) && (bits & 1) === 1;
        if (Math.sign(n) === Math.sign(r) || r === 0) expect(closer || tieLost).toBe(false);
      }
    }),
  );
});
