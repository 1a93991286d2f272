/**
 * The simulator's module worker: everything that touches WebGPU runs here, never on the
 * main thread, so a slow adapter request or a long run cannot freeze the page.
 */
import * as Comlink from 'comlink';
import { importLegacyRequests } from '../core/legacy-requests.ts';
import { parseScenario, kLimitNames, type Limits } from '../core/scenario.ts';
import { scenarioFromFragment, scenarioToFragment } from '../core/scenario-link.ts';
import { parseTraceFile } from '../core/trace-file.ts';
import { kDtypes } from '../core/dtypes.ts';
import type { TraceEvent } from '../core/trace.ts';
import { explainPlan } from '../core/plan-arithmetic.ts';
import type { Scenario } from '../core/scenario.ts';
import { adapterWords, prepareRun, reportFromTrace, requestEngineDevice, runPrepared, runSoak, type SoakSample } from '../engine/index.ts';
import { whatIfFor } from '../engine/what-if-for.ts';
import { kSoakDefaults } from '../core/soak.ts';
import { RunUpdateBatcher, type RunUpdate } from './run-updates.ts';
import { kProgressIntervalMs, type BackendChoice, type DeviceInfo, type LegacyImport, type LinkedScenario, type LinkReply, type PlanReply, type RunReply, type SimulatorApi, type SoakReply, type SoakSettings, type TraceReply } from './simulator-api.ts';
import { TraceStore } from './trace-store.ts';
import { OpenSnapshots, readReplaySettings } from './open-snapshots.ts';
import { replayAllocator, replaySnapshot } from '../engine/snapshot-replay.ts';
import type { SnapshotReplayReply, SnapshotReply } from './simulator-api.ts';
import { reportView } from './report-view.ts';
import { planWorkloadReply, runWorkloadReply } from './workload-replies.ts';
import { isWorkloadJson } from '../core/workload.ts';
import { workloadFromFragment, workloadToFragment, type LinkedWorkload } from '../core/workload-link.ts';
import type { WorkloadJobUpdate, WorkloadPlanReply, WorkloadRunReply } from './simulator-api.ts';
import { outputsRefusal, OutputsStore, type OutputsSlot } from './outputs-store.ts';
import { KeptOutputs } from '../engine/kept-outputs.ts';
import type { OutputsOffer } from './simulator-api.ts';

// One adapter request per worker: the answer does not change while the page lives,
// and a fresh request on every keystroke would cost more than the plan itself.
let adapterRequest: Promise<GPUAdapter | null> | undefined;

function requestAdapter(): Promise<GPUAdapter | null> {
  if (!('gpu' in navigator) || !navigator.gpu) return Promise.resolve(null);
  adapterRequest ??= navigator.gpu.requestAdapter().catch(() => null);
  return adapterRequest;
}

/** The adapter behind the last device requested, in words. */
let lastAdapterWords = 'WebGPU';

/**
 * A device for the engine from a fresh adapter. After a GPU-process crash the old
 * adapter cannot give another device, so each request asks `navigator.gpu` anew (and
 * the cached adapter for planning is replaced with it).
 */
async function requestFreshDevice(): Promise<GPUDevice> {
  if (!('gpu' in navigator) || !navigator.gpu) throw new Error('this browser exposes no WebGPU in workers');
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() gave no adapter');
  adapterRequest = Promise.resolve(adapter);
  lastAdapterWords = adapterWords(adapter);
  const device = await requestEngineDevice(adapter, 'chunkscope run');
  // The engine captures its own errors in scopes; anything else is a bug worth seeing in the console.
  device.addEventListener('uncapturederror', (e) => console.error('chunkscope: uncaptured WebGPU error:', (e as GPUUncapturedErrorEvent).error.message));
  return device;
}

/**
 * The device runs share while it lives, so the kernels compiled on it (cached per device,
 * engine/kernel-cache.ts) serve every later run; a lost one is replaced at the next run.
 */
