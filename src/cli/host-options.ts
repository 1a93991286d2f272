/**
 * The host side of `chunkscope run`: where outputs go (`--outputs DIR`, else checked and
 * let go) and how much host memory a run may hold (`--host-budget BYTES`, by default
 * half of this machine's memory, so a run that cannot fit is refused with a sentence
 * instead of growing until the system kills it).
 */
import { totalmem } from 'node:os';
import type { Scenario } from '../core/scenario.ts';
import { kDiscardOutputs, type OutputSink } from '../engine/output-sink.ts';
import { NpyOutputs } from './npy-outputs.ts';

/** The host budget when none is given: half of the machine's memory. */
export function defaultHostBudget(): number {
  return Math.floor(totalmem() / 2);
}

/** `--host-budget` read: a positive whole number of bytes, or the default; else a sentence. Never throws. */
export function readHostBudget(value: unknown): { ok: true; bytes: number } | { ok: false; message: string } {
  if (value === undefined) return { ok: true, bytes: defaultHostBudget() };
  const bytes = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(bytes) && bytes > 0) return { ok: true, bytes };
  const given = typeof value === 'string' ? JSON.stringify(value) : `a ${value === null ? 'null' : typeof value}`;
  return { ok: false, message: `--host-budget must be a positive whole number of bytes, got ${given}` };
}

/** Where a run's outputs go: `.npy` files in `dir`, or nowhere once verified. */
export function outputsFor(dir: string | undefined, scenario: Scenario): OutputSink {
  return dir === undefined ? kDiscardOutputs : new NpyOutputs(dir, scenario);
}

/** Why the outputs were not written, if they were not. */
export function outputsError(sink: OutputSink): string | undefined {
  return sink instanceof NpyOutputs ? sink.error : undefined;
}
