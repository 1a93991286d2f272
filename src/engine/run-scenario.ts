/**
 * Runs a scenario to the end: plans it, makes attempts on a backend, walks the recovery
 * ladder after each fault, verifies the outputs and reports. This is what the CLI and
 * the UI's worker call.
 *
 * The ladder (scenario `recovery`): after an allocation fault the current rung is taken
 * again while it can help (`shrink` again, up to `maxAttempts` times), else the next
 * rung that applies. `shrink` re-plans the unfinished runs with chunkLength × shrink;
 * `f16` stores f32 arrays as packed f16; `cpu` finishes on the CPU backend. A lost
 * device is replaced (up to `maxAttempts` times, with `requestDevice`) before the ladder
 * moves on. Every attempt resumes from the first unfinished run, so nothing is lost.
 */
import { predictAllocatorPeaks } from '../core/allocator-prediction.ts';
import { kDefaultOffsetAlignment } from '../core/caching-allocator.ts';
import type { HostArray, HostArrays } from '../core/host-arrays.ts';
import { checkAdapterLimits, type Plan } from '../core/planner.ts';
import { planRemaining, withF16Storage } from '../core/replan.ts';
import { reusesBuffers, type Fallback, type Scenario } from '../core/scenario.ts';
import type { Comparison, RunFailure, Verification } from '../core/run-outcome.ts';
import { summarizeTrace, TraceRecorder, type BackendName, type TraceEvent } from '../core/trace.ts';
import type { Kernel } from '../kernels/kernel.ts';
import type { DeviceLedgerHook } from './allocator.ts';
import { CpuExecutor } from './cpu-executor.ts';
import { AllocationError, CancelledError, DeviceLostError, EngineError, isFault } from './errors.ts';
import type { ChunkExecutor } from './executor.ts';
import { FaultInjector } from './faults.ts';
import { checkHostBudget, type HostBudgetError } from './host-budget.ts';
import { HostMemory } from './host-memory.ts';
import { LeakedBuffers } from './leaked-buffers.ts';
import { kDiscardOutputs, MemoryOutputs, outputBytes, type OutputSink } from './output-sink.ts';
import { planOptionsFor, prepareRun, type PrepareError, type PreparedRun } from './prepare-run.ts';
import { RunHost } from './run-host.ts';
import { composeReport, type RunReport } from './run-report.ts';
import { checksEveryRun, RunSample, sampleCapacity } from './run-sample.ts';
import { checkUnchunked } from './unchunked-check.ts';
import { WebGpuExecutor } from './webgpu-executor.ts';

/** Progress after each chunk, for a progress bar. */
export interface RunProgress {
  /** Runs finished so far (every run before this index is done). */
  runsDone: number;
  runs: number;
  attempt: number;
  backend: BackendName;
  /** Index of the chunk just finished, within its attempt. */
  chunk: number;
  chunkLength: number;
}

/** How to run. */
export interface RunOptions {
  backend: BackendName;
  /** The device for the WebGPU backend. */
  device?: GPUDevice;
  /** A fresh device after a loss; without it a lost device goes straight down the ladder. */
  requestDevice?: () => Promise<GPUDevice>;
  /** Host inputs of every run (a benchmark that must not time their generation); generated per chunk from the seed when absent. */
  inputs?: HostArrays;
  /** Compare with the CPU twin and with one chunk (default true). */
  verify?: boolean;
  /**
   * Bytes of chunked arrays up to which the chunked = unchunked check covers every run
   * (default 64 MiB, `kFullCheckBytes`); a larger run is checked on a sample of runs.
   */
  checkEveryRunBytes?: number;
  /**
   * Where outputs go, chunk by chunk: kept whole in the report (`memory`), checked and
   * let go (`discard`), or a sink of the caller's (files). Default: `memory` when every
   * output of every run takes at most {@link kKeepOutputsBytes}, else `discard`.
   */
  outputs?: 'memory' | 'discard' | OutputSink;
  /** Host bytes the run may hold; a run that needs more is refused before it starts. No limit when absent. */
  hostBudgetBytes?: number;
  /** Counts the host bytes the run's host side makes (a fresh counter when absent). */
  hostMemory?: HostMemory;
  onProgress?: (progress: RunProgress) => void;
  /** Sees each trace event as it is recorded (the live timeline); the report still carries them all. */
  onEvent?: (event: TraceEvent) => void;
  /** Cancels the run: it stops after the current phase with no buffer live. */
  signal?: AbortSignal;
  /** The clock of the trace (milliseconds). */
  now?: () => number;
  /** The ledger of a device shared with other jobs (a workload's lanes): the WebGPU backend's allocations consult it. */
  ledger?: DeviceLedgerHook;
  /**
   * Where buffers of `leak` faults go, alive. A soak passes one holder to every cycle and
   * destroys them at its end; without it the run destroys its own when it ends.
   */
  leaks?: LeakedBuffers;
}