let shared: { device: GPUDevice; words: string; lost: boolean } | undefined;

async function sharedDevice(): Promise<{ device: GPUDevice; words: string }> {
  if (shared && !shared.lost) return shared;
  const device = await requestFreshDevice();
  const entry = { device, words: lastAdapterWords, lost: false };
  device.lost.then(() => {
    entry.lost = true;
  });
  shared = entry;
  return entry;
}

/** Aborts the run in flight; one run at a time per worker. */
let running: AbortController | undefined;

/** Every trace the page shows, and the run's in flight. */
const traces = new TraceStore();
/** The trace of the run in flight, kept whatever the page says it shows. */
let runningTrace: number | undefined;
/** PyTorch snapshots open on the page: their traces are in `traces`, their allocation sequences here. */
const snapshots = new OpenSnapshots(traces);

/** The last run's and the last soak's finished outputs, for "Download finished runs". */
const keptOutputs = new OutputsStore();

/** What the page is offered: the closed sink's files, or why there are none (over the cap, or a soak with no cycle run). */
function offerOf(slot: OutputsSlot, sink: KeptOutputs | undefined, refused: string | undefined): OutputsOffer {
  if (refused !== undefined) return { kept: false, reason: refused };
  return sink?.kept ? keptOutputs.put(slot, sink.kept) : { kept: false, reason: 'No cycle ran, so no run finished.' };
}

/** The planner-relevant limits of the real adapter, so a scenario asking for more is reported. */
async function adapterLimits(): Promise<Partial<Limits> | undefined> {
  const adapter = await requestAdapter();
  if (!adapter) return undefined;
  return Object.fromEntries(kLimitNames.map((name) => [name, adapter.limits[name]]));
}

/** Copies the enumerable attributes of a WebIDL object (its getters live on the prototype). */
function copyAttributes<T>(source: object, keep: (value: unknown) => value is T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key in source) {
    const value = (source as Record<string, unknown>)[key];
    if (keep(value)) out[key] = value;
  }
  return out;
}

const isScalar = (x: unknown): x is string | number | boolean =>
  typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
const isNumber = (x: unknown): x is number => typeof x === 'number';

/** Whether every array of the scenario has a dtype the WebGPU backend stores (f64 does not). */
function webgpuCanRun(scenario: Scenario): boolean {
  return scenario.arrays.every((a) => kDtypes[a.dtype].webgpu);
}

