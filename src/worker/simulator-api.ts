/**
 * The contract between the UI and the simulator worker: what crosses comlink.
 *
 * Only plain, structured-cloneable data: bigints survive postMessage, class instances
 * and WebGPU objects do not, so device information is copied out into records.
 */
import type { PlanArithmetic } from '../core/plan-arithmetic.ts';
import type { Plan, PlanError } from '../core/planner.ts';
import type { WhatIfRow } from '../core/what-if.ts';
import type { Scenario, ScenarioIssue } from '../core/scenario.ts';
import type { LinkedScenario } from '../core/scenario-link.ts';
import type { LinkedWorkload } from '../core/workload-link.ts';
import type { LegacyImport } from '../core/legacy-requests.ts';
import type { RunProgress, RunReport, RunSetupError } from '../engine/index.ts';
import type { SoakReport, SoakSample } from '../engine/index.ts';
import type { KeptRun } from '../engine/kept-outputs.ts';
import type { RunUpdate } from './run-updates.ts';
import type { SampleDetail, StackBy, TimelineAxis, TimelineQuery, TimelineView } from '../core/timeline-view.ts';
import type { ChunkRows, CompareLine, LogFilter, LogPage, TimelineSampleAt, TraceExport } from './trace-store.ts';
import type { WorkloadPlanSummary } from '../engine/workload-summary.ts';
import type { WorkloadRunSummary } from '../engine/workload-report.ts';
import type { JobStatus } from '../engine/workload-lanes.ts';
import type { SnapshotAllocation, SnapshotOom, SnapshotTrace } from '../core/snapshot-trace.ts';
import type { AllocatorModelName } from '../core/allocator-model.ts';
import type { ReplayOutcome } from '../engine/snapshot-replay.ts';

export type { LegacyImport, LinkedScenario, LinkedWorkload };

/** A link fragment for a scenario, or why the scenario cannot be shared yet. */
export type LinkReply = { ok: true; fragment: string } | { ok: false; issues: ScenarioIssue[] };

/**
 * The outcome of planning a scenario as written: a plan with its arithmetic, an
 * infeasible plan, or an invalid scenario. Every valid scenario also gets its what-if
 * rows (core's `whatIfTable` with the run's plan options): an infeasible one most of all.
 */
export type PlanReply =
  | { ok: true; plan: Plan; arithmetic: PlanArithmetic; whatIf: WhatIfRow[] }
  | { ok: false; error: PlanError; issues?: undefined; whatIf: WhatIfRow[] }
  | { ok: false; error: PlanError & { code: 'INVALID_SCENARIO' }; issues: ScenarioIssue[]; whatIf?: undefined };

/** Where a run goes: `auto` takes WebGPU unless the scenario or the browser needs the CPU. */
export const kBackendChoices = ['auto', 'webgpu', 'cpu'] as const;
/** One of {@link kBackendChoices}. */
export type BackendChoice = (typeof kBackendChoices)[number];

/** What the worker's `navigator.gpu` offers, copied out of the live adapter. */
export type DeviceInfo =
  | {
      available: true;
      /** GPUAdapterInfo's text fields (vendor, architecture, device, description) and flags. */
      adapter: Record<string, string | number | boolean>;
      /** Every limit the adapter supports, by name. */
      limits: Record<string, number>;
      /** Feature names, sorted. */
      features: string[];
    }
  | {
      available: false;
      /** Why there is no adapter, in words a person can act on. */
      reason: string;
    };

/**
 * A run's report as it reaches the UI: everything but the host arrays, which can be
 * hundreds of MiB and which no view shows (the verification already compared them), and
 * but the trace, which stays in the worker's trace store: the timeline and the event log
 * ask for what they draw by `traceId` (a trace of 10^6 events would take the page
 * seconds to receive).
 */
