/**
 * A soak: one scenario run again and again on one device, sampled after every cycle
 * (DESIGN.md, "Soaks and leaks"). This module holds the arithmetic: the growth per
 * cycle as a least-squares slope, exact for a steady leak; host growth per second; the
 * spread; and the verdict. Pure: the engine takes the samples.
 */

/** What is sampled after each cycle. */
export interface SoakSample {
  /** 1-based. */
  cycle: number;
  /** Device-local bytes still live (the ledger) once the cycle ended. */
  liveDeviceBytes: number;
  /** Real buffers still live. */
  liveBuffers: number;
  /** Host memory in use: RSS in Node, the JS heap in a browser. */
  hostBytes: number;
  /** Milliseconds since the soak began, when the sample was taken. */
  ms: number;
}

/** How a soak judges growth. */
export interface SoakLimits {
  /** Device growth per cycle above this is a leak (default 0: any steady growth). */
  maxGrowthBytesPerCycle: number;
  /** Host growth per second above this is a leak, when it leaves the stability band. */
  maxHostBytesPerSecond: number;
  /** The host stability band: fitted growth within this fraction of the mean is noise. */
  hostBand: number;
  /** Host growth is judged only over at least this many warm seconds (the suite soaked for 60). */
  minHostSeconds: number;
}

/** The OOM-prevention suite's thresholds: under 1 MB/s, stable within ±10 %. */
export const kSoakDefaults: SoakLimits = { maxGrowthBytesPerCycle: 0, maxHostBytesPerSecond: 1_000_000, hostBand: 0.1, minHostSeconds: 10 };

/** Growth over a soak. */
export interface SoakGrowth {
  /** Least-squares slope of live device bytes over cycles: exactly B for a leak of B bytes a cycle. */
  deviceBytesPerCycle: number;
  /** Least-squares slope of host bytes over seconds, once warm: over the later half of the samples. */
  hostBytesPerSecond: number;
  /** Largest distance of a warm host sample from their mean, as a fraction of it. */
  spread: number;
}

/** steady, leaking, or stopped by the emergency stop. */
export type SoakVerdict = 'steady' | 'leaking' | 'stopped';

/**
 * The least-squares slope of `ys` over `xs`. Integer samples are summed as bigints, so a
 * steady leak of B bytes a cycle gives B exactly, not B ± an ulp; 0 for fewer than two points.
 */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  const integers = xs.every(Number.isSafeInteger) && ys.every(Number.isSafeInteger);
  if (integers) {
    let [sx, sy, sxy, sxx] = [0n, 0n, 0n, 0n];
    for (let i = 0; i < n; i++) {
      const [x, y] = [BigInt(xs[i]), BigInt(ys[i])];
      sx += x;
      sy += y;
      sxy += x * y;
      sxx += x * x;
    }
    const num = BigInt(n) * sxy - sx * sy;
    const den = BigInt(n) * sxx - sx * sx;
    if (den === 0n) return 0;
    return num % den === 0n ? Number(num / den) : Number(num) / Number(den);
  }
  let [mx, my] = [0, 0];
  for (let i = 0; i < n; i++) [mx, my] = [mx + xs[i] / n, my + ys[i] / n];
  let [num, den] = [0, 0];
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * The samples once warm: the later half. The first cycles of a process grow its host
 * memory as code is compiled and pools fill (about 12 MB over 20 cycles of a small
 * scenario here, flat after); that is start-up, not a leak.
 */
export function warmSamples<T>(samples: readonly T[]): readonly T[] {
  return samples.length < 4 ? samples : samples.slice(Math.floor(samples.length / 2));
}

/** The growth of a soak's samples. */
export function soakGrowth(samples: readonly SoakSample[]): SoakGrowth {
  const warm = warmSamples(samples);
  const host = warm.map((s) => s.hostBytes);
  const mean = meanOf(host);
  const spread = mean > 0 ? host.reduce((m, h) => Math.max(m, Math.abs(h - mean)), 0) / mean : 0;
  return {
    deviceBytesPerCycle: leastSquaresSlope(samples.map((s) => s.cycle), samples.map((s) => s.liveDeviceBytes)),
    hostBytesPerSecond: leastSquaresSlope(warm.map((s) => s.ms / 1000), host),
    spread,
  };
}

function meanOf(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v / values.length, 0);
}

/**
 * The verdict on a soak. Device memory leaks when it grows faster than allowed. Host
 * memory leaks only when it grows faster than allowed AND its fitted growth over the soak
 * leaves the stability band, both once warm: a short soak's garbage collections would
 * otherwise look like megabytes a second.
 */
export function soakVerdict(samples: readonly SoakSample[], stopped: boolean, limits: SoakLimits = kSoakDefaults): { verdict: SoakVerdict; growth: SoakGrowth; why: string } {
  const growth = soakGrowth(samples);
  if (stopped) return { verdict: 'stopped', growth, why: 'the emergency stop ended the soak' };
  if (growth.deviceBytesPerCycle > limits.maxGrowthBytesPerCycle) {
    return { verdict: 'leaking', growth, why: `live device bytes grow ${growth.deviceBytesPerCycle} B a cycle (allowed: ${limits.maxGrowthBytesPerCycle} B)` };
  }
  const warm = warmSamples(samples);
  const seconds = warm.length ? (warm.at(-1)!.ms - warm[0].ms) / 1000 : 0;
  const mean = meanOf(warm.map((s) => s.hostBytes));
  const fitted = growth.hostBytesPerSecond * seconds;
  if (seconds < limits.minHostSeconds) {
    return { verdict: 'steady', growth, why: `no device growth; host growth is judged over at least ${limits.minHostSeconds} s once warm, and this soak was warm for ${seconds.toFixed(1)} s` };
  }
  if (growth.hostBytesPerSecond > limits.maxHostBytesPerSecond && fitted > limits.hostBand * mean) {
    return { verdict: 'leaking', growth, why: `host memory grows ${Math.round(growth.hostBytesPerSecond)} B/s, ${Math.round(fitted)} B over the soak` };
  }
  return { verdict: 'steady', growth, why: 'no growth past the limits' };
}
