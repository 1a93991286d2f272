/**
 * The one owner of the simulator worker on the main thread.
 *
 * Comlink never rejects a call when the worker dies (a script error, a crash, a
 * terminate), so every call here is raced against the worker's `error` event and
 * against `dispose()`; a caller never waits forever.
 */
import * as Comlink from 'comlink';
import type { SampleDetail, StackBy, TimelineAxis } from '../core/timeline-view.ts';
import type { SoakSample } from '../engine/index.ts';
import type {
  BackendChoice,
  ChunkRows,
  CompareLine,
  DeviceInfo,
  LegacyImport,
  LinkedScenario,
  LinkedWorkload,
  LinkReply,
  LogFilter,
  LogPage,
  PlanReply,
  RunReply,
  RunUpdate,
  SimulatorApi,
  SnapshotReplayReply,
  SnapshotReplaySettings,
  SnapshotReply,
  SoakReply,
  SoakSettings,
  TimelineQuery,
  TimelineSampleAt,
  TimelineView,
  TraceExport,
  TraceReply,
  WorkloadJobUpdate,
  WorkloadPlanReply,
  WorkloadRunReply,
} from './simulator-api.ts';

/** Why a call to the worker did not complete. `name` is what to check across realms, not `instanceof`. */
export class SimulatorUnavailableError extends Error {
  override name = 'SimulatorUnavailableError';
}

/** Starts the worker the app ships with. */
function startSimulatorWorker(): Worker {
  return new Worker(new URL('./simulator.worker.ts', import.meta.url), { type: 'module', name: 'chunkscope simulator' });
}

/** A comlink client over one simulator worker; call {@link SimulatorClient.dispose} when done. */
export class SimulatorClient {
  readonly #worker: Worker;
  readonly #remote: Comlink.Remote<SimulatorApi>;
  readonly #stopped: Promise<never>;
  #stop!: (error: Error) => void;
  #disposed = false;

