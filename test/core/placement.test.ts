// Placement: pinned jobs stay, in-order is round robin, lpt is heaviest first to the least-loaded lane; its bounds against brute force.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { placeJobs, type PlacedJobInput } from '../../src/core/placement.ts';

const jobs = (...weights: number[]): PlacedJobInput[] => weights.map((weight, i) => ({ name: `j${String(i).padStart(2, '0')}`, weight }));

/** The smallest possible busiest-lane load, by trying every assignment. */
function optimumMax(weights: readonly number[], lanes: number): number {
  const loads = Array.from({ length: lanes }, () => 0);
  let best = Infinity;
  const visit = (i: number) => {
    if (i === weights.length) {
      best = Math.min(best, loads.reduce((a, b) => Math.max(a, b), 0));
      return;
    }
    for (let lane = 0; lane < lanes; lane++) {
      loads[lane] += weights[i];
      visit(i + 1);
      loads[lane] -= weights[i];
      if (loads[lane] === 0) break; // empty lanes are interchangeable
    }
  };
  visit(0);
  return best;
}

const maxLoad = (r: ReturnType<typeof placeJobs>) => r.lanes.reduce((m, l) => Math.max(m, l.load), 0);

describe('placeJobs', () => {
  test('in-order gives job i to lane i mod lanes', () => {
    expect(placeJobs(jobs(1, 2, 3, 4, 5), 2, 'in-order').laneOf).toEqual([0, 1, 0, 1, 0]);
  });

  test('lpt: heaviest first to the least-loaded lane, ties by name then to the first lane', () => {
    const result = placeJobs([{ name: 'b', weight: 5 }, { name: 'a', weight: 5 }, { name: 'c', weight: 3 }, { name: 'd', weight: 2 }], 2, 'lpt');
    expect(result.laneOf).toEqual([1, 0, 0, 1]);
    expect(result.lanes.map((l) => l.load)).toEqual([8, 7]);
    expect(result.imbalance).toBeCloseTo(8 / 7.5, 12);
  });

  test('a pinned job stays on its lane and counts in the loads lpt balances', () => {
    const result = placeJobs([{ name: 'big', weight: 10, lane: 1 }, ...jobs(4, 4, 4)], 2, 'lpt');
    expect(result.laneOf).toEqual([1, 0, 0, 0]);
  });

  test('the load table: loads, share of the mean, and imbalance max ÷ mean', () => {
    const result = placeJobs(jobs(6, 2, 1), 3, 'in-order');
    expect(result.lanes.map((l) => [l.jobs, l.load, l.ofMean])).toEqual([[[0], 6, 2], [[1], 2, 2 / 3], [[2], 1, 1 / 3]]);
    expect(result.imbalance).toBe(2);
    expect(placeJobs(jobs(0, 0), 2, 'lpt').imbalance).toBe(1);
  });

  test('lpt is not always better than in-order: 2, 3, 2, 3, 2 on two lanes (in-order lands on the optimum)', () => {
    const weights = [2, 3, 2, 3, 2];
    expect(maxLoad(placeJobs(jobs(...weights), 2, 'in-order'))).toBe(6);
    expect(maxLoad(placeJobs(jobs(...weights), 2, 'lpt'))).toBe(7);
    expect(optimumMax(weights, 2)).toBe(6);
  });

  const instance = fc.record({
    lanes: fc.integer({ min: 1, max: 4 }),
    weights: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }),
  });

  test('property: lpt is within 4/3 − 1/(3·lanes) of the optimum (brute force), hence within 4/3 of in-order', () => {
    fc.assert(
      fc.property(instance, ({ lanes, weights }) => {
        const lpt = placeJobs(jobs(...weights), lanes, 'lpt');
        const inOrder = placeJobs(jobs(...weights), lanes, 'in-order');
        const optimum = optimumMax(weights, lanes);
        expect(maxLoad(lpt) * 3 * lanes).toBeLessThanOrEqual((4 * lanes - 1) * optimum);
        expect(maxLoad(lpt) * 3).toBeLessThanOrEqual(4 * maxLoad(inOrder));
        expect(lpt.imbalance).toBeLessThanOrEqual((4 / 3) * inOrder.imbalance + 1e-12);
        expect(lpt.lanes.reduce((s, l) => s + l.load, 0)).toBe(weights.reduce((a, b) => a + b, 0));
      }),
      { numRuns: 1500, seed: 15 },
    );
  });

  test('property: on jobs listed heaviest first, lpt is never worse than in-order', () => {
    fc.assert(
      fc.property(instance, ({ lanes, weights }) => {
        const sorted = [...weights].sort((a, b) => b - a);
        expect(placeJobs(jobs(...sorted), lanes, 'lpt').imbalance).toBeLessThanOrEqual(placeJobs(jobs(...sorted), lanes, 'in-order').imbalance + 1e-12);
      }),
      { numRuns: 1500, seed: 17 },
    );
  });
});