export type RunReportView = Omit<RunReport, 'outputs' | 'trace'> & {
  /** The trace in the worker's store. */
  traceId: number;
  eventCount: number;
  /** Time of the last event, in ms. */
  tEnd: number;
  /** Trace index of the allocation that set the device peak, or -1. */
  peakEventIndex: number;
};

/** How the app soaks a scenario; each field falls back to the scenario's own `soak` section, then the defaults. */
export interface SoakSettings {
  cycles?: number;
  stopAtBytes?: number;
  maxGrowthBytes?: number;
}

/**
 * The finished runs a run (or a soak's last cycle) left in the worker for "Download
 * finished runs": the `.npy` files and `manifest.json` of `chunkscope run --outputs`,
 * or why they were not kept.
 */
export type OutputsOffer =
  | {
      kept: true;
      /** What {@link SimulatorApi.outputsZip} takes. */
      id: number;
      status: KeptRun['status'];
      runs: number;
      runsFinished: number;
      verified: KeptRun['verified'];
      /** Each file and its size in bytes, `manifest.json` last. */
      files: { name: string; bytes: number }[];
    }
  | {
      kept: false;
      /** Why, in a sentence. */
      reason: string;
    };

/** The outcome of a soak: its report, or why it could not start. */
export type SoakReply = { ok: true; soak: SoakReport; outputs?: OutputsOffer } | { ok: false; error: RunSetupError | { code: 'RUN_IN_PROGRESS'; message: string } };

/** The outcome of a run: its report (whatever its status), or why it could not start. */
export type RunReply =
  | {
      ok: true;
      report: RunReportView;
      /** The scenario as run, every default applied: what a saved trace file carries. */
      scenario: Scenario;
      /** The adapter the run started on, in words (for the trace file's `device`). */
      device: string;
      /** The run's finished outputs, kept for download; absent for a replayed trace. */
      outputs?: OutputsOffer;
    }
  | { ok: false; error: RunSetupError | { code: 'RUN_IN_PROGRESS'; message: string } };

/**
 * A saved trace re-rendered as a report (a replay: nothing ran), in the shape a run's
 * reply has so every view takes it as it is; or the sentence on why the file is not one.
 */
export type TraceReply = Extract<RunReply, { ok: true }> | { ok: false; message: string };

/** A workload's plan (what `chunkscope plan` prints), or every problem with its path. */
export type WorkloadPlanReply =
  | { ok: true; plan: WorkloadPlanSummary; /** Each job's plan reply by index; undefined for a weight-only job. */ jobPlans: (PlanReply | undefined)[] }
  | { ok: false; error: { code: string; message: string; path?: string }; issues: ScenarioIssue[] };

/** One job's device-local bytes after each allocation and free, on the workload's clock (ms since it started). */
export interface JobMemory {
  /** The job's index in the workload. */
  index: number;
  name: string;
  lane: string;
  start: number;
  end: number;
  t: number[];
  /** Bytes the device ledger counts for the job: its live buffers, and those it holds until its worker exits. */
  device: number[];
  /** Device-local buffers the job freed but kept (it holds memory until its worker exits), and their bytes. */
  heldBuffers: number;
  heldBytes: number;
}

/** A job of the workload in flight started (`ended` false) or ended. */
export interface WorkloadJobUpdate {
  index: number;
  status: JobStatus;
  ended: boolean;
}

/**
 * A workload's run: the report `chunkscope run --json` prints, each job's run report
 * (undefined where the job gave none), and each job's memory for the stacked timeline;
 * or why it could not start.
 */
export type WorkloadRunReply =
  | { ok: true; summary: WorkloadRunSummary; reports: (RunReply | undefined)[]; memory: JobMemory[] }
  | { ok: false; error: { code: string; message: string } };

/**
 * A PyTorch memory snapshot opened in the worker: its trace stays in the trace store as
 * `traceId` (the timeline and the event log ask for it as for a run's), its allocation
 * sequence stays there for a replay; the page gets the figures `chunkscope import-snapshot` prints.
 */
