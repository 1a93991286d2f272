/**
 * Step series (a value that holds from each sample's time to the next) stacked and cut
 * into equal time buckets (the workload timeline's jobs, one pixel column a bucket).
 * Each bucket keeps the series at one instant, the one where their sum peaks: a short
 * spike still shows in its column, and no stack is higher than a total that happened,
 * as stacking each series' own most would draw when two jobs peak at different moments.
 */

/** Samples of a step series: `values[i]` holds from `t[i]` until `t[i + 1]`; 0 before `t[0]`. Times ascend. */
export interface StepSeries {
  t: readonly number[];
  values: readonly number[];
}

/**
 * Each series' value, per bucket, at the instant in that bucket where the series' sum is
 * highest (the earliest such instant), so the stack in every bucket is a total the series
 * really reached together and its height is the most they reached in it. Pure.
 */
export function stackedStepBuckets(series: readonly StepSeries[], from: number, to: number, buckets: number): Float64Array[] {
  const count = Math.max(0, Math.floor(buckets));
  const out = series.map(() => new Float64Array(count));
  if (count === 0 || series.length === 0 || !(to > from)) return out;
  // Every sample of every series, in time order, to sweep once.
  const changes: { t: number; series: number; value: number }[] = [];
  series.forEach((s, i) => {
    const n = Math.min(s.t.length, s.values.length);
    for (let j = 0; j < n; j++) changes.push({ t: s.t[j], series: i, value: s.values[j] });
  });
  changes.sort((a, b) => a.t - b.t);
  const now = new Float64Array(series.length);
  let total = 0;
  let next = 0;
  // Applies every change at time t or before it (several at one time count together).
  const applyThrough = (t: number) => {
    while (next < changes.length && changes[next].t <= t) {
      const c = changes[next++];
      total += c.value - now[c.series];
      now[c.series] = c.value;
    }
  };
  const width = (to - from) / count;
  for (let b = 0; b < count; b++) {
    const start = from + b * width;
    const end = b === count - 1 ? to : start + width;
    applyThrough(start);
    let best = total;
    const take = () => {
      for (let i = 0; i < series.length; i++) out[i][b] = now[i];
    };
    take();
    while (next < changes.length && changes[next].t < end) {
      applyThrough(changes[next].t);
      if (total > best) {
        best = total;
        take();
      }
    }
  }
  return out;
}
