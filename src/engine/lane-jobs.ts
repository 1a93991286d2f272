/**
 * What a lane's worker does, wherever it runs (a worker_threads thread in Node, a Web
 * Worker in the browser): its own GPUDevice, its jobs one after another through
 * {@link prepareRun} and {@link runPrepared}, every device-local allocation through the
 * shared device ledger. A job that holds memory until exit keeps its freed buffers alive
 * and counted until the worker ends. When it ends it destroys what it held and every
 * device it made, and reports how many devices did not go. The worker's own module only
 * says where its device, its messages and its commands come from.
 */
import { DeviceLedger } from './device-ledger.ts';
import type { LaneCommand, LaneMessage, LaneWorkerData } from './lane-protocol.ts';
import { prepareRun } from './prepare-run.ts';
import { runPrepared } from './run-scenario.ts';

/** A lane's first device and how to get another after a loss. */
export interface LaneDevice {
  device: GPUDevice;
  description: string;
  requestDevice(): Promise<GPUDevice>;
}

/** Where a lane worker lives: its device, its way to the coordinator and from it. */
export interface LaneEnvironment {
  data: LaneWorkerData;
  post(message: LaneMessage): void;
  /** Calls `listener` with every command from the coordinator. */
  listen(listener: (command: LaneCommand) => void): void;
  /** The lane's first device; `uncaptured` hears WebGPU errors nobody scoped. Throws when there is none. */
  acquire(uncaptured: (message: string) => void): Promise<LaneDevice>;
}

/** Runs a lane worker's jobs and ends it; see the module comment. */
export async function runLaneJobs(env: LaneEnvironment): Promise<void> {
  const { data, post } = env;
  const ledger = DeviceLedger.attach(data.ledger);
  const abort = new AbortController();
  let start!: () => void;
  const started = new Promise<void>((resolve) => (start = resolve));
  env.listen((command) => {
    if (command.type === 'cancel') abort.abort();
    // Cancel before start must not leave the worker waiting.
    start();
  });
  const now = () => performance.timeOrigin + performance.now() - data.t0;

  const uncaptured: string[] = [];
  const devices: GPUDevice[] = [];
  const gone = new Set<GPUDevice>();
  const held: { buffer: GPUBuffer; bytes: number }[] = [];
  let holdsMemory = false;

  const acquired = await env.acquire((message) => uncaptured.push(message));
  const track = (device: GPUDevice) => {
    devices.push(device);
    void device.lost.then(() => gone.add(device));
    return device;
  };
  let device = track(acquired.device);
  const requestDevice = async () => track(await acquired.requestDevice());
  post({ type: 'device', description: acquired.description });
  await started;

  const hook = ledger.hook(data.holder, data.token, (buffer, bytes) => {
    if (!holdsMemory) return false;
    held.push({ buffer: buffer as GPUBuffer, bytes });
    ledger.hold(data.holder, bytes);
    return true;
  });

  try {
    for (const job of data.jobs) {
      const start = now();
      if (abort.signal.aborted) {
        post({ type: 'job-done', job: job.index, start, end: start, failure: { code: 'CANCELLED', message: 'cancelled before it started' } });
        continue;
      }
      // A device lost in an earlier job is no use to this one.
      if (gone.has(device)) device = await requestDevice();
      holdsMemory = job.holdsMemoryUntilExit;
      ledger.setJob(data.holder, job.index);
      post({ type: 'job-start', job: job.index, t: start });
      const prepared = prepareRun(job.scenario, { device });
      if (!prepared.ok) {
        post({ type: 'job-done', job: job.index, start, end: now(), failure: { code: prepared.error.code, message: prepared.error.message } });
        continue;
      }
      let began: number | undefined;
      const outcome = await runPrepared(prepared.run, {
        backend: 'webgpu',
        device,
        requestDevice,
        ledger: hook,
        signal: abort.signal,
        verify: data.verify,
        // Checked chunk by chunk and let go: the report crosses to the coordinator without host arrays.
        outputs: 'discard',
        // The trace's clock starts with the run: place it on the workload's clock by its first event.
        onEvent: (event) => {
          began ??= now() - event.t;
        },
      });
      const end = now();
      if (!outcome.ok) {
        post({ type: 'job-done', job: job.index, start, end, failure: { code: outcome.error.code, message: outcome.error.message } });
        continue;
      }
      const { outputs: _outputs, ...report } = outcome.report;
      post({ type: 'job-done', job: job.index, start: began ?? start, end, report });
    }
    ledger.setJob(data.holder, -1);
  } finally {
    // The worker ends, or a job threw past its report: what its jobs held goes with it, then its devices.
    for (const { buffer, bytes } of held.splice(0)) {
      buffer.destroy();
      ledger.releaseHeld(data.holder, bytes);
    }
    if (!gone.has(device)) {
      device.queue.submit([]);
      await device.queue.onSubmittedWorkDone();
    }
    for (const d of devices) d.destroy();
    await Promise.race([Promise.all(devices.map((d) => d.lost)), new Promise((resolve) => setTimeout(resolve, 2000))]);
    ledger.endWorker(data.token);
  }
  post({ type: 'lane-end', devicesLeft: devices.filter((d) => !gone.has(d)).length, heldBuffersLeft: held.length, uncaptured });
}