export interface SnapshotView {
  traceId: number;
  eventCount: number;
  /** Time of the last event, in ms (or the last entry's index when the snapshot has no times). */
  tEnd: number;
  /** Trace index of the allocation that set the allocated peak, or -1. */
  peakEventIndex: number;
  /** The device whose trace is shown, of `devices` in the snapshot. */
  device: number;
  devices: number;
  clock: SnapshotTrace['clock'];
  /** The device trace's entries. */
  entries: number;
  allocatedPeak: { bytes: number; t: number; setBy: SnapshotAllocation | null };
  reservedPeakBytes: number;
  ooms: SnapshotOom[];
  notes: string[];
  /** Requests of the allocation sequence a replay re-runs. */
  requests: number;
}

/** A snapshot opened, or why the file is not one: every problem with its path. */
export type SnapshotReply = { ok: true; snapshot: SnapshotView } | { ok: false; message: string; issues: ScenarioIssue[] };

/** How to replay an open snapshot: the budget and the allocator model, as `chunkscope replay-snapshot --budget --model` takes them. */
export interface SnapshotReplaySettings {
  budgetBytes: number;
  model: AllocatorModelName;
}

/** A snapshot's replay on the worker's WebGPU device (its events left out), or why it could not start. */
export type SnapshotReplayReply =
  | { ok: true; outcome: Omit<ReplayOutcome, 'events'>; device: string }
  | { ok: false; error: { code: string; message: string } };

/** Progress of the run in flight, and its trace events so far, sent at most every {@link kProgressIntervalMs}. */
export type { RunProgress, RunUpdate };
export type { ChunkRows, CompareLine, LogFilter, LogPage, SampleDetail, TimelineQuery, TimelineSampleAt, TimelineView, TraceExport };

/** Least milliseconds between two run updates: a run of 100 000 chunks must not flood the main thread. */
export const kProgressIntervalMs = 100;

