/** Exit codes of the `chunkscope` command, shared by every subcommand. */
export const kExit = {
  ok: 0,
  invalidScenario: 1,
  infeasible: 2,
  verificationFailed: 3,
  ladderExhausted: 4,
  /** `replay-snapshot`: a request of the snapshot does not fit the budget under the model. */
  replayDoesNotFit: 7,
  usage: 64,
  /** `--backend webgpu` and no WebGPU adapter could be found (EX_UNAVAILABLE). */
  noDevice: 69,
  /** A kernel failed to compile: a bug, not a scenario problem (EX_SOFTWARE). */
  internal: 70,
} as const;
