/** Exit codes of the `chunkscope` command, shared by every subcommand. */
export const kExit = {
  ok: 0,
  invalidScenario: 1,
  infeasible: 2,
  verificationFailed: 3,
  ladderExhausted: 4,
  usage: 64,
} as const;
