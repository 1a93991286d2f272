// Stacked step series cut into buckets: each bucket shows the series at the instant their sum peaks in it.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { stackedStepBuckets, type StepSeries } from '../../src/core/step-buckets.ts';

const one = (series: StepSeries, from: number, to: number, buckets: number) => [...stackedStepBuckets([series], from, to, buckets)[0]];

test('a value holds until the next sample; 0 before the first', () => {
  expect(one({ t: [2, 5, 8], values: [10, 30, 0] }, 0, 10, 10)).toEqual([0, 0, 10, 10, 10, 30, 30, 30, 0, 0]);
});

test('a spike shorter than a bucket still shows in it', () => {
  expect(one({ t: [0, 4.2, 4.3], values: [1, 99, 1] }, 0, 10, 2)).toEqual([99, 1]);
});

test('two jobs peaking at different moments of one bucket stack to the total that happened, not the sum of their peaks', () => {
  const a = { t: [0, 1, 2], values: [100, 0, 0] };
  const b = { t: [0, 1, 2], values: [0, 80, 0] };
  const [ca, cb] = stackedStepBuckets([a, b], 0, 4, 1);
  expect(ca[0] + cb[0]).toBe(100);
  expect([ca[0], cb[0]]).toEqual([100, 0]);
});

test('changes at one time count together, not one by one', () => {
  // At t = 1 a frees 50 as b takes 50: the sum never reaches 100.
  const [ca, cb] = stackedStepBuckets([{ t: [0, 1], values: [50, 0] }, { t: [1], values: [50] }], 0, 2, 1);
  expect(ca[0] + cb[0]).toBe(50);
});

test('no buckets, no series, no samples or an empty window give zeros', () => {
  expect(stackedStepBuckets([{ t: [], values: [] }], 0, 1, 3)).toEqual([new Float64Array(3)]);
  expect(stackedStepBuckets([{ t: [0], values: [5] }], 1, 1, 3)).toEqual([new Float64Array(3)]);
  expect(stackedStepBuckets([{ t: [0], values: [5] }], 0, 1, 0)).toEqual([new Float64Array(0)]);
  expect(stackedStepBuckets([], 0, 1, 3)).toEqual([]);
});

const arbSeries = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 1000 })), { maxLength: 20 })
  .map((pairs) => {
    const sorted = pairs.slice().sort((x, y) => x[0] - y[0]);
    return { t: sorted.map((p) => p[0]), values: sorted.map((p) => p[1]) };
  });

/** Each series' value at time x, by brute force (the last sample at or before x). */
const at = (s: StepSeries, x: number) => {
  let v = 0;
  for (let i = 0; i < s.t.length && s.t[i] <= x; i++) v = s.values[i];
  return v;
};

test('property: each bucket holds the series at an instant in it where their sum is highest, by brute force', () => {
  fc.assert(
    fc.property(fc.array(arbSeries, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 20 }), (series, buckets) => {
      const out = stackedStepBuckets(series, 0, 100, buckets);
      const width = 100 / buckets;
      for (let b = 0; b < buckets; b++) {
        const start = b * width;
        const end = b === buckets - 1 ? 100 : start + width;
        // The instants where anything can change in the bucket: its start and every sample time inside it.
        const instants = [start, ...series.flatMap((s) => s.t.filter((t) => t > start && t < end))];
        const states = instants.map((x) => series.map((s) => at(s, x)));
        const most = Math.max(...states.map((v) => v.reduce((sum, x) => sum + x, 0)));
        const shown = series.map((_, i) => out[i][b]);
        expect(shown.reduce((sum, x) => sum + x, 0)).toBe(most);
        expect(states.some((v) => v.every((x, i) => x === shown[i]))).toBe(true);
      }
    }),
  );
});
