/**
 * Runs a prepared workload (DESIGN.md, "Workloads"), wherever lanes are workers: each
 * lane a worker with its own GPUDevice (lane-jobs.ts), one device ledger in shared memory
 * for all of them. `per-lane` isolation gives a lane one worker for all its jobs;
 * `per-job` a fresh worker (and device) for each. With `parentHoldsDevice` the
 * coordinator opens a device first and, in exclusive mode without MPS, holds it for the
 * whole workload. Node's lanes are worker_threads threads (node-lanes.ts), the browser's
 * Web Workers (src/worker/browser-lanes.ts): a {@link LaneHost} says how to start one.
 *
 * Lifetimes are exact: a worker that ends has destroyed its devices and released its
 * ledger bytes; Cancel reaches every worker and no new one starts; a worker that dies
 * (an error, a crash) is reported on its jobs, its ledger bytes are released for it, and
 * the other lanes go on.
 */
import { DeviceLedger, type LedgerPeakSetter } from './device-ledger.ts';
import type { JobFailure, LaneCommand, LaneJob, LaneMessage, LaneWorkerData } from './lane-protocol.ts';
import type { PreparedWorkload } from './prepare-workload.ts';
import type { ReportedRun } from './run-report.ts';
/** How a job of a workload ended. `placed`: a weight-only job, placed and not run. */
export type JobStatus = ReportedRun['status'] | 'crashed' | 'placed';

/** One job after the workload ran. Times are milliseconds since the workload's start. */
export interface JobRun {
  index: number;
  status: JobStatus;
  report?: ReportedRun;
  /** Why the job gave no report, or its report's error. */
  failure?: JobFailure;
  start?: number;
  end?: number;
}

/** One lane after the workload ran. */
export interface LaneRun {
  /** Workers it started: 1 with `per-lane` isolation, one a job with `per-job`. */
  workers: number;
  /** Devices its workers made and did not see go (always 0 unless something leaked). */
  devicesLeft: number;
  heldBuffersLeft: number;
  /** Why a worker of this lane died, if one did. */
  crashed?: string;
  uncaptured: string[];
}

/** What a workload's run leaves behind. */
export interface WorkloadRun {
  jobs: JobRun[];
  lanes: LaneRun[];
  device: {
    budgetBytes: number;
    /** Most device bytes live at once over every lane, from the ledger. */
    peakBytes: number;
    setBy: LedgerPeakSetter | null;
    /** Bytes the ledger still counts after every worker ended (always 0 unless something leaked). */
    liveBytesAfter: number;
  };
  /** The device the parent opened first, when `parentHoldsDevice`. */
  parent?: { devicesLeft: number };
  wallMs: number;
}

/** How to run a workload. */
export interface WorkloadRunOptions {
  /** Cancels every lane: running jobs stop after their current phase, queued jobs do not start. */
  signal?: AbortSignal;
  /** Verify every job's outputs (default true). */
  verify?: boolean;
  /** Hears each job start and end, for progress. */
  onJob?: (job: JobRun) => void;
}

/** One lane worker as the coordinator sees it. */
export interface LaneWorkerHandle {
  post(command: LaneCommand): void;
  /** Ends the worker; `exit` follows. */
  terminate(): void;
}

/** What a started lane worker reports to the coordinator. */
export interface LaneWorkerEvents {
  message(message: LaneMessage): void;
  /** The worker threw or failed to load: why, before its `exit`. */
  error(message: string): void;
  /** The worker is gone, whether it ended or died: called once. */
  exit(): void;
}

/** How lanes are started where the workload runs, and the device the coordinator opens first. */
export interface LaneHost {
  /** A device for the coordinator itself (no lane starts without one), with the adapter in words. */
  probe(): Promise<{ ok: true; device: GPUDevice; adapter: string } | { ok: false; message: string }>;
  startWorker(data: LaneWorkerData, events: LaneWorkerEvents): LaneWorkerHandle;
}

/** The parent's worker token; lanes' workers count up from 2 (0 means no holder). */
const kParentToken = 1;

/** The outcome of {@link runWorkloadLanes}: a run, or no WebGPU adapter to run it on. */
export type WorkloadRunOutcome = { ok: true; run: WorkloadRun; adapter: string } | { ok: false; error: { code: 'NO_DEVICE'; message: string } };

