/**
 * The run report, composed in one place from what a run leaves behind: its scenario,
 * kernel, plan, trace and outcome. A live run ({@link runScenario}) and a saved one
 * ({@link reportFromTrace}) both come through {@link composeReport}, so a replayed
 * trace shows exactly what the run showed, and the two cannot drift apart.
 */
import type { HostArrays } from '../core/host-arrays.ts';
import type { Plan } from '../core/planner.ts';
import type { RunFailure, TraceOutcome, Verification } from '../core/run-outcome.ts';
import type { AllocatorModelName } from '../core/allocator-model.ts';
import { reusesBuffers, type Scenario } from '../core/scenario.ts';
import { summarizeTrace, type AllocatorFailure, type AttemptSummary, type BackendName, type TraceEvent, type TraceSummary } from '../core/trace.ts';
import type { TraceFile } from '../core/trace-file.ts';
import type { Kernel } from '../kernels/kernel.ts';
import { prepareRun } from './prepare-run.ts';

/** What a run did: the report the CLI prints and the UI shows. */
export interface RunReport {
  scenario: string;
  kernel: string;
  /** Backend of the last attempt. */
  backend: BackendName;
  status: 'ok' | 'ladder-exhausted' | 'cancelled' | 'error';
  error?: RunFailure;
  plan: Plan;
  runsDone: number;
  peak: { predictedBytes: bigint; measuredBytes: number; setBy: TraceSummary['peakSetBy'] };
  /** Most staging (host-visible) bytes live at once, over every attempt. */
  stagingPeakBytes: number;
  /** The staging peak the first attempt predicted (its backend's, for its plan); absent in traces written before it was recorded. */
  predictedStagingPeakBytes?: number;
  /** The allocator model's peaks and its failure, if a request failed under it. */
  allocator: AllocatorReport;
  chunksCompleted: number;
  phases: TraceSummary['phases'];
  attempts: AttemptSummary[];
  /** Absent when the run did not finish or verification was turned off. */
  verification?: Verification;
  liveBuffersAfter: number;
  faults: TraceSummary['faults'];
  fallbacks: TraceSummary['fallbacks'];
  trace: TraceEvent[];
  /**
   * Output and inout arrays of every run, filled for the finished runs: only when the run
   * kept its outputs in memory (RunOptions.outputs), never for a large run by default.
   */
  outputs?: HostArrays;
}

/**
 * What the allocator model did (DESIGN.md, "Allocator models"). Predicted figures are the
 * first attempt's (as `peak.predictedBytes` is); measured ones cover every attempt.
 */
export interface AllocatorReport {
  model: AllocatorModelName;
  reuseBuffers: boolean;
  /** Bytes of live blocks (under `exact`, of live buffers). */
  allocatedPeak: { predictedBytes: number; measuredBytes: number };
  /** Bytes of live segments and buffers outside any: what the budget must hold. */
  reservedPeak: { predictedBytes: number; measuredBytes: number };
  /** What expandable segments would have reserved at most (predicted; WebGPU cannot grow a buffer, so not run). */
  expandablePeakBytes: number;
  /** Predicted reserved peak − expandable peak: what expandable segments would have saved. */
  expandableSavedBytes: number;
  /** The model's figures at the last request it refused, with the request. */
  failure?: AllocatorFailure & { label: string; bytes: number };
}

/** A report without its host arrays: all a trace file can give back, and all any view shows. */
export type ReportedRun = Omit<RunReport, 'outputs'>;

/** What a report is made of. `events` ends with the `done` event and holds at least one `attempt`. */
export interface ReportParts {
  scenario: Scenario;
  kernel: Kernel;
  /** The plan of the first attempt. */
  plan: Plan;
  events: TraceEvent[];
  outcome: TraceOutcome;
}

/**
 * The report of a run: status and runs done from its `done` event, the backend from its
 * last `attempt`, peaks, chunks and faults from the trace, error and verification from
 * the outcome. Throws on a trace without `done` or `attempt`: no execution records one.
 */
