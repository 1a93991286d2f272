/** Where a command writes, and what it hears from outside: injected so tests can call commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard error, when it is a terminal: progress redraws one line there. */
  errTerminal?: { write(text: string): void; columns?: number };
  /**
   * From now on, SIGINT and SIGTERM abort the returned signal instead of ending the
   * process; for a command that can stop cleanly. Absent: nothing outside cancels.
   */
  cancelOnSignals?(): AbortSignal;
}

/** Standard output and standard error. */
export const kProcessIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