/** Runs every job of a prepared workload on its lane, started by `host`; never throws for a job's failure. */
export async function runWorkloadLanes(prepared: PreparedWorkload, host: LaneHost, options: WorkloadRunOptions = {}): Promise<WorkloadRunOutcome> {
  const { workload, jobs } = prepared;
  // Found here first: no lane starts without an adapter (and in Node the lanes' threads inherit where it was found).
  const probe = await host.probe();
  if (!probe.ok) return { ok: false, error: { code: 'NO_DEVICE', message: probe.message } };
  const t0 = performance.timeOrigin + performance.now();
  const laneCount = workload.lanes.length;
  const parentHolder = laneCount;
  const ledger = DeviceLedger.create({
    budgetBytes: workload.device.budgetBytes,
    holders: [...workload.lanes.map((l) => l.name), 'parent'],
    jobNames: jobs.map((j) => j.name),
    exclusive: workload.device.mode === 'exclusive' && !workload.device.mps,
  });
  const results: JobRun[] = jobs.map((job) => ({ index: job.index, status: job.run ? 'cancelled' : 'placed' }));
  const lanes: LaneRun[] = workload.lanes.map(() => ({ workers: 0, devicesLeft: 0, heldBuffersLeft: 0, uncaptured: [] }));
  const active = new Set<LaneWorkerHandle>();
  const onAbort = () => {
    for (const worker of active) worker.post({ type: 'cancel' });
  };
  options.signal?.addEventListener('abort', onAbort);

  const laneJobs = (lane: number): LaneJob[] =>
    prepared.placement.lanes[lane].jobs
      .map((i) => jobs[i])
      .filter((job) => job.run)
      .map((job) => ({ index: job.index, scenario: job.scenario!, holdsMemoryUntilExit: job.holdsMemoryUntilExit }));

  let parentDevice: GPUDevice | undefined;
  if (workload.parentHoldsDevice) {
    parentDevice = probe.device;
    // A context opened by the parent: in exclusive mode nobody else gets the device while it lives.
    ledger.claim(parentHolder, kParentToken);
  } else {
    probe.device.destroy();
  }
  let nextToken = kParentToken + 1;
  // The first worker of every lane gets its device before any starts, so the lanes run together, as stream groups do.
  let waiting = workload.lanes.filter((_, lane) => laneJobs(lane).length > 0).length;
  let release!: () => void;
  const together = new Promise<void>((resolve) => (release = resolve));
  const arrived = () => {
    if (--waiting <= 0) release();
  };
  if (waiting === 0) release();

  const runWorker = (lane: number, laneJobs: LaneJob[]) =>
    new Promise<void>((resolve) => {
      const token = nextToken++;
      const data: LaneWorkerData = { ledger: ledger.shared, holder: lane, token, t0, verify: options.verify ?? true, jobs: laneJobs };
      let ended = false;
      let ready = false;
      let error: string | undefined;
      const worker: LaneWorkerHandle = host.startWorker(data, {
        message: (message) => {
          switch (message.type) {
            case 'job-start':
              results[message.job] = { index: message.job, status: 'cancelled', start: message.t };
              options.onJob?.(results[message.job]);
              break;
            case 'job-done': {
              const { report, failure } = message;
              results[message.job] = {
                index: message.job,
                status: report ? report.status : failure?.code === 'CANCELLED' ? 'cancelled' : 'error',
                ...(report && { report }),
                ...(failure ? { failure } : report?.error && { failure: { code: report.error.code, message: report.error.message } }),
                start: message.start,
                end: message.end,
              };
              options.onJob?.(results[message.job]);
              break;
            }
            case 'lane-end':
              ended = true;
              lanes[lane].devicesLeft += message.devicesLeft;
              lanes[lane].heldBuffersLeft += message.heldBuffersLeft;
              for (const item of message.uncaptured) lanes[lane].uncaptured.push(item);
              worker.terminate();
              break;
            case 'device':
              ready = true;
              if (lanes[lane].workers === 1) arrived();
              void together.then(() => worker.post({ type: 'start' }));
              break;
          }
        },
        error: (message) => {
          error = message;
        },
        exit: () => {
          active.delete(worker);
          if (!ready && lanes[lane].workers === 1) arrived();
          if (!ended) {
            // The worker died: its device went with it; its ledger bytes and any exclusive hold go now.
            ledger.releaseHolder(lane);
            ledger.endWorker(token);
            const why = error ?? 'the worker exited before it finished';
            lanes[lane].crashed = why;
            for (const job of laneJobs) {
              if (results[job.index].end !== undefined) continue;
              results[job.index] = { ...results[job.index], status: 'crashed', failure: { code: 'LANE_CRASHED', message: `lane "${workload.lanes[lane].name}" crashed: ${why}` } };
              options.onJob?.(results[job.index]);
            }
          }
          resolve();
        },
      });
      lanes[lane].workers++;
      active.add(worker);
      if (options.signal?.aborted) worker.post({ type: 'cancel' });
    });

  try {
    await Promise.all(
      workload.lanes.map(async (_, lane) => {
        const queue = laneJobs(lane);
        if (queue.length === 0) return;
        if (workload.isolation === 'per-lane') return runWorker(lane, queue);
        for (const job of queue) {
          if (options.signal?.aborted) break;
          await runWorker(lane, [job]);
        }
      }),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  let parent: WorkloadRun['parent'];
  if (parentDevice) {
    let gone = false;
    void parentDevice.lost.then(() => (gone = true));
    parentDevice.destroy();
    await Promise.race([parentDevice.lost, new Promise((resolve) => setTimeout(resolve, 2000))]);
    ledger.endWorker(kParentToken);
    parent = { devicesLeft: gone ? 0 : 1 };
  }
  const run: WorkloadRun = {
    jobs: results,
    lanes,
    device: { budgetBytes: workload.device.budgetBytes, peakBytes: ledger.peakBytes, setBy: ledger.peakSetBy, liveBytesAfter: ledger.liveBytes },
    ...(parent && { parent }),
    wallMs: performance.timeOrigin + performance.now() - t0,
  };
  return { ok: true, run, adapter: probe.adapter };
}