/** The object `simulator.worker.ts` exposes through comlink. */
export interface SimulatorApi {
  /** Validates and plans a scenario (any JSON value) against the scenario's limits and the adapter's. */
  plan(scenarioJson: unknown): Promise<PlanReply>;
  /** The WebGPU adapter the worker sees, or why there is none. */
  deviceInfo(): Promise<DeviceInfo>;
  /** The `#scenario=…` fragment (without `#`) that carries a valid scenario, defaults applied; for a workload, `#workload=…`. */
  linkFor(scenarioJson: unknown): Promise<LinkReply>;
  /** The scenario or workload a URL fragment carries, if any, or a sentence on why it cannot be read. */
  readLink(fragment: string): Promise<LinkedScenario | LinkedWorkload>;
  /**
   * Converts legacy array requests (a list or label → request map, as GPU batch solvers
   * write them) into a scenario named `name`, or names each mistake in them.
   */
  importRequests(requestsJson: unknown, name: string): Promise<LegacyImport>;
  /**
   * Runs a scenario on the worker's WebGPU device, or on the engine's CPU backend
   * (`backend`: `cpu`, or `auto` for a scenario WebGPU cannot run or a browser without
   * an adapter): plans it with the kernel's dispatch
   * limit, walks the recovery ladder, verifies. `onUpdate` (a `Comlink.proxy`) gets
   * batched progress and every trace event as the run goes; the reply comes once the run
   * has ended, cancelled runs included. A second run while one is in flight is refused
   * with `RUN_IN_PROGRESS`.
   */
  run(scenarioJson: unknown, onUpdate?: (update: RunUpdate) => void, backend?: BackendChoice): Promise<RunReply>;
  /**
   * Reads a trace file (any JSON value) and composes the report it saved, as the run
   * did, without running anything or touching WebGPU.
   */
  openTrace(traceJson: unknown): Promise<TraceReply>;
  /** Reads a trace file the user picked, in the worker (parsing a large file on the page would freeze it), and opens it as {@link openTrace} does. */
  openTraceFile(file: Blob): Promise<TraceReply>;
  /**
   * Reads a PyTorch memory snapshot file the user opened or dropped (JSON read in the
   * worker) into a trace kept in the store, and its allocation sequence for a replay; or
   * every problem with its path. Touches no WebGPU.
   */
  openSnapshotFile(file: Blob): Promise<SnapshotReply>;
  /**
   * Re-runs an open snapshot's allocation sequence on the worker's WebGPU device under a
   * budget and an allocator model (`chunkscope replay-snapshot`): the first request that
   * fails with the model's figures then, or the peaks it fits in. Refused while a run or
   * soak is in flight (`RUN_IN_PROGRESS`), for a snapshot no longer open
   * (`UNKNOWN_SNAPSHOT`), for settings out of range (`INVALID_SETTINGS`), without a device (`NO_DEVICE`).
   */
  replaySnapshot(traceId: number, settings: SnapshotReplaySettings): Promise<SnapshotReplayReply>;
  /**
   * Soaks a scenario on the worker's device: runs it again and again, sampling live
   * device bytes, live buffers and the JS heap after each cycle. `onCycles` gets the
   * samples as they come, batched like run updates. Cancel ends it; one run or soak at a time.
   */
  soak(scenarioJson: unknown, settings: SoakSettings, onCycles?: (samples: SoakSample[]) => void): Promise<SoakReply>;
  /** Validates a workload (any JSON value; a scenario is a workload of one job) and plans every job, as `chunkscope plan` does. */
  planWorkload(workloadJson: unknown): Promise<WorkloadPlanReply>;
  /**
   * Runs a workload: each lane a Web Worker with its own GPUDevice, every allocation
   * counted in one device ledger shared by all lanes. `onJob` (a `Comlink.proxy`) hears
   * each job start and end. Cancel ends every lane. One run, soak or workload at a time.
   */
  runWorkload(workloadJson: unknown, onJob?: (update: WorkloadJobUpdate) => void): Promise<WorkloadRunReply>;
  /**
   * The finished runs of {@link OutputsOffer} `id` as one `.zip` (the `.npy` files and
   * `manifest.json`), its buffer transferred; undefined once a later run replaced them.
   */
  outputsZip(id: number): Promise<Uint8Array | undefined>;
  /** Cancels the run or soak in flight, if any: it ends after the current phase with no buffer live. */
  cancel(): Promise<void>;
  /** The timeline's window of a stored trace (and another trace's device line over it); undefined once the trace is forgotten. */
  timelineView(traceId: number, query: TimelineQuery, compareTraceId?: number): Promise<{ view: TimelineView; compare?: CompareLine } | undefined>;
  /** The allocation or free at a sample of a stored trace, or at the step drawn at `x` on the axis. */
  timelineSample(traceId: number, at: TimelineSampleAt, axis: TimelineAxis, stackBy: StackBy): Promise<SampleDetail | undefined>;
  /** Where a chunk's rows lie in a stored trace's event log: what stepping through chunks highlights. */
  logChunkRows(traceId: number, chunk: number): Promise<ChunkRows>;
  /** A page of a stored trace's event log, filtered by kind and a search over kind and label. */
  logPage(traceId: number, filter: LogFilter, from: number, count: number): Promise<LogPage>;
  /** Where an event (by trace index, or the first at or after a time) sits in the filtered log. */
  logLocate(traceId: number, filter: LogFilter, at: { eventIndex: number } | { t: number }): Promise<{ eventIndex: number; position: number }>;
  /** A stored trace as a download: the trace file, the Chrome trace or the timeline CSV. */
  exportTrace(traceId: number, format: TraceExport): Promise<string | undefined>;
  /** Forgets every stored trace but these (what the page still shows); a run's own trace is kept while it goes on. */
  keepTraces(traceIds: number[]): Promise<void>;
}