/** One run on the worker's device or the CPU backend, its trace events streamed to `onUpdate` in batches. */
async function runOnce(scenarioJson: unknown, onUpdate: ((update: RunUpdate) => void) | undefined, choice: BackendChoice): Promise<RunReply> {
  if (running) return { ok: false, error: { code: 'RUN_IN_PROGRESS', message: 'a run is already in flight in this worker — cancel it or wait for it' } };
  // Claimed before the first await: a second run arriving meanwhile must find it taken.
  const abort = new AbortController();
  running = abort;
  const trace = traces.create();
  runningTrace = trace.id;
  const updates = new RunUpdateBatcher(trace.id, onUpdate, kProgressIntervalMs);
  let device: GPUDevice | undefined;
  /** Devices that replaced a lost one during this run: the ladder's, destroyed when it ends. */
  const devices: GPUDevice[] = [];
  try {
    // Planned before any device is asked for, so an infeasible scenario is answered at once.
    const prepared = prepareRun(scenarioJson, { adapterLimits: await adapterLimits() });
    if (!prepared.ok) return prepared;
    const { scenario } = prepared.run;
    // The finished runs are kept for download, up to a cap; outputs over it are checked chunk by chunk and let go.
    const refused = outputsRefusal(scenario);
    keptOutputs.forget('run');
    const sink = refused === undefined ? new KeptOutputs(scenario) : undefined;
    const record = (event: TraceEvent) => {
      trace.append(event);
      updates.event();
    };
    // auto leaves WebGPU for the CPU where WebGPU cannot run the scenario (f64) or the browser has no adapter.
    if (choice === 'cpu' || (choice === 'auto' && (!webgpuCanRun(scenario) || !(await requestAdapter())))) {
      const outcome = await runPrepared(prepared.run, { backend: 'cpu', signal: abort.signal, outputs: sink ?? 'discard', onProgress: updates.progress, onEvent: record });
      if (!outcome.ok) return outcome;
      const { outputs: _outputs, ...report } = outcome.report;
      const words = 'the CPU backend in the browser (no WebGPU)';
      trace.finish({ scenario, device: words, outcome: report });
      return { ok: true, report: reportView(report, trace.id, traces), scenario, device: words, outputs: offerOf('run', sink, refused) };
    }
    let adapterWords: string;
    try {
      const got = await sharedDevice();
      device = got.device;
      adapterWords = `WebGPU in the browser: ${got.words}`;
    } catch (error) {
      return { ok: false, error: { code: 'NO_DEVICE', message: `no WebGPU device for the run: ${(error as Error).message}` } };
    }
    const outcome = await runPrepared(prepared.run, {
      backend: 'webgpu',
      device,
      requestDevice: async () => {
        const fresh = await requestFreshDevice();
        devices.push(fresh);
        return fresh;
      },
      signal: abort.signal,
      outputs: sink ?? 'discard',
      onProgress: updates.progress,
      onEvent: record,
    });
    if (!outcome.ok) return outcome;
    // Outputs went to the kept files or were let go: the report holds no host arrays.
    const { outputs: _outputs, ...report } = outcome.report;
    trace.finish({ scenario, device: adapterWords, outcome: report });
    return { ok: true, report: reportView(report, trace.id, traces), scenario, device: adapterWords, outputs: offerOf('run', sink, refused) };
  } finally {
    updates.flush();
    for (const d of devices) d.destroy();
    running = undefined;
    runningTrace = undefined;
  }
}

/** A saved trace re-rendered as a report, its events moved into the store for the views to ask for. */
function openTrace(traceJson: unknown): TraceReply {
  const parsed = parseTraceFile(traceJson);
  if (!parsed.ok) return parsed;
  const replayed = reportFromTrace(parsed.trace);
  if (!replayed.ok) return replayed;
  const stored = traces.create();
  for (const event of parsed.trace.events) stored.append(event);
  const { scenario, device } = parsed.trace;
  stored.finish({ scenario, device, outcome: replayed.report });
  return { ok: true, report: reportView(replayed.report, stored.id, traces), scenario, device };
}

/** A snapshot's allocation sequence re-run on the shared device; one run, soak or replay at a time. */
async function replayOnce(traceId: unknown, settingsJson: unknown): Promise<SnapshotReplayReply> {
  if (running) return { ok: false, error: { code: 'RUN_IN_PROGRESS', message: 'a run or soak is in flight in this worker — cancel it or wait for it' } };
  const requests = snapshots.requests(traceId);
  if (!requests) return { ok: false, error: { code: 'UNKNOWN_SNAPSHOT', message: 'the snapshot is no longer open — open it again' } };
  const read = readReplaySettings(settingsJson);
  if (!read.ok) return { ok: false, error: { code: 'INVALID_SETTINGS', message: read.message } };
  // Claimed before the first await, as a run claims it: a run arriving meanwhile is refused.
  running = new AbortController();
  try {
    let got: { device: GPUDevice; words: string };
    try {
      got = await sharedDevice();
    } catch (error) {
      return { ok: false, error: { code: 'NO_DEVICE', message: `no WebGPU device for the replay: ${(error as Error).message}` } };
    }
    const { settings } = read;
    const { events: _events, ...outcome } = await replaySnapshot(got.device, requests, { budgetBytes: settings.budgetBytes, allocator: replayAllocator(settings.model) });
    return { ok: true, outcome, device: `WebGPU in the browser: ${got.words}` };
  } finally {
    running = undefined;
  }
}

