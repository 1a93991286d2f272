/**
 * The executor interface: one attempt at running runs `[start, scenario.runs)` of a
 * scenario, chunk by chunk, under one plan. The WebGPU and CPU backends implement it;
 * the recovery ladder (run-scenario.ts) makes attempts until every run is done.
 */
import type { Dtype } from '../core/dtypes.ts';
import { runLayout, type HostArrays } from '../core/host-arrays.ts';
import type { Plan } from '../core/planner.ts';
import type { Scenario } from '../core/scenario.ts';
import type { BackendName, TraceRecorder } from '../core/trace.ts';
import type { Kernel, KernelArray } from '../kernels/kernel.ts';
import type { DeviceLedgerHook } from './allocator.ts';
import type { FaultInjector } from './faults.ts';

/** Everything one attempt needs. */
export interface AttemptJob {
  /** The scenario as stored on the device (f32 arrays as f16 after the `f16` fallback). */
  scenario: Scenario;
  /** Each array's dtype on the host (the scenario's own dtypes). */
  hostDtypes: Readonly<Record<string, Dtype>>;
  /** The plan of runs `[start, scenario.runs)`: its `runs` is the number of runs left. */
  plan: Plan;
  /** First run of this attempt (a global run index). */
  start: number;
  kernel: Kernel;
  /** Host arrays of all runs: inputs are read from them, outputs written into them. */
  host: HostArrays;
  trace: TraceRecorder;
  faults: FaultInjector;
  /** Device-local bytes the allocator allows (the scenario's budget). */
  budgetBytes: number;
  /** The ledger of a device shared with other workers; the WebGPU backend consults it. */
  ledger?: DeviceLedgerHook;
  signal?: AbortSignal;
  /** Called once runs `[start, end)` are written back into the host arrays. */
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
export function kernelArrays(scenario: Scenario): KernelArray[] {
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
