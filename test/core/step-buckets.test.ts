// A step series cut into buckets keeps what each bucket reaches, a short spike included.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { stepBucketMax } from '../../src/core/step-buckets.ts';

test('a value holds until the next sample; 0 before the first', () => {
  const series = { t: [2, 5, 8], values: [10, 30, 0] };
  expect([...stepBucketMax(series, 0, 10, 10)]).toEqual([0, 0, 10, 10, 10, 30, 30, 30, 0, 0]);
});

test('a spike shorter than a bucket still shows in it', () => {
  const series = { t: [0, 4.2, 4.3], values: [1, 99, 1] };
  expect([...stepBucketMax(series, 0, 10, 2)]).toEqual([99, 1]);
});

test('no buckets, no samples or an empty window give zeros', () => {
  expect(stepBucketMax({ t: [], values: [] }, 0, 1, 3)).toEqual(new Float64Array(3));
  expect(stepBucketMax({ t: [0], values: [5] }, 1, 1, 3)).toEqual(new Float64Array(3));
  expect(stepBucketMax({ t: [0], values: [5] }, 0, 1, 0)).toEqual(new Float64Array(0));
});

test('property: each bucket is the most the series reaches within it, by brute force', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 30 }), fc.integer({ min: 1, max: 20 }), (pairs, buckets) => {
      const sorted = pairs.slice().sort((a, b) => a[0] - b[0]);
      const series = { t: sorted.map((p) => p[0]), values: sorted.map((p) => p[1]) };
      const out = stepBucketMax(series, 0, 100, buckets);
      const at = (x: number) => {
        let v = 0;
        for (let i = 0; i < series.t.length && series.t[i] <= x; i++) v = series.values[i];
        return v;
      };
      const width = 100 / buckets;
      for (let b = 0; b < buckets; b++) {
        const start = b * width;
        const end = b === buckets - 1 ? 100 : start + width;
        let most = at(start);
        for (let i = 0; i < series.t.length; i++) if (series.t[i] > start && series.t[i] < end) most = Math.max(most, series.values[i]);
        expect(out[b]).toBe(most);
      }
    }),
  );
});
