/**
 * A step series (a value that holds from each sample's time to the next) cut into equal
 * time buckets, keeping the most each bucket reaches, so a short-lived allocation still
 * shows in its pixel column. The workload timeline stacks one such series per job.
 */

/** Samples of a step series: `values[i]` holds from `t[i]` until `t[i + 1]`; 0 before `t[0]`. Times ascend. */
export interface StepSeries {
  t: readonly number[];
  values: readonly number[];
}

/** The most `series` reaches in each of `buckets` equal buckets over [from, to). Pure. */
export function stepBucketMax(series: StepSeries, from: number, to: number, buckets: number): Float64Array {
  const out = new Float64Array(Math.max(0, Math.floor(buckets)));
  const n = Math.min(series.t.length, series.values.length);
  if (out.length === 0 || n === 0 || !(to > from)) return out;
  const width = (to - from) / out.length;
  // k: the last sample at or before the bucket's start, or -1 before the first.
  let k = -1;
  for (let b = 0; b < out.length; b++) {
    const start = from + b * width;
    const end = b === out.length - 1 ? to : start + width;
    while (k + 1 < n && series.t[k + 1] <= start) k++;
    let most = k >= 0 ? series.values[k] : 0;
    for (let j = k + 1; j < n && series.t[j] < end; j++) most = Math.max(most, series.values[j]);
    out[b] = most;
  }
  return out;
}