export function composeReport({ scenario, kernel, plan, events, outcome }: ReportParts): ReportedRun {
  const done = events.at(-1);
  if (done?.kind !== 'done') throw new Error('a run report needs the trace to end with its "done" event');
  const summary = summarizeTrace(events);
  const last = summary.attempts.at(-1);
  if (!last) throw new Error('a run report needs at least one "attempt" event in the trace');
  const first = summary.attempts[0];
  const reservedPredicted = first.predictedReservedPeakBytes ?? first.predictedPeakBytes;
  const expandable = first.predictedExpandablePeakBytes ?? first.predictedPeakBytes;
  const refused = summary.faults.filter((f) => f.kind === 'oom' && f.allocator !== undefined).at(-1);
  const allocator: AllocatorReport = {
    model: scenario.allocator.model,
    reuseBuffers: reusesBuffers(scenario),
    allocatedPeak: { predictedBytes: first.predictedPeakBytes, measuredBytes: summary.peakBytes },
    reservedPeak: { predictedBytes: reservedPredicted, measuredBytes: summary.reservedPeakBytes },
    expandablePeakBytes: expandable,
    expandableSavedBytes: Math.max(0, reservedPredicted - expandable),
    ...(refused?.kind === 'oom' && refused.allocator && { failure: { label: refused.label, bytes: refused.bytes, ...refused.allocator } }),
  };
  return {
    scenario: scenario.name,
    kernel: kernel.name,
    backend: last.backend,
    status: done.status,
    ...(outcome.error && { error: outcome.error }),
    plan,
    runsDone: done.runsDone,
    // The plan counts exact buffers held for the attempt; another model or order predicts its own allocated peak.
    peak: {
      predictedBytes: allocator.model === 'exact' && allocator.reuseBuffers ? plan.predictedPeakBytes : BigInt(first.predictedPeakBytes),
      measuredBytes: summary.peakBytes,
      setBy: summary.peakSetBy,
    },
    stagingPeakBytes: summary.stagingPeakBytes,
    ...(summary.attempts[0].predictedStagingPeakBytes !== undefined && { predictedStagingPeakBytes: summary.attempts[0].predictedStagingPeakBytes }),
    allocator,
    chunksCompleted: summary.chunks.length,
    phases: summary.phases,
    attempts: summary.attempts,
    ...(outcome.verification && { verification: outcome.verification }),
    liveBuffersAfter: summary.liveAfter.length,
    faults: summary.faults,
    fallbacks: summary.fallbacks,
    trace: events,
  };
}

/**
 * The report a saved trace re-renders, without running anything. The scenario is
 * planned again with its kernel's footprint and no device: an adapter's limits can only
 * turn a plan into an error, never change a feasible one, so this is the plan that ran.
 */
export function reportFromTrace(trace: TraceFile): { ok: true; report: ReportedRun } | { ok: false; message: string } {
  const prepared = prepareRun(trace.scenario);
  if (!prepared.ok) {
    const { error } = prepared;
    if (!('issues' in error)) return { ok: false, message: `the trace's scenario has no plan (${error.code}): ${error.message}` };
    const first = error.issues[0];
    return { ok: false, message: `the trace's scenario does not fit its kernel: ${first.path ? `scenario.${first.path}` : 'scenario'}: ${first.message}` };
  }
  const { kernel, plan } = prepared.run;
  if (!trace.events.some((e) => e.kind === 'attempt')) return { ok: false, message: 'the trace has no "attempt" event, so no backend ran it' };
  if (trace.events.at(-1)?.kind !== 'done') return { ok: false, message: 'the trace does not end with its "done" event' };
  return { ok: true, report: composeReport({ scenario: trace.scenario, kernel, plan, events: trace.events, outcome: trace.outcome ?? {} }) };
}