  constructor(worker: Worker = startSimulatorWorker()) {
    this.#worker = worker;
    this.#remote = Comlink.wrap<SimulatorApi>(worker);
    this.#stopped = new Promise<never>((_, reject) => {
      this.#stop = reject;
    });
    // Nobody may be awaiting a call when the worker fails; that is not an unhandled error.
    this.#stopped.catch(() => {});
    worker.addEventListener('error', this.#onError);
    worker.addEventListener('messageerror', this.#onMessageError);
  }

  /** Validates and plans a scenario in the worker. */
  plan(scenarioJson: unknown): Promise<PlanReply> {
    // Comlink's Remote<> distributes over the union; the reply is the union as declared.
    return this.#call(() => this.#remote.plan(scenarioJson) as Promise<PlanReply>);
  }

  /** The WebGPU adapter the worker sees. */
  deviceInfo(): Promise<DeviceInfo> {
    return this.#call(() => this.#remote.deviceInfo() as Promise<DeviceInfo>);
  }

  /** The link fragment for a scenario, made in the worker (where the validator lives). */
  linkFor(scenarioJson: unknown): Promise<LinkReply> {
    return this.#call(() => this.#remote.linkFor(scenarioJson) as Promise<LinkReply>);
  }

  /** The scenario a URL fragment carries, read in the worker. */
  readLink(fragment: string): Promise<LinkedScenario | LinkedWorkload> {
    return this.#call(() => this.#remote.readLink(fragment) as Promise<LinkedScenario | LinkedWorkload>);
  }

  /** Converts legacy array requests into a scenario in the worker, where the converter lives. */
  importRequests(requestsJson: unknown, name: string): Promise<LegacyImport> {
    return this.#call(() => this.#remote.importRequests(requestsJson, name) as Promise<LegacyImport>);
  }

  /** Runs a scenario in the worker; `onUpdate` gets batched progress and trace events (the worker releases it when the run ends). */
  run(scenarioJson: unknown, onUpdate: (update: RunUpdate) => void, backend: BackendChoice = 'auto'): Promise<RunReply> {
    return this.#call(() => this.#remote.run(scenarioJson, Comlink.proxy(onUpdate), backend) as Promise<RunReply>);
  }

  /** Soaks a scenario in the worker; `onCycles` gets each cycle's sample, batched (the worker releases it when the soak ends). */
  soak(scenarioJson: unknown, settings: SoakSettings, onCycles: (samples: SoakSample[]) => void): Promise<SoakReply> {
    return this.#call(() => this.#remote.soak(scenarioJson, settings, Comlink.proxy(onCycles)) as Promise<SoakReply>);
  }

  /** Re-renders a saved trace's report in the worker, where the engine lives; nothing runs. */
  openTrace(traceJson: unknown): Promise<TraceReply> {
    return this.#call(() => this.#remote.openTrace(traceJson) as Promise<TraceReply>);
  }

  /** Reads a picked trace file in the worker and re-renders its report there. */
  openTraceFile(file: Blob): Promise<TraceReply> {
    return this.#call(() => this.#remote.openTraceFile(file) as Promise<TraceReply>);
  }

  /** Reads a picked or dropped PyTorch snapshot in the worker and keeps its trace there. */
  openSnapshotFile(file: Blob): Promise<SnapshotReply> {
    return this.#call(() => this.#remote.openSnapshotFile(file) as Promise<SnapshotReply>);
  }

  /** Replays an open snapshot on the worker's WebGPU device under a budget and an allocator model. */
  replaySnapshot(traceId: number, settings: SnapshotReplaySettings): Promise<SnapshotReplayReply> {
    return this.#call(() => this.#remote.replaySnapshot(traceId, settings) as Promise<SnapshotReplayReply>);
  }

  /** The timeline's window of a stored trace, one bucket per pixel column. */
  timelineView(traceId: number, query: TimelineQuery, compareTraceId?: number): Promise<{ view: TimelineView; compare?: CompareLine } | undefined> {
    return this.#call(() => this.#remote.timelineView(traceId, query, compareTraceId));
  }

  /** The allocation or free at a sample (or an axis position) of a stored trace. */
  timelineSample(traceId: number, at: TimelineSampleAt, axis: TimelineAxis, stackBy: StackBy): Promise<SampleDetail | undefined> {
    return this.#call(() => this.#remote.timelineSample(traceId, at, axis, stackBy));
  }

  /** Where a chunk's rows lie in a stored trace's event log. */
  logChunkRows(traceId: number, chunk: number): Promise<ChunkRows> {
    return this.#call(() => this.#remote.logChunkRows(traceId, chunk));
  }

  /** A page of a stored trace's event log. */
  logPage(traceId: number, filter: LogFilter, from: number, count: number): Promise<LogPage> {
    return this.#call(() => this.#remote.logPage(traceId, filter, from, count));
  }

  /** Where an event sits in a stored trace's filtered log. */
  logLocate(traceId: number, filter: LogFilter, at: { eventIndex: number } | { t: number }): Promise<{ eventIndex: number; position: number }> {
    return this.#call(() => this.#remote.logLocate(traceId, filter, at));
  }

  /** A stored trace as the text of a download. */
  exportTrace(traceId: number, format: TraceExport): Promise<string | undefined> {
    return this.#call(() => this.#remote.exportTrace(traceId, format));
  }

  /** Lets the worker forget every stored trace but these. */
  keepTraces(traceIds: number[]): Promise<void> {
    return this.#call(() => this.#remote.keepTraces(traceIds));
  }

  /** Validates and plans a workload in the worker. */
  planWorkload(workloadJson: unknown): Promise<WorkloadPlanReply> {
    return this.#call(() => this.#remote.planWorkload(workloadJson) as Promise<WorkloadPlanReply>);
  }

  /** Runs a workload on lane workers started by the simulator worker; `onJob` hears each job start and end. */
  runWorkload(workloadJson: unknown, onJob: (update: WorkloadJobUpdate) => void): Promise<WorkloadRunReply> {
    return this.#call(() => this.#remote.runWorkload(workloadJson, Comlink.proxy(onJob)) as Promise<WorkloadRunReply>);
  }

  /** The finished runs of an outputs offer as one zip, moved (not copied) out of the worker; undefined once replaced. */
  outputsZip(id: number): Promise<Uint8Array | undefined> {
    return this.#call(() => this.#remote.outputsZip(id));
  }

  /** Asks the worker to cancel the run in flight. */
  cancel(): Promise<void> {
    return this.#call(() => this.#remote.cancel());
  }

  /** Releases the comlink proxy and terminates the worker; pending and later calls reject. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stop(new SimulatorUnavailableError('the simulator worker was stopped'));
    this.#worker.removeEventListener('error', this.#onError);
    this.#worker.removeEventListener('messageerror', this.#onMessageError);
    this.#remote[Comlink.releaseProxy]();
    this.#worker.terminate();
  }

  #call<T>(send: () => Promise<T>): Promise<T> {
    if (this.#disposed) return Promise.reject(new SimulatorUnavailableError('the simulator worker was stopped'));
    return Promise.race([send(), this.#stopped]);
  }

  #onError = (event: ErrorEvent) => {
    // A module worker that fails to load reports an ErrorEvent without a message.
    const detail = event.message || 'the worker script failed to load or threw outside a call';
    this.#stop(new SimulatorUnavailableError(`the simulator worker failed: ${detail}`));
  };

  #onMessageError = () => {
    this.#stop(new SimulatorUnavailableError('a message from the simulator worker could not be read'));
  };
}
