/** Exit codes of the `chunkscope` command, shared by every subcommand. */
export const kExit = {
  ok: 0,
  invalidScenario: 1,
  infeasible: 2,
  verificationFailed: 3,
  ladderExhausted: 4,
  /** A workload with a job that failed (its error has its code). */
  jobFailed: 5,
  /** `chunkscope soak`: device memory leaked, or the emergency stop ended the soak. */
  soakLeaked: 6,
  /** `replay-snapshot`: a request of the snapshot does not fit the budget under the model. */
  replayDoesNotFit: 7,
  /** A run whose host memory would pass the host budget (`HOST_BUDGET_EXCEEDED`), refused before it starts. */
  hostBudget: 8,
  usage: 64,
  /** `--backend webgpu` and no WebGPU adapter could be found (EX_UNAVAILABLE). */
  noDevice: 69,
  /** A kernel failed to compile: a bug, not a scenario problem (EX_SOFTWARE). */
  internal: 70,
  /** A run finished (or was cancelled) and reported, but an output file could not be written (EX_CANTCREAT). */
  outputUnwritable: 73,
  /** Cancelled by SIGINT or SIGTERM: the finished runs are reported (128 + SIGINT, as shells report Ctrl-C). */
  cancelled: 130,
} as const;
