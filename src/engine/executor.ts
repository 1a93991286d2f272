/**
 * The executor interface: one attempt at running runs `[start, scenario.runs)` of a
 * scenario, chunk by chunk, under one plan. The WebGPU and CPU backends implement it;
 * the recovery ladder (run-scenario.ts) makes attempts until every run is done.
 */
import { runLayout, type HostArray } from '../core/host-arrays.ts';
import type { Plan } from '../core/planner.ts';
import type { Scenario } from '../core/scenario.ts';
import type { BackendName, TraceRecorder } from '../core/trace.ts';
import type { Kernel, KernelArray } from '../kernels/kernel.ts';
import type { DeviceLedgerHook } from './allocator.ts';
import type { FaultInjector } from './faults.ts';

/**
 * Where an attempt's inputs come from and its outputs go: the host side of a run
 * (run-host.ts). Inputs are made per chunk and outputs leave per chunk, so the host
 * holds about a chunk, not the batch.
 */
export interface ChunkHost {
  /**
   * Writes input (or inout) array `array`'s values for runs `[start, end)` into `view`,
   * a chunk buffer of `end − start` runs stored as `array.dtype`; a fixed array is
   * written whole (`start` and `end` are then ignored).
   */
  packInput(array: KernelArray, view: HostArray, start: number, end: number): void;
  /**
   * Takes output (or inout) array `array`'s runs `[start, end)` from `view`, a chunk
   * buffer stored as `array.dtype`; `view` is valid only during the call.
   */
  unpackOutput(array: KernelArray, view: HostArray, start: number, end: number): void;
}

/** Everything one attempt needs. */
export interface AttemptJob {
  /** The scenario as stored on the device (f32 arrays as f16 after the `f16` fallback). */
  scenario: Scenario;
  /** The plan of runs `[start, scenario.runs)`: its `runs` is the number of runs left. */
  plan: Plan;
  /** First run of this attempt (a global run index). */
  start: number;
  kernel: Kernel;
  /** Gives the inputs of each chunk and takes its outputs. */
  host: ChunkHost;
  trace: TraceRecorder;
  faults: FaultInjector;
  /** Device-local bytes the allocator allows (the scenario's budget). */
  budgetBytes: number;
  /** The ledger of a device shared with other workers; the WebGPU backend consults it. */
  ledger?: DeviceLedgerHook;
  signal?: AbortSignal;
  /** Called once runs `[start, end)` of chunk `chunk` are handed to the host (every run before `end` is done). */
  onChunkDone(end: number, chunk: number): void;
}

/** A backend that can make attempts. */
export interface ChunkExecutor {
  readonly backend: BackendName;
  /**
   * Runs the job's chunks in order. Throws a fault (AllocationError, DeviceLostError),
   * CancelledError or EngineError; every buffer it allocated is destroyed before it
   * returns or throws.
   */
  execute(job: AttemptJob): Promise<void>;
}

/** The job's arrays as the kernel sees them, bindings in scenario order (all writable where blocks share segments). */
export function kernelArrays(scenario: Pick<Scenario, 'arrays' | 'allocator'>): KernelArray[] {
  const shared = scenario.allocator.model === 'caching';
  return scenario.arrays.map((spec, binding) => ({
    binding,
    name: spec.name,
    role: spec.role,
    dtype: spec.dtype,
    layout: runLayout(spec.shape),
    ...(shared && { writableBinding: true }),
  }));
}

/** Whether an array's values go from the host to the device. */
export const isUploaded = (a: Pick<KernelArray, 'role'>) => a.role === 'input' || a.role === 'inout';
/** Whether an array's values come back from the device to the host. */
export const isReadBack = (a: Pick<KernelArray, 'role'>) => a.role === 'output' || a.role === 'inout';