/** Why a run could not start. */
export type RunSetupError = PrepareError | HostBudgetError | { code: 'NO_DEVICE'; message: string };

/** Output bytes up to which a run keeps every output in memory unless told otherwise. */
export const kKeepOutputsBytes = 64 * 2 ** 20;

// The report and how a run ended are composed and typed elsewhere (a trace file carries them); re-exported for callers of the engine.
export type { RunFailure, Verification } from '../core/run-outcome.ts';
export type { RunReport } from './run-report.ts';
export { planOptionsFor, prepareRun } from './prepare-run.ts';
export type { PreparedRun, PrepareError } from './prepare-run.ts';

/** The outcome of {@link runScenario}. */
export type RunOutcome = { ok: true; report: RunReport } | { ok: false; error: RunSetupError };

/** Prepares (see {@link prepareRun}), runs, recovers, verifies and reports. Never throws for a fault; see {@link RunReport.status}. */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunOutcome> {
  const prepared = prepareRun(scenario, { device: options.device });
  return prepared.ok ? runPrepared(prepared.run, options) : prepared;
}

/**
 * Runs a prepared run. A run prepared without a device is checked against the device's
 * limits here, as {@link prepareRun} would have: a limit above the device's is refused.
 */
export async function runPrepared(prepared: PreparedRun, options: RunOptions): Promise<RunOutcome> {
  const { scenario, kernel } = prepared;
  if (options.backend === 'webgpu' && !options.device) {
    return { ok: false, error: { code: 'NO_DEVICE', message: 'the WebGPU backend needs a GPUDevice' } };
  }
  const aboveDevice = options.device && checkAdapterLimits(scenario.device.limits, planOptionsFor(kernel, { device: options.device }).adapterLimits);
  if (aboveDevice) return { ok: false, error: aboveDevice };
  const plan = prepared.plan;
  const verify = options.verify !== false;
  const choice = options.outputs ?? (outputBytes(scenario) <= kKeepOutputsBytes ? 'memory' : 'discard');
  if (options.hostBudgetBytes !== undefined) {
    const over = checkHostBudget(prepared, {
      backend: options.backend,
      keepOutputs: choice === 'memory',
      verify,
      checkEveryRunBytes: options.checkEveryRunBytes,
      budgetBytes: options.hostBudgetBytes,
    });
    if (over) return { ok: false, error: over };
  }
  const memory = options.hostMemory ?? new HostMemory();
  const kept = choice === 'memory' ? new MemoryOutputs(scenario, memory) : undefined;
  const sink: OutputSink = kept ?? (choice === 'discard' || choice === 'memory' ? kDiscardOutputs : choice);
  const sample = verify
    ? new RunSample({
      runs: scenario.runs,
      seed: scenario.seed,
      capacity: sampleCapacity(scenario, plan, options.checkEveryRunBytes),
      all: checksEveryRun(scenario, options.checkEveryRunBytes),
    })
    : undefined;
  const host = new RunHost({ scenario, kernel, sink, memory, sample, inputs: options.inputs });
  const trace = new TraceRecorder(options.now, options.onEvent);
  const leaks = options.leaks ?? new LeakedBuffers();
  let verification: Verification | undefined;
  let ladder: LadderResult | undefined;
  try {
    ladder = await runLadder(scenario, kernel, plan, host, trace, { ...options, leaks });
    trace.record({ kind: 'done', status: ladder.status, runsDone: ladder.runsDone });
    if (sample && ladder.runsDone > 0 && ladder.status !== 'error') {
      const attempts = summarizeTrace(trace.events).attempts;
      const f16Start = attempts.find((a) => a.precision === 'f16')?.start;
      const checked = host.twinComparison(ladder.runsDone)!;
      const ranAsOneChunk = plan.numChunks === 1 && attempts.length === 1;
      const unchunked: Comparison = ranAsOneChunk && f16Start === undefined
        ? { passed: true, skipped: 'the run was already one chunk', tolerance: { exact: true }, arrays: [] }
        // Cancel means no more device work: the finished runs keep the twin's check, made as they landed.
        : ladder.status === 'cancelled'
        ? { passed: true, skipped: 'the run was cancelled, so no more work was started on the device', tolerance: { exact: true }, arrays: [] }
        : await checkUnchunked({
          scenario,
          kernel,
          host,
          sample,
          memory,
          runsDone: ladder.runsDone,
          f16Start,
          executor: ladder.backend === 'webgpu' && ladder.device ? new WebGpuExecutor(ladder.device) : new CpuExecutor(),
          device: ladder.backend === 'webgpu' ? ladder.device : undefined,
        });
      verification = {
        passed: checked.twin.passed && unchunked.passed,
        maxAbsError: checked.twin.arrays.reduce((m, a) => Math.max(m, a.maxAbsError), 0),
        twin: checked.twin,
        unchunked,
        ...(checked.precisionLoss && { precisionLoss: checked.precisionLoss }),
      };
    }
  } finally {
    if (!options.leaks) await leaks.destroyAll();
    // The last replacement device outlives the ladder only for verification.
    if (ladder && ladder.device !== options.device) ladder.device?.destroy();
  }
  // The finished prefix is kept with what was verified of it, however the run ended.
  await sink.close({ runsDone: ladder.runsDone, status: ladder.status, fixed: fixedOutputs(scenario, host), verification });
  // The report's verification judges a finished run (and the exit code with it): a run cut short has none.
  const judged = ladder.status === 'ok' ? verification : undefined;
  const report: RunReport = {
    ...composeReport({ scenario, kernel, plan, events: trace.events, outcome: { error: ladder.error, verification: judged } }),
    ...(kept && { outputs: kept.arrays }),
  };
  return { ok: true, report };
}

