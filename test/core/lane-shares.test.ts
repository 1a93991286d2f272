// Lane caps from shares: exact integers, manual shares read as written, auto lanes equal within a byte and at least 5 %.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decimalFraction, laneCaps } from '../../src/core/lane-shares.ts';
import type { LaneSpec } from '../../src/core/workload.ts';

const lanes = (...shares: (number | 'auto')[]): LaneSpec[] => shares.map((share, i) => ({ name: `l${i}`, share }));

describe('laneCaps', () => {
  test.each([
    { budget: 1000, shares: [0.3, 'auto'], caps: [300, 700] },
    { budget: 33_554_432, shares: [0.5, 'auto'], caps: [16_777_216, 16_777_216] },
    { budget: 1000, shares: ['auto', 'auto', 'auto'], caps: [334, 333, 333] },
    { budget: 10, shares: [0.15, 0.15], caps: [1, 1] },
    { budget: 1001, shares: [1], caps: [1001] },
  ] as const)('$budget B split $shares → $caps', ({ budget, shares, caps }) => {
    const result = laneCaps(budget, lanes(...shares));
    expect(result.ok && result.caps.map((c) => c.capBytes)).toEqual(caps);
  });

  test('manual shares over 1 are SHARES_EXCEED_DEVICE with the sum', () => {
    const result = laneCaps(1000, lanes(0.7, 0.4));
    expect(result).toEqual({ ok: false, error: { code: 'SHARES_EXCEED_DEVICE', path: 'lanes', message: expect.stringContaining('1.1 of the device') } });
  });

  test('0.7 + 0.2 + 0.1 is exactly 1, whatever the floats say', () => {
    expect(0.7 + 0.2 + 0.1).not.toBe(1);
    const result = laneCaps(1000, lanes(0.7, 0.2, 0.1));
    expect(result.ok && result.caps.map((c) => c.capBytes)).toEqual([700, 200, 100]);
  });

  test('auto lanes squeezed under 5 % are AUTO_SHARE_TOO_SMALL', () => {
    const result = laneCaps(1000, lanes(0.92, 'auto', 'auto'));
    expect(!result.ok && result.error.code).toBe('AUTO_SHARE_TOO_SMALL');
    // 50 B each is exactly 5 %: allowed.
    expect(laneCaps(1000, lanes(0.9, 'auto', 'auto')).ok).toBe(true);
  });

  test('decimalFraction reads the written decimal', () => {
    expect(decimalFraction(0.3)).toEqual({ num: 3n, den: 10n });
    expect(decimalFraction(1e-7)).toEqual({ num: 1n, den: 10_000_000n });
    expect(decimalFraction(1)).toEqual({ num: 1n, den: 1n });
  });

  const share = fc.oneof(fc.constant('auto' as const), fc.double({ min: 0.001, max: 1, noNaN: true }), fc.integer({ min: 1, max: 100 }).map((p) => p / 100));
  const budget = fc.oneof(fc.integer({ min: 1, max: 2 ** 31 }), fc.constantFrom(2 ** 52, 2 ** 52 - 1, 33_554_432));

  test('property: caps are whole bytes summing to at most the budget; auto caps are equal within one byte and at least 5 %', () => {
    fc.assert(
      fc.property(budget, fc.array(share, { minLength: 1, maxLength: 12 }), (budgetBytes, shares) => {
        const result = laneCaps(budgetBytes, lanes(...shares));
        if (!result.ok) return;
        const caps = result.caps.map((c) => BigInt(c.capBytes));
        for (const cap of result.caps) expect(Number.isSafeInteger(cap.capBytes) && cap.capBytes >= 0).toBe(true);
        expect(caps.reduce((a, b) => a + b, 0n) <= BigInt(budgetBytes)).toBe(true);
        const autos = result.caps.filter((c) => c.share === 'auto').map((c) => c.capBytes);
        if (autos.length) {
          const min = autos.reduce((a, b) => Math.min(a, b));
          const max = autos.reduce((a, b) => Math.max(a, b));
          expect(max - min).toBeLessThanOrEqual(1);
          expect(BigInt(min) * 20n >= BigInt(budgetBytes)).toBe(true);
        }
      }),
      { numRuns: 3000, seed: 15 },
    );
  });

  test('property: refused shares are refused for the reason the arithmetic gives', () => {
    fc.assert(
      fc.property(budget, fc.array(share, { minLength: 1, maxLength: 12 }), (budgetBytes, shares) => {
        const result = laneCaps(budgetBytes, lanes(...shares));
        const manual = shares.filter((s): s is number => s !== 'auto').map(decimalFraction);
        const den = manual.reduce((d, f) => d * f.den, 1n);
        const num = manual.reduce((n, f) => n + (f.num * den) / f.den, 0n);
        if (num > den) expect(!result.ok && result.error.code).toBe('SHARES_EXCEED_DEVICE');
        else if (!result.ok) expect(result.error.code).toBe('AUTO_SHARE_TOO_SMALL');
      }),
      { numRuns: 2000, seed: 16 },
    );
  });
});
