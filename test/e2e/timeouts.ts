/**
 * How long browser tests wait, sized for SwiftShader on a busy 2-core machine (a user's
 * machine often is one). Nothing here asserts speed: a wait only bounds a hang.
 */

/** Waiting for a run (or replay) to reach its end. */
export const kRunEnds = { timeout: 240_000 } as const;
