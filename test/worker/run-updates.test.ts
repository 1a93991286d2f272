// The worker's run updates: 100 000 events reach the page in order, none dropped, in at most one message per interval.
import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../../src/core/trace.ts';
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
const eventAt = (t: number, index: number): TraceEvent => ({ t, kind: 'chunk-end', index, start: index, end: index + 1 });

describe('RunUpdateBatcher', () => {
  test('100 000 events over 5 s reach the page in order, none dropped, at most one message per 100 ms', () => {
    const clock = new ManualClock();
    const sent: { at: number; update: RunUpdate }[] = [];
    const batcher = new RunUpdateBatcher((update) => void sent.push({ at: clock.time, update }), 100, clock);
    for (let i = 0; i < 100_000; i++) {
      if (i % 20 === 0) clock.advance(1);
      batcher.event(eventAt(clock.time, i));
      batcher.progress(progressAt(i + 1));
    }
    batcher.flush();
    const events = sent.flatMap((s) => s.update.events);
    expect(events.length).toBe(100_000);
    expect(events.every((e, i) => e.kind === 'chunk-end' && e.index === i)).toBe(true);
    for (let i = 1; i < sent.length - 1; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(100);
    expect(sent.length).toBeLessThanOrEqual(5000 / 100 + 2);
    // The last message carries the last progress, so the bar ends where the run did.
    expect(sent.at(-1)!.update.progress).toEqual(progressAt(100_000));
  });

  test('an event held between messages goes out when its interval ends, without another event to push it', () => {
    const clock = new ManualClock();
    const sent: RunUpdate[] = [];
    const batcher = new RunUpdateBatcher((update) => void sent.push(update), 100, clock);
    batcher.event(eventAt(0, 0));
    expect(sent.length).toBe(1);
    clock.advance(10);
    batcher.event(eventAt(10, 1));
    expect(sent.length).toBe(1);
    clock.advance(89);
    expect(sent.length).toBe(1);
    clock.advance(1);
    expect(sent.map((u) => u.events.length)).toEqual([1, 1]);
    expect(sent[1].progress).toBeUndefined();
  });

  test('a page that went away does not fail the run', () => {
    const clock = new ManualClock();
    const batcher = new RunUpdateBatcher(() => {
      throw new Error('proxy released');
    }, 100, clock);
    expect(() => {
      batcher.event(eventAt(0, 0));
      batcher.flush();
    }).not.toThrow();
  });

  test('nothing held, nothing sent', () => {
    const sent: RunUpdate[] = [];
    new RunUpdateBatcher((update) => void sent.push(update), 100, new ManualClock()).flush();
    expect(sent).toEqual([]);
  });
});
