// The worker's run updates: the page hears of 100 000 events, the last count exact, in at most one message per interval, and never receives the events themselves.
import { describe, expect, test } from 'vitest';
import type { RunProgress } from '../../src/engine/index.ts';
import { RunUpdateBatcher, type RunUpdate, type UpdateClock } from '../../src/worker/run-updates.ts';

/** A clock the test moves by hand; timers fire when it passes them. */
class ManualClock implements UpdateClock {
  time = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const handle = this.#next++;
    this.#timers.set(handle, { at: this.time + ms, callback });
    return handle;
  };
  clearTimeout = (handle: unknown) => {
    this.#timers.delete(handle as number);
  };
  advance(ms: number): void {
    this.time += ms;
    for (const [handle, timer] of [...this.#timers]) {
      if (timer.at <= this.time) {
        this.#timers.delete(handle);
        timer.callback();
      }
    }
  }
}

const progressAt = (runsDone: number): RunProgress => ({ runsDone, runs: 100_000, attempt: 1, backend: 'webgpu', chunk: runsDone - 1, chunkLength: 1 });

describe('RunUpdateBatcher', () => {
  test('100 000 events over 5 s: the counts grow, the last is exact, at most one message per 100 ms, no event crosses', () => {
    const clock = new ManualClock();
    const sent: { at: number; update: RunUpdate }[] = [];
    const batcher = new RunUpdateBatcher(7, (update) => void sent.push({ at: clock.time, update }), 100, clock);
    for (let i = 0; i < 100_000; i++) {
      if (i % 20 === 0) clock.advance(1);
      batcher.event();
      batcher.progress(progressAt(i + 1));
    }
    batcher.flush();
    const counts = sent.map((s) => s.update.eventCount);
    expect(counts.at(-1)).toBe(100_000);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]);
    expect(sent.every((s) => s.update.traceId === 7 && Object.keys(s.update).every((k) => ['progress', 'traceId', 'eventCount'].includes(k)))).toBe(true);
    for (let i = 1; i < sent.length - 1; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(100);
    expect(sent.length).toBeLessThanOrEqual(5000 / 100 + 2);
    // The last message carries the last progress, so the bar ends where the run did.
    expect(sent.at(-1)!.update.progress).toEqual(progressAt(100_000));
  });

  test('an event held between messages goes out when its interval ends, without another event to push it', () => {
    const clock = new ManualClock();
    const sent: RunUpdate[] = [];
    const batcher = new RunUpdateBatcher(7, (update) => void sent.push(update), 100, clock);
    batcher.event();
    expect(sent.length).toBe(1);
    clock.advance(10);
    batcher.event();
    expect(sent.length).toBe(1);
    clock.advance(89);
    expect(sent.length).toBe(1);
    clock.advance(1);
    expect(sent.map((u) => u.eventCount)).toEqual([1, 2]);
    expect(sent[1].progress).toBeUndefined();
  });

  test('a page that went away does not fail the run', () => {
    const clock = new ManualClock();
    const batcher = new RunUpdateBatcher(7, () => {
      throw new Error('proxy released');
    }, 100, clock);
    expect(() => {
      batcher.event();
      batcher.flush();
    }).not.toThrow();
  });

  test('nothing held, nothing sent', () => {
    const sent: RunUpdate[] = [];
    new RunUpdateBatcher(7, (update) => void sent.push(update), 100, new ManualClock()).flush();
    expect(sent).toEqual([]);
  });
});
