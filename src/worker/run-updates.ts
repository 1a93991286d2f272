/**
 * What the page hears of a run in flight, batched: a run can record 100 000 events in a
 * few seconds, and one message each would flood the main thread. The events themselves
 * stay in the worker's trace store (the page asks it for the window it draws); a message
 * says which trace grew and to how many events, with the latest progress, at most once
 * per interval, and the last one goes out when the run ends.
 */
import type { RunProgress } from '../engine/index.ts';

/** One message to the page: the latest progress, if any came, and how far the run's trace has grown. */
export interface RunUpdate {
  progress?: RunProgress;
  /** The run's trace in the worker's store. */
  traceId: number;
  /** Events recorded so far. */
  eventCount: number;
}

/** How the batcher tells time; injectable so tests need no real clock. */
export interface UpdateClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const kRealClock: UpdateClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Batches progress and the trace's growth for `send`; see the module comment. */
export class RunUpdateBatcher {
  #progress: RunProgress | undefined;
  #events = 0;
  #sentEvents = 0;
  #lastSent = -Infinity;
  #timer: unknown;

  constructor(
    private readonly _traceId: number,
    private readonly _send: ((update: RunUpdate) => void) | undefined,
    private readonly _intervalMs: number,
    private readonly _clock: UpdateClock = kRealClock,
  ) {}

  /** Holds the latest progress (an earlier one not yet sent is superseded). */
  progress = (progress: RunProgress): void => {
    if (!this._send) return;
    this.#progress = progress;
    this.#schedule();
  };

  /** Counts an event recorded (and stored) for the next message. */
  event = (): void => {
    if (!this._send) return;
    this.#events++;
    this.#schedule();
  };

  /** Sends whatever is held now: at the end of a run, so the page has every event. */
  flush = (): void => {
    if (this.#timer !== undefined) this._clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this._send || (!this.#progress && this.#events === this.#sentEvents)) return;
    this.#lastSent = this._clock.now();
    const update: RunUpdate = { ...(this.#progress && { progress: this.#progress }), traceId: this._traceId, eventCount: this.#events };
    this.#progress = undefined;
    this.#sentEvents = this.#events;
    // A message that fails (the page went away) must not fail the run.
    try {
      Promise.resolve(this._send(update)).catch(() => {});
    } catch {
      // a released comlink proxy throws synchronously
    }
  };

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const wait = this.#lastSent + this._intervalMs - this._clock.now();
    if (wait <= 0) this.flush();
    else this.#timer = this._clock.setTimeout(this.flush, wait);
  }
}
