/**
 * Runs a prepared workload in Node: each lane a worker_threads thread (lane-worker.ts)
 * with its own Dawn device, coordinated by workload-lanes.ts as in the browser.
 */
import { acquireNodeDevice } from './node-device.ts';
import type { PreparedWorkload } from './prepare-workload.ts';
import { startTypeScriptWorker } from './ts-worker.ts';
import { runWorkloadLanes, type LaneHost, type WorkloadRunOptions, type WorkloadRunOutcome } from './workload-lanes.ts';

const kNodeLanes: LaneHost = {
  async probe() {
    // Dawn reads the process's environment, which only this thread can change: the lanes' threads inherit where it found an adapter.
    const probe = await acquireNodeDevice();
    if (!probe.ok) return probe;
    return { ok: true, device: probe.value.device, adapter: `${probe.value.via === 'swiftshader' ? 'SwiftShader' : 'WebGPU adapter'}: ${probe.value.description}` };
  },
  startWorker(data, events) {
    const worker = startTypeScriptWorker(new URL('./lane-worker.ts', import.meta.url), data);
    worker.on('message', events.message);
    worker.on('error', (err) => events.error(err.message));
    worker.on('exit', () => events.exit());
    return { post: (command) => worker.postMessage(command), terminate: () => void worker.terminate() };
  },
};

/** Runs every job of a prepared workload on its lane, each lane a worker thread; never throws for a job's failure. */
export function runWorkloadOnNode(prepared: PreparedWorkload, options: WorkloadRunOptions = {}): Promise<WorkloadRunOutcome> {
  return runWorkloadLanes(prepared, kNodeLanes, options);
}