/** The fixed output and inout arrays as the run left them. */
function fixedOutputs(scenario: Scenario, host: RunHost): Map<string, HostArray> {
  const outputs = new Set(scenario.arrays.filter((a) => a.role === 'output' || a.role === 'inout').map((a) => a.name));
  return new Map([...host.fixed].filter(([name]) => outputs.has(name)));
}

interface LadderResult {
  status: RunReport['status'];
  error?: RunFailure;
  runsDone: number;
  backend: BackendName;
  device?: GPUDevice;
}

async function runLadder(
  scenario: Scenario,
  kernel: Kernel,
  plan: Plan,
  host: RunHost,
  trace: TraceRecorder,
  options: RunOptions,
): Promise<LadderResult> {
  const faults = new FaultInjector(scenario.faults, options.leaks);
  const { ladder, shrink, maxAttempts } = scenario.recovery;
  let backend = options.backend;
  let device = options.device;
  let executor: ChunkExecutor = backend === 'webgpu' ? new WebGpuExecutor(device!) : new CpuExecutor();
  let precision: 'native' | 'f16' = 'native';
  let chunkLength = plan.chunkLength;
  let rung: Fallback | 'start' = 'start';
  let onRung = 0;
  let deviceRetries = 0;
  let runsDone = 0;
  let attempt = 0;
  let attemptPlan = plan;
  const result = (status: RunReport['status'], error?: Omit<RunFailure, 'runsDone'>): LadderResult => ({
    status,
    ...(error && { error: { ...error, runsDone } }),
    runsDone,
    backend,
    device,
  });
  // A fresh device after a loss; false when none can be had (then only the CPU can go on).
  const replaceDevice = async (): Promise<boolean> => {
    if (!options.requestDevice) return false;
    // A device this ladder requested is ours to destroy; the caller's stays the caller's.
    if (device !== options.device) device?.destroy();
    try {
      device = await options.requestDevice();
    } catch {
      return false;
    }
    executor = new WebGpuExecutor(device);
    return true;
  };
  let gpuUsable = true;

  for (;;) {
    attempt++;
    const stored = precision === 'f16' ? withF16Storage(scenario) : scenario;
    if (attempt > 1) {
      const replanned = planRemaining(stored, runsDone, chunkLength, planOptionsFor(kernel, { device: backend === 'webgpu' ? device : undefined }));
      if (!replanned.ok) {
        return result('ladder-exhausted', { code: 'LADDER_EXHAUSTED', message: `the unfinished runs cannot be planned: ${replanned.error.message}` });
      }
      attemptPlan = replanned.plan;
      chunkLength = attemptPlan.chunkLength;
    }
    // The executors' requests in their order (allocator-prediction.ts), at the offset alignment they bind with.
    const peaks = predictAllocatorPeaks(attemptPlan, {
      allocator: scenario.allocator,
      reuseBuffers: reusesBuffers(scenario),
      alignmentBytes: backend === 'webgpu' ? device!.limits.minStorageBufferOffsetAlignment : kDefaultOffsetAlignment,
    });
    trace.record({
      kind: 'attempt',
      attempt,
      backend,
      chunkLength,
      precision,
      predictedPeakBytes: peaks.allocatedPeakBytes,
      ...(scenario.allocator.model === 'caching' && {
        predictedReservedPeakBytes: peaks.reservedPeakBytes,
        predictedExpandablePeakBytes: peaks.expandablePeakBytes,
      }),
      // The CPU backend packs straight into its buffers: it holds no staging.
      predictedStagingPeakBytes: backend === 'webgpu' ? Number(attemptPlan.predictedStagingPeakBytes) : 0,
      start: runsDone,
    });
    host.setAttempt(stored, precision);
    try {
      await executor.execute({
        scenario: stored,
        plan: attemptPlan,
        start: runsDone,
        kernel,
        host,
        trace,
        faults,
        budgetBytes: scenario.device.budgetBytes,
        ...(options.ledger && { ledger: options.ledger }),
        signal: options.signal,
        onChunkDone: (end, chunk) => {
          host.chunkDone(runsDone, end);
          runsDone = end;
          options.onProgress?.({ runsDone, runs: scenario.runs, attempt, backend, chunk, chunkLength });
        },
      });
      return result('ok');
    } catch (err) {
      if (err instanceof CancelledError) return result('cancelled', { code: 'CANCELLED', message: err.message });
      if (err instanceof EngineError) return result('error', { code: err.code, message: err.message });
      if (!isFault(err)) throw err;
      const reason = describeFault(err);
      const lost = err instanceof DeviceLostError;
      // Another worker holds an exclusive device: no smaller chunk or narrower type gets it back, only the CPU goes on.
      const busy = err instanceof AllocationError && err.code === 'DEVICE_BUSY';
      if (lost) {
        trace.record({ kind: 'device-lost', reason: err.reason, message: err.message, injected: err.injected, ...(err.chunk !== undefined && { chunk: err.chunk }) });
        if (deviceRetries < maxAttempts && (await replaceDevice())) {
          deviceRetries++;
          trace.record({ kind: 'fallback', from: rung, to: 'retry', reason: `${reason}; new device ${deviceRetries} of ${maxAttempts}`, chunkLengthBefore: chunkLength, chunkLengthAfter: chunkLength, resumeAt: runsDone });
          continue;
        }
      }
      // Stay on `shrink` while it can still help; otherwise take the next rung that applies.
      // After a loss with no new device to be had, only the CPU can go on.
      const current: Fallback | undefined = rung === 'shrink' && onRung < maxAttempts && chunkLength > 1 && !lost && !busy ? rung : undefined;
      const usable = (r: Fallback) => applies(r, { chunkLength, precision, backend, scenario }) && (r === 'cpu' || (backend === 'cpu' || gpuUsable) && !busy);
      let next: Fallback | undefined = current ?? ladder.slice(rung === 'start' ? 0 : ladder.indexOf(rung) + 1).find(usable);
      if (next && lost && next !== 'cpu' && backend === 'webgpu' && !(await replaceDevice())) {
        gpuUsable = false;
        next = ladder.slice(ladder.indexOf(next) + 1).find(usable);
      }
      if (!next) {
        return result('ladder-exhausted', {
          code: 'LADDER_EXHAUSTED',
          message: `no rung of the ladder [${ladder.join(', ')}] is left to take after: ${reason}; ${runsDone ? `runs [0, ${runsDone}) are done and kept` : 'no run was finished'}`,
        });
      }
      const before = chunkLength;
      const from = rung;
      onRung = next === rung ? onRung + 1 : 1;
      rung = next;
      if (next === 'shrink') chunkLength = Math.max(1, Math.floor(chunkLength * shrink));
      if (next === 'f16') precision = 'f16';
      if (next === 'cpu') {
        backend = 'cpu';
        executor = new CpuExecutor();
      }
      deviceRetries = 0;
      trace.record({ kind: 'fallback', from, to: next, reason, chunkLengthBefore: before, chunkLengthAfter: chunkLength, resumeAt: runsDone });
    }
  }
}

function applies(rung: Fallback, state: { chunkLength: number; precision: string; backend: BackendName; scenario: Scenario }): boolean {
  switch (rung) {
    case 'shrink':
      return state.chunkLength > 1;
    case 'f16':
      return state.precision === 'native' && state.scenario.arrays.some((a) => a.dtype === 'f32');
    case 'cpu':
      return state.backend !== 'cpu';
  }
}

function describeFault(err: AllocationError | DeviceLostError): string {
  if (err instanceof DeviceLostError) return `device lost (${err.reason}): ${err.message}`;
  const what = err.code === 'DEVICE_BUSY' ? 'device busy (DEVICE_BUSY)' : err.kind === 'oom' ? 'out of memory' : 'validation error';
  return `${what} allocating "${err.label}" (${err.source}): ${err.message}`;
}
