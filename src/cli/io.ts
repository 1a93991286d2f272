/** Where a command writes: injected so tests can call commands in-process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Standard output and standard error. */
export const kProcessIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