/** The JS heap in use, where the browser tells (Chromium's performance.memory), else 0. */
function heapBytes(): number {
  return (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
}

/** One soak on a fresh device of this worker; samples reach `onCycles` at most once per interval. */
async function soakOnce(scenarioJson: unknown, settings: SoakSettings, onCycles?: (samples: SoakSample[]) => void): Promise<SoakReply> {
  if (running) return { ok: false, error: { code: 'RUN_IN_PROGRESS', message: 'a run is already in flight in this worker — cancel it or wait for it' } };
  const abort = new AbortController();
  running = abort;
  let device: GPUDevice | undefined;
  let pending: SoakSample[] = [];
  let lastSent = -Infinity;
  const flush = () => {
    if (pending.length) onCycles?.(pending);
    pending = [];
    lastSent = performance.now();
  };
  try {
    const prepared = prepareRun(scenarioJson, { adapterLimits: await adapterLimits() });
    if (!prepared.ok) return prepared;
    try {
      device = await requestFreshDevice();
    } catch (error) {
      return { ok: false, error: { code: 'NO_DEVICE', message: `no WebGPU device for the soak: ${(error as Error).message}` } };
    }
    const own = prepared.run.scenario.soak;
    // Each cycle gets a sink of its own; the last cycle's (whole, or the finished prefix of a stopped one) is kept, as `soak --outputs` keeps its files.
    const refused = outputsRefusal(prepared.run.scenario);
    keptOutputs.forget('soak');
    let last: KeptOutputs | undefined;
    const stopAtBytes = settings.stopAtBytes ?? own?.stopAtBytes;
    const soak = await runSoak(prepared.run, {
      backend: 'webgpu',
      device,
      cycles: settings.cycles ?? own?.cycles ?? 10,
      ...(stopAtBytes !== undefined && { stopAtBytes }),
      limits: { ...kSoakDefaults, maxGrowthBytesPerCycle: settings.maxGrowthBytes ?? own?.maxGrowthBytes ?? 0 },
      hostBytes: heapBytes,
      signal: abort.signal,
      outputsFor: () => (refused === undefined ? (last = new KeptOutputs(prepared.run.scenario)) : 'discard'),
      onCycle: (sample) => {
        pending.push(sample);
        if (performance.now() - lastSent >= kProgressIntervalMs) flush();
      },
    });
    return { ok: true, soak, outputs: offerOf('soak', last, refused) };
  } finally {
    flush();
    device?.destroy();
    running = undefined;
  }
}

const simulator: SimulatorApi = {
  async plan(scenarioJson: unknown): Promise<PlanReply> {
    const where = { adapterLimits: await adapterLimits() };
    const prepared = prepareRun(scenarioJson, where);
    const whatIf = () => {
      const reply = whatIfFor(scenarioJson, where);
      return reply.ok ? reply.rows : [];
    };
    if (prepared.ok) {
      const { plan, scenario } = prepared.run;
      return { ok: true, plan, arithmetic: explainPlan(plan, { headroom: scenario.planner.headroom }), whatIf: whatIf() };
    }
    const { error } = prepared;
    return 'issues' in error ? { ok: false, error: { code: error.code, message: error.message, path: error.path }, issues: error.issues } : { ok: false, error, whatIf: whatIf() };
  },

  async deviceInfo(): Promise<DeviceInfo> {
    if (!('gpu' in navigator) || !navigator.gpu) {
      return {
        available: false,
        reason: 'this browser exposes no WebGPU in workers — use a recent Chromium (headless needs --enable-unsafe-webgpu) on https or 127.0.0.1',
      };
    }
    const adapter = await requestAdapter();
    if (!adapter) {
      return { available: false, reason: 'navigator.gpu.requestAdapter() gave no adapter — this machine offers no WebGPU device' };
    }
    return {
      available: true,
      adapter: copyAttributes(adapter.info, isScalar),
      limits: copyAttributes(adapter.limits, isNumber),
      features: [...adapter.features].sort(),
    };
  },

  async linkFor(scenarioJson: unknown): Promise<LinkReply> {
    if (isWorkloadJson(scenarioJson)) return workloadToFragment(scenarioJson);
    const parsed = parseScenario(scenarioJson);
    return parsed.ok ? { ok: true, fragment: scenarioToFragment(parsed.scenario) } : { ok: false, issues: parsed.issues };
  },

  async readLink(fragment: string): Promise<LinkedScenario | LinkedWorkload> {
    const workload = workloadFromFragment(fragment);
    return workload.kind === 'none' ? scenarioFromFragment(fragment) : workload;
  },

  async importRequests(requestsJson: unknown, name: string): Promise<LegacyImport> {
    return importLegacyRequests(requestsJson, { name });
  },

  async run(scenarioJson: unknown, onUpdate?: (update: RunUpdate) => void, backend: BackendChoice = 'auto'): Promise<RunReply> {
    try {
      return await runOnce(scenarioJson, onUpdate, backend);
    } finally {
      // The callback is a comlink proxy: release its port, or every run (refused or not) leaks one.
      (onUpdate as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.();
    }
  },

  async openTrace(traceJson: unknown): Promise<TraceReply> {
    return openTrace(traceJson);
  },

  async openTraceFile(file: Blob): Promise<TraceReply> {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (error) {
      return { ok: false, message: `the file is not JSON (${(error as Error).message})` };
    }
    return openTrace(json);
  },

  async openSnapshotFile(file: Blob): Promise<SnapshotReply> {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (error) {
      return { ok: false, message: `the file is not JSON (${(error as Error).message})`, issues: [] };
    }
    return snapshots.open(json);
  },

  async replaySnapshot(traceId, settings): Promise<SnapshotReplayReply> {
    return replayOnce(traceId, settings);
  },

  async soak(scenarioJson: unknown, settings: SoakSettings, onCycles?: (samples: SoakSample[]) => void): Promise<SoakReply> {
    try {
      return await soakOnce(scenarioJson, settings, onCycles);
    } finally {
      (onCycles as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.();
    }
  },

  async planWorkload(workloadJson: unknown): Promise<WorkloadPlanReply> {
    return planWorkloadReply(workloadJson, await adapterLimits());
  },

  async runWorkload(workloadJson: unknown, onJob?: (update: WorkloadJobUpdate) => void): Promise<WorkloadRunReply> {
    try {
      if (running) return { ok: false, error: { code: 'RUN_IN_PROGRESS', message: 'a run is already in flight in this worker — cancel it or wait for it' } };
      const abort = new AbortController();
      running = abort;
      try {
        return await runWorkloadReply({ json: workloadJson, adapterLimits: await adapterLimits(), signal: abort.signal, ...(onJob && { onJob }) });
      } finally {
        running = undefined;
      }
    } finally {
      (onJob as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.();
    }
  },

  async outputsZip(id: number): Promise<Uint8Array | undefined> {
    const zip = keptOutputs.zip(id);
    // Moved, not copied: a zip of 100 MiB must not exist twice.
    return zip && Comlink.transfer(zip, [zip.buffer]);
  },

  async cancel(): Promise<void> {
    running?.abort();
  },

  async timelineView(traceId, query, compareTraceId) {
    return traces.view(traceId, query, compareTraceId);
  },

  async timelineSample(traceId, at, axis, stackBy) {
    return traces.sample(traceId, at, axis, stackBy);
  },

  async logChunkRows(traceId, chunk) {
    return traces.chunkRows(traceId, chunk);
  },

  async logPage(traceId, filter, from, count) {
    return traces.log(traceId, filter, from, count);
  },

  async logLocate(traceId, filter, at) {
    return traces.locate(traceId, filter, at);
  },

  async exportTrace(traceId, format) {
    return traces.exportText(traceId, format);
  },

  async keepTraces(traceIds) {
    traces.keep(traceIds, runningTrace);
    snapshots.prune();
  },
};

Comlink.expose(simulator);
