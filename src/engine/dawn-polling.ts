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
 * one sleep under a millisecond that Node has. A wait that begins within {@link kSpinMs}
 * of the end of one that had come to sleep sleeps from its start: one buffer set waits
 * a whole kernel per chunk with only the next chunk's packing between, and spinning at
 * the start of each wait took the device's threads about a millisecond of a core per chunk.
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

/** A pacer's host, its counts, and how long a chain spins and each later poll sleeps. */
export interface PacerOptions {
  host: PacerHost;
  counts: PacerCounts;
  spinMs?: number;
  sleepMs?: number;
}

/**
 * A `setImmediate` that passes every callback but the binding's polls to `original`, and
 * paces a chain of polls once it has spun for `spinMs`. A poll scheduled while a poll
 * runs continues that poll's chain; one scheduled from anywhere else (a script waiting on
 * a new promise once nothing was pending) starts a chain of its own, which sleeps from
 * its first poll when the chain before it ended sleeping less than `spinMs` ago.
 */
export function pacedImmediate(original: Immediate, { host, counts, spinMs = kSpinMs, sleepMs = kSleepMs }: PacerOptions): Immediate {
  // The chain of the poll now running: when it began, and when its pacing counts from
  // (earlier when it took over from a sleeping chain); undefined outside a poll.
  let running: { began: number; since: number } | undefined;
  // Whether the poll now running scheduled the next one (its chain goes on).
  let continued = false;
  // When the last chain that waited past the spin, sleeping, ended. A chain that slept only
  // because it took over does not carry it on: a run of short waits after a long one spins again.
  let sleptUntil = -Infinity;
  const paced = (callback: (...args: unknown[]) => void, ...args: unknown[]) => {
    if (!host.isPoll(callback)) return original(callback, ...args);
    const now = host.now();
    if (running) continued = true;
    const chain = running ?? { began: now, since: now - sleptUntil < spinMs ? now - spinMs : now };
    const sleepFirst = now - chain.since >= spinMs;
    return original(() => {
      if (sleepFirst) {
        counts.slept++;
        host.sleep(sleepMs);
      } else {
        counts.spun++;
      }
      running = chain;
      continued = false;
      try {
        callback(...args);
      } finally {
        running = undefined;
        const end = host.now();
        if (!continued && sleepFirst && end - chain.began >= spinMs) sleptUntil = end;
      }
    });
  };
  // util.promisify(setImmediate) looks for the original's own promise form.
  return Object.assign(paced, { [promisify.custom]: (original as unknown as Record<symbol, unknown>)[promisify.custom] }) as unknown as Immediate;
}

/**
 * Whether `callback` is the binding's poll: a function made in C++ (a script's has its
 * source) with no name and no parameters, unlike a promise's resolve (one parameter), a
 * bound function ("bound …") or a built-in (named).
 */
export function isBindingPoll(callback: unknown): boolean {
  return typeof callback === 'function' && callback.name === '' && callback.length === 0 && Function.prototype.toString.call(callback).endsWith('{ [native code] }');
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const nodeHost: PacerHost = {
  now: () => performance.now(),
  sleep: (ms) => void Atomics.wait(sleepCell, 0, 0, ms),
  isPoll: isBindingPoll,
};

let installed: { original: Immediate; counts: PacerCounts } | undefined;

/**
 * Paces the binding's polling in this thread (each worker thread has its own globals);
 * idempotent. `CHUNKSCOPE_DAWN_POLLING=spin` leaves the binding as it is. `timing` sets
 * the spin window and the sleep (bench/diag/lorenz-sets.ts tries others).
 */
export function paceDawnPolling(timing: Pick<PacerOptions, 'spinMs' | 'sleepMs'> = {}): void {
  if (process.env.CHUNKSCOPE_DAWN_POLLING === 'spin' || installed) return;
  const counts: PacerCounts = { spun: 0, slept: 0 };
  installed = { original: globalThis.setImmediate, counts };
  globalThis.setImmediate = pacedImmediate(installed.original, { ...timing, host: nodeHost, counts });
}

/** What the pacer installed in this thread has done; undefined when none is. */
export function dawnPollingCounts(): PacerCounts | undefined {
  return installed?.counts;
}

/** Gives the binding its own polling back (the bench compares the two in one process). */
export function stopPacingDawnPolling(): void {
  if (!installed) return;
  globalThis.setImmediate = installed.original;
  installed = undefined;
}
