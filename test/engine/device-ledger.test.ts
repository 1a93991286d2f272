// The device ledger: live bytes never pass the budget, refusals name who holds the rest, the peak and its setter, exclusive mode.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DeviceLedger } from '../../src/engine/device-ledger.ts';
import { startTypeScriptWorker } from '../../src/engine/ts-worker.ts';

const make = (exclusive = false) => DeviceLedger.create({ budgetBytes: 1000, holders: ['a', 'b', 'parent'], jobNames: ['j0', 'j1'], exclusive });

describe('DeviceLedger', () => {
  test('refuses what would pass the budget, naming each holder and its job', () => {
    const ledger = make();
    ledger.setJob(0, 0);
    ledger.setJob(1, 1);
    expect(ledger.reserve(0, 2, 'x', 600)).toBeNull();
    expect(ledger.reserve(1, 3, 'y', 300)).toBeNull();
    const refusal = ledger.reserve(1, 3, 'z', 200);
    expect(refusal?.source).toBe('ledger');
    expect(refusal?.message).toBe('the device ledger refuses "z" (200 B): 900 B of the device\'s 1000 B are live — lane "a" (job "j0") holds 600 B, lane "b" (job "j1") holds 300 B');
    expect(ledger.liveBytes).toBe(900);
    expect(ledger.peakSetBy).toEqual({ holder: 'b', job: 'j1', label: 'y', bytes: 300 });
    ledger.release(0, 600);
    expect(ledger.reserve(1, 3, 'z', 200)).toBeNull();
    expect([ledger.liveBytes, ledger.peakBytes, ledger.holderBytes(1)]).toEqual([500, 900, 500]);
    expect(ledger.releaseHolder(1)).toBe(500);
    expect(ledger.liveBytes).toBe(0);
  });

  test('exclusive mode: the first worker to allocate holds the device until it ends; others are DEVICE_BUSY', () => {
    const ledger = make(true);
    expect(ledger.reserve(0, 2, 'x', 10)).toBeNull();
    const busy = ledger.reserve(1, 3, 'y', 10);
    expect(busy?.source).toBe('busy');
    expect(busy?.message).toMatch(/^DEVICE_BUSY: .*lane "a" holds it/);
    ledger.release(0, 10);
    expect(ledger.reserve(1, 3, 'y', 10)?.source).toBe('busy');
    ledger.endWorker(2);
    expect(ledger.reserve(1, 3, 'y', 10)).toBeNull();
  });

  test('the parent trap: a parent that claims an exclusive device first blocks every lane', () => {
    const ledger = make(true);
    ledger.claim(2, 1);
    expect(ledger.reserve(0, 2, 'x', 10)?.message).toMatch(/the parent holds it/);
    expect(ledger.reserve(1, 3, 'x', 10)?.source).toBe('busy');
  });

  test('property: over any sequence of reserves and releases, live bytes stay within the budget and equal the holders\' sum', () => {
    const op = fc.record({ holder: fc.integer({ min: 0, max: 2 }), bytes: fc.integer({ min: 0, max: 700 }), release: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const ledger = make();
        const held = [0, 0, 0];
        let peak = 0;
        for (const { holder, bytes, release } of ops) {
          if (release) {
            const b = Math.min(bytes, held[holder]);
            ledger.release(holder, b);
            held[holder] -= b;
          } else if (ledger.reserve(holder, holder + 2, 'x', bytes) === null) {
            held[holder] += bytes;
          }
          const live = held[0] + held[1] + held[2];
          peak = Math.max(peak, live);
          expect(ledger.liveBytes).toBe(live);
          expect(live).toBeLessThanOrEqual(1000);
        }
        expect(ledger.peakBytes).toBe(peak);
      }),
      { numRuns: 500, seed: 15 },
    );
  });

  test('two threads and this one hammering one ledger never pass the budget and leave it empty', async () => {
    const ledger = make();
    const rounds = 20_000;
    const run = (holder: number) => new Promise<{ over: number; granted: number }>((resolve, reject) => {
      const worker = startTypeScriptWorker(new URL('./ledger-hammer-worker.ts', import.meta.url), { shared: ledger.shared, holder, rounds });
      worker.once('message', (result) => void worker.terminate().then(() => resolve(result)));
      worker.once('error', reject);
    });
    const threads = Promise.all([run(0), run(1)]);
    let over = 0;
    for (let i = 0; i < rounds; i++) {
      if (ledger.reserve(2, 9, 'main', 300) === null) {
        if (ledger.liveBytes > 1000) over++;
        ledger.release(2, 300);
      }
    }
    const results = await threads;
    expect(results.map((r) => r.over)).toEqual([0, 0]);
    expect(over).toBe(0);
    expect(ledger.liveBytes).toBe(0);
    expect(ledger.peakBytes).toBeLessThanOrEqual(1000);
  });
});
