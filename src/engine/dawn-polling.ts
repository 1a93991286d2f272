/**
 * Paced polling for the `webgpu` package on a CPU device (Node only).
 *
 * Dawn's Node binding learns that queued work has finished by polling: while any of its
 * promises is pending it calls `ProcessEvents` from a `setImmediate` callback that
 * schedules itself again (AsyncRunner in Dawn's src/dawn/node/binding; crbug.com/dawn/1127),
 * so the main thread spins through every wait. On SwiftShader the device's threads run
 * on the same cores, and lose a share of them to the spin (`npm run bench`, "Polling in
 * Node"). Paced, a wait spins for its first {@link kSpinMs}, so a short round trip is
 * seen at once, and then each poll first sleeps {@link kSleepMs}: `Atomics.wait`, the
 * one sleep under a millisecond that Node has.
 */
import { promisify } from 'node:util';

/** How long a chain of polls spins before each poll sleeps first. */
export const kSpinMs = 1;
/** The sleep before each poll once a chain has spun for {@link kSpinMs}. */
export const kSleepMs = 0.1;

type Immediate = typeof setImmediate;

/** What the pacer needs from its host; tests give their own clock and sleep. */
export interface PacerHost {
  now(): number;
  sleep(ms: number): void;
  /** Whether `callback` is the binding's poll rather than some script's. */
  isPoll(callback: (...args: never[]) => unknown): boolean;
}

/** What a pacer has done, for the tests and the bench. */
export interface PacerCounts {
  /** Polls that ran at once. */
  spun: number;
  /** Polls that slept first. */
  slept: number;
}

/**
 * A `setImmediate` that passes every callback but the binding's polls to `original`, and
 * paces a chain of polls once it has spun for `spinMs`. A chain ends when a poll does not
 * schedule the next: nothing of the binding's is pending any more.
 */
export function pacedImmediate(original: Immediate, host: PacerHost, counts: PacerCounts, spinMs = kSpinMs, sleepMs = kSleepMs): Immediate {
  let chainSince: number | undefined;
  let rescheduled = false;
  const paced = (callback: (...args: unknown[]) => void, ...args: unknown[]) => {
    if (!host.isPoll(callback)) return original(callback, ...args);
    const now = host.now();
    chainSince ??= now;
    rescheduled = true;
    const sleepFirst = now - chainSince >= spinMs;
    return original(() => {
      if (sleepFirst) {
        counts.slept++;
        host.sleep(sleepMs);
      } else {
        counts.spun++;
      }
      rescheduled = false;
      try {
        callback(...args);
      } finally {
        if (!rescheduled) chainSince = undefined;
      }
    });
  };
  // util.promisify(setImmediate) looks for the original's own promise form.
  return Object.assign(paced, { [promisify.custom]: (original as unknown as Record<symbol, unknown>)[promisify.custom] }) as unknown as Immediate;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const nodeHost: PacerHost = {
  now: () => performance.now(),
  sleep: (ms) => void Atomics.wait(sleepCell, 0, 0, ms),
  // The binding's poll is a function made in C++: a script's callback has its source.
  isPoll: (callback) => typeof callback === 'function' && Function.prototype.toString.call(callback).endsWith('{ [native code] }'),
};

let installed: { original: Immediate; counts: PacerCounts } | undefined;

/**
 * Paces the binding's polling in this thread (each worker thread has its own globals);
 * idempotent. `CHUNKSCOPE_DAWN_POLLING=spin` leaves the binding as it is.
 */
export function paceDawnPolling(): PacerCounts | undefined {
  if (process.env.CHUNKSCOPE_DAWN_POLLING === 'spin') return undefined;
  if (installed) return installed.counts;
  const counts: PacerCounts = { spun: 0, slept: 0 };
  installed = { original: globalThis.setImmediate, counts };
  globalThis.setImmediate = pacedImmediate(installed.original, nodeHost, counts);
  return counts;
}

/** Gives the binding its own polling back (the bench compares the two in one process). */
export function stopPacingDawnPolling(): void {
  if (!installed) return;
  globalThis.setImmediate = installed.original;
  installed = undefined;
}
