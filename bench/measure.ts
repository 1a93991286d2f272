/**
 * Timing for benchmarks: a warm-up, then at least five timed repetitions, reported as
 * median with min and max — never a single sample.
 */

/** Summary of repeated timings, in milliseconds. */
export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  samples: number[];
}

/** How to repeat a measurement. */
export interface MeasureOptions {
  warmups?: number;
  repetitions?: number;
}

/** Times `fn` after `warmups` untimed calls, `repetitions` times. */
export async function measure(fn: () => unknown | Promise<unknown>, options: MeasureOptions = {}): Promise<Timing> {
  const { warmups = 1, repetitions = 5 } = options;
  for (let i = 0; i < warmups; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

/** Median, min and max of samples already taken. */
export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { medianMs, minMs: sorted[0], maxMs: sorted[sorted.length - 1], samples };
}

/**
 * A 95% confidence interval of the median of `samples`, free of any assumption about
 * their distribution: the order statistics at ranks n/2 − 0.98√n and 1 + n/2 + 0.98√n
 * (the normal approximation to the binomial), the whole range for a handful of samples.
 */
export function medianInterval(samples: readonly number[]): [number, number] {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const half = 0.98 * Math.sqrt(n);
  const lo = Math.max(0, Math.round(n / 2 - half) - 1);
  const hi = Math.min(n - 1, Math.round(n / 2 + 1 + half) - 1);
  return [sorted[lo], sorted[hi]];
}

/** `12.3 ms (11.9–13.0)`: the median with its range. */
export function formatTiming(timing: Timing): string {
  const f = (ms: number) => (ms < 0.1 ? ms.toFixed(4) : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
  return `${f(timing.medianMs)} ms (${f(timing.minMs)}–${f(timing.maxMs)})`;
}
