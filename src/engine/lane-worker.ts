/**
 * A lane's worker (a worker_threads thread, Node only): its own GPUDevice, its jobs one
 * after another through {@link prepareRun} and {@link runPrepared}, every device-local
 * allocation through the shared device ledger. A job that holds memory until exit keeps
 * its freed buffers alive and counted until this worker ends. When it ends it destroys
 * what it held and every device it made, and reports how many devices did not go.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DeviceLedger } from './device-ledger.ts';
import type { LaneCommand, LaneMessage, LaneWorkerData } from './lane-protocol.ts';
import { acquireNodeDevice } from './node-device.ts';
import { prepareRun } from './prepare-run.ts';
import { runPrepared } from './run-scenario.ts';

const data = workerData as LaneWorkerData;
const port = parentPort!;
const post = (message: LaneMessage) => port.postMessage(message);
const ledger = DeviceLedger.attach(data.ledger);
const abort = new AbortController();
let start!: () => void;
const started = new Promise<void>((resolve) => (start = resolve));
port.on('message', (command: LaneCommand) => {
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

const acquired = await acquireNodeDevice({ uncapturedError: (message) => uncaptured.push(message) });
if (!acquired.ok) throw new Error(acquired.message);
const track = (device: GPUDevice) => {
  devices.push(device);
  void device.lost.then(() => gone.add(device));
  return device;
};
let device = track(acquired.value.device);
const requestDevice = async () => track(await acquired.value.requestDevice());
post({ type: 'device', description: acquired.value.description });
await started;

const hook = ledger.hook(data.holder, data.token, (buffer, bytes) => {
  if (!holdsMemory) return false;
  held.push({ buffer: buffer as GPUBuffer, bytes });
  ledger.hold(data.holder, bytes);
  return true;
});

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

// The worker ends: what its jobs held goes with it, then its devices.
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
post({ type: 'lane-end', devicesLeft: devices.filter((d) => !gone.has(d)).length, heldBuffersLeft: held.length, uncaptured });
