import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { medianInterval, summarize } from '../../bench/measure.ts';

describe('medianInterval', () => {
  it('takes the order statistics at ranks n/2 − 0.98√n and 1 + n/2 + 0.98√n', () => {
    // n = 61: ranks 23 and 39 (1-based), the narrowest symmetric pair whose exact binomial coverage is at least 95% (96.0%).
    const samples = Array.from({ length: 61 }, (_, i) => 61 - i);
    expect(medianInterval(samples)).toEqual([23, 39]);
  });

  it('is the whole range for a handful of samples', () => {
    expect(medianInterval([3, 1, 2])).toEqual([1, 3]);
    expect(medianInterval([5])).toEqual([5, 5]);
  });

  it('holds the median and lies within the samples', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 500 }), (samples) => {
        const [lo, hi] = medianInterval(samples);
        const { medianMs, minMs, maxMs } = summarize(samples);
        expect(lo).toBeLessThanOrEqual(medianMs);
        expect(hi).toBeGreaterThanOrEqual(medianMs);
        expect(lo).toBeGreaterThanOrEqual(minMs);
        expect(hi).toBeLessThanOrEqual(maxMs);
      }),
    );
  });
});
