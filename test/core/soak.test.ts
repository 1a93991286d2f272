// Soak arithmetic: the slope is exact for a steady leak, noise is not a leak, the verdict follows the limits.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { kSoakDefaults, leastSquaresSlope, soakVerdict, type SoakSample } from '../../src/core/soak.ts';

const samples = (device: (c: number) => number, host: (c: number) => number = () => 50e6, msPerCycle = 1000): SoakSample[] =>
  Array.from({ length: 50 }, (_, i) => ({ cycle: i + 1, liveDeviceBytes: device(i + 1), liveBuffers: 0, hostBytes: host(i + 1), ms: (i + 1) * msPerCycle }));

describe('least-squares slope', () => {
  test('is exactly B for a leak of B bytes a cycle, whatever the baseline', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 30 }), fc.integer({ min: 2, max: 1000 }), (base, leak, n) => {
        const xs = Array.from({ length: n }, (_, i) => i + 1);
        expect(leastSquaresSlope(xs, xs.map((x) => base + leak * x))).toBe(leak);
      }),
      { seed: 3 },
    );
  });

  test('is 0 for flat samples and for fewer than two', () => {
    expect(leastSquaresSlope([1, 2, 3], [7, 7, 7])).toBe(0);
    expect(leastSquaresSlope([1], [7])).toBe(0);
  });

  test('fits noisy non-integer samples', () => {
    expect(leastSquaresSlope([0, 0.5, 1, 1.5], [1, 2.1, 2.9, 4])).toBeCloseTo(1.96, 10);
  });
});

describe('verdict', () => {
  test('a clean soak is steady with a device slope of exactly 0', () => {
    const { verdict, growth } = soakVerdict(samples(() => 0), false);
    expect(verdict).toBe('steady');
    expect(growth.deviceBytesPerCycle).toBe(0);
  });

  test('a leak of one 4 KiB buffer a cycle is leaking at exactly 4096 B a cycle', () => {
    const { verdict, growth, why } = soakVerdict(samples((c) => 4096 * c), false);
    expect(verdict).toBe('leaking');
    expect(growth.deviceBytesPerCycle).toBe(4096);
    expect(why).toContain('4096 B a cycle');
  });

  test('growth within --max-growth is steady', () => {
    expect(soakVerdict(samples((c) => 4096 * c), false, { ...kSoakDefaults, maxGrowthBytesPerCycle: 4096 }).verdict).toBe('steady');
  });

  test('host noise inside the ±10 % band is not a leak, even at megabytes a second', () => {
    // 1.5 MB a cycle of a second and 2 MB of collector noise: 1.5 MB/s, but 37 MB on a 400 MB base.
    const noisy = samples(() => 0, (c) => 400e6 + (c % 2 ? 2e6 : 0) + c * 1_500_000);
    expect(soakVerdict(noisy, false).growth.hostBytesPerSecond).toBeGreaterThan(1e6);
    expect(soakVerdict(noisy, false).verdict).toBe('steady');
  });

  test('host growth past 1 MB/s that leaves the band is a leak', () => {
    // 2 MB a cycle of a second: 2 MB/s, 48 MB over the warm half on a 125 MB mean.
    const { verdict, why } = soakVerdict(samples(() => 0, (c) => 50e6 + 2e6 * c), false);
    expect(verdict).toBe('leaking');
    expect(why).toMatch(/host memory grows 2000000 B\/s/);
  });

  test('host growth is not judged over a soak warm for less than 10 s', () => {
    const { verdict, why } = soakVerdict(samples(() => 0, (c) => 50e6 + 2e6 * c, 100), false);
    expect(verdict).toBe('steady');
    expect(why).toMatch(/judged over at least 10 s once warm, and this soak was warm for 2\.4 s/);
  });

  test('an emergency stop is "stopped" whatever the growth', () => {
    expect(soakVerdict(samples((c) => 4096 * c), true).verdict).toBe('stopped');
  });
});

test('host growth while the process warms up (the first half of the soak) is not a leak', () => {
  // 12 MB over the first 25 cycles of a second, flat after: start-up.
  const warming = samples(() => 0, (c) => 100e6 + Math.min(c, 25) * 480_000);
  expect(soakVerdict(warming, false)).toMatchObject({ verdict: 'steady', growth: { hostBytesPerSecond: 0 } });
});
