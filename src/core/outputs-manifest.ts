/**
 * `manifest.json` beside the `.npy` files of `chunkscope run --outputs DIR` (DESIGN.md,
 * "Finished runs are never lost"): the scenario, how the run ended, the runs finished,
 * each array's file, and which runs were verified and how.
 */
import { encodeOutcome, type Verification } from './run-outcome.ts';
import type { Scenario } from './scenario.ts';
import { kNpyDescr } from './npy.ts';

/** The `format` field of an outputs manifest. */
export const kOutputsFormat = 'chunkscope-outputs';

/** The file of output array `name` in the folder (or zip) of outputs. */
export function npyFileName(name: string): string {
  return `${name}.npy`;
}

/** One array written. */
export interface ManifestArray {
  name: string;
  file: string;
  dtype: Scenario['arrays'][number]['dtype'];
  /** The `.npy` descr of the file. */
  descr: string;
  /** Its shape in the file: the chunk axis cut to the runs finished. */
  shape: number[];
}

/** What the manifest is made of. */
export interface ManifestParts {
  scenario: Scenario;
  status: 'ok' | 'ladder-exhausted' | 'cancelled' | 'error';
  runsDone: number;
  arrays: { name: string; file: string; shape: number[] }[];
  verification?: Verification;
}

/** The manifest as JSON; verification numbers JSON cannot carry are written as the trace file writes them. */
export function outputsManifest(parts: ManifestParts): Record<string, unknown> {
  const { scenario, status, runsDone } = parts;
  const byName = new Map(scenario.arrays.map((a) => [a.name, a]));
  const arrays: ManifestArray[] = parts.arrays.map((a) => {
    const dtype = byName.get(a.name)!.dtype;
    return { name: a.name, file: a.file, dtype, descr: kNpyDescr[dtype], shape: a.shape };
  });
  return {
    format: kOutputsFormat,
    version: 1,
    status,
    runs: scenario.runs,
    runsFinished: runsDone,
    arrays,
    verified: parts.verification
      ? (encodeOutcome({ verification: parts.verification }) as { verification: unknown }).verification
      : runsDone === 0 ? 'nothing finished, so nothing was verified' : 'not verified (verification was turned off)',
    scenario,
  };
}
