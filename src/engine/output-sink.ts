/**
 * Where a run's outputs go, chunk by chunk (DESIGN.md, "Finished runs are never lost"):
 * nowhere once verified (a large run whose outputs nobody asked for), into whole host
 * arrays (a small run, the tests), or into files (`chunkscope run --outputs DIR`, which
 * gives its own sink from the CLI; the app keeps the same files in memory, kept-outputs.ts).
 */
import { elementCount, runLayout, unpackChunk, type HostArray, type HostArrays } from '../core/host-arrays.ts';
import type { Verification } from '../core/run-outcome.ts';
import type { ArraySpec, Scenario } from '../core/scenario.ts';
import type { HostMemory } from './host-memory.ts';
import { dtypeBytes } from '../core/dtypes.ts';

/** How a run ended, as its outputs are closed. */
export interface OutputsEnd {
  /** Runs `[0, runsDone)` are finished; outputs of later runs are not to be kept. */
  runsDone: number;
  status: 'ok' | 'ladder-exhausted' | 'cancelled' | 'error';
  /** Fixed output (and inout) arrays as the last finished chunk left them. */
  fixed: ReadonlyMap<string, HostArray>;
  /** What was verified of the finished runs, when verification ran. */
  verification?: Verification;
}

/** Takes a run's outputs as its chunks finish. */
export interface OutputSink {
  /**
   * Runs `[start, end)` of chunked output (or inout) array `spec`, laid out as a chunk
   * of `end − start` runs in the scenario's dtype; valid only during the call. A run a
   * later attempt redoes is written again.
   */
  writeChunk(spec: ArraySpec, data: HostArray, start: number, end: number): void;
  /** The run is over. */
  close(end: OutputsEnd): void | Promise<void>;
}

/** The arrays a run reads back: output and inout arrays. */
export function outputSpecs(scenario: Pick<Scenario, 'arrays'>): ArraySpec[] {
  return scenario.arrays.filter((a) => a.role === 'output' || a.role === 'inout');
}

/** Outputs checked and let go: the host holds none of them. */
export const kDiscardOutputs: OutputSink = { writeChunk: () => {}, close: () => {} };

/** Every output of every run in whole host arrays: for small runs, tests and in-process callers. */
export class MemoryOutputs implements OutputSink {
  /** The output and inout arrays, all runs; runs not finished stay zero. */
  readonly arrays: HostArrays = Object.create(null);
  private readonly _runs: number;

  constructor(scenario: Scenario, memory: HostMemory) {
    for (const spec of outputSpecs(scenario)) this.arrays[spec.name] = memory.make(spec.dtype, elementCount(runLayout(spec.shape), scenario.runs));
    this._runs = scenario.runs;
  }

  writeChunk(spec: ArraySpec, data: HostArray, start: number, end: number): void {
    unpackChunk(data, spec.dtype, this.arrays[spec.name], spec.dtype, runLayout(spec.shape), this._runs, start, end);
  }

  close(end: OutputsEnd): void {
    for (const [name, data] of end.fixed) this.arrays[name].set(data as Float64Array);
  }
}

/** Bytes of every output array over all runs: what {@link MemoryOutputs} holds. */
export function outputBytes(scenario: Pick<Scenario, 'arrays' | 'runs'>): number {
  let bytes = 0;
  for (const spec of outputSpecs(scenario)) bytes += elementCount(runLayout(spec.shape), scenario.runs) * dtypeBytes(spec.dtype);
  return bytes;
}

