/**
 * SIGINT and SIGTERM (Ctrl-C, `timeout`, a CI job's cancel) for a command that can stop
 * cleanly: the first turns into the abort of an AbortSignal the command passes to the
 * engine, which stops after the current phase with the finished runs kept; a second one,
 * a while later, ends the process at once, removing any half-written output first.
 */
import { kExit } from './exit-codes.ts';
import { removePartialOutputs } from './output-files.ts';

/** The signals a run turns into its cancel. */
export const kInterruptSignals = ['SIGINT', 'SIGTERM'] as const;

/**
 * A second signal this long after the first ends the process at once. Sooner it is the
 * same request arriving twice: Ctrl-C reaches the whole process group, so both the
 * `chunkscope` launcher (which forwards it) and this process see it.
 */
export const kForceAfterMs = 1000;

/** A cancel wired to the process's signals, until disposed. */
export interface Interrupt {
  /** Aborted by the first signal; its `reason` is the signal's name. */
  signal: AbortSignal;
  /** Gives the signals back their default action. */
  dispose(): void;
}

/** Listens for SIGINT and SIGTERM on `proc` and turns them into a cancel (see the module's note). */
export function cancelOnSignals(proc: NodeJS.Process = process): Interrupt {
  const controller = new AbortController();
  let first: number | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    const now = performance.now();
    if (first === undefined) {
      first = now;
      controller.abort(name);
      return;
    }
    if (now - first < kForceAfterMs) return;
    removePartialOutputs();
    proc.exit(kExit.cancelled);
  };
  for (const name of kInterruptSignals) proc.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of kInterruptSignals) proc.off(name, onSignal);
    },
  };
}
