/**
 * Runs a prepared workload in the browser: each lane a Web Worker (lane.worker.ts) with
 * its own GPUDevice, coordinated by engine/workload-lanes.ts as in Node, the device
 * ledger's SharedArrayBuffer shared with every lane (which needs the page to be
 * cross-origin isolated: vite.config.ts sends the headers).
 */
import { adapterWords, requestEngineDevice } from '../engine/device-request.ts';
import type { LaneMessage } from '../engine/lane-protocol.ts';
import type { PreparedWorkload } from '../engine/prepare-workload.ts';
import { runWorkloadLanes, type LaneHost, type WorkloadRunOptions, type WorkloadRunOutcome } from '../engine/workload-lanes.ts';

/**
 * What a browser lane worker says: the lane messages, and `failed` when its jobs threw
 * (a worker's rejected promise reaches no `error` event, unlike Node's thread).
 */
export type BrowserLaneMessage = LaneMessage | { type: 'failed'; message: string };

const kBrowserLanes: LaneHost = {
  async probe() {
    if (typeof SharedArrayBuffer === 'undefined' || !crossOriginIsolated) {
      return { ok: false, message: 'the page is not cross-origin isolated, so its lanes cannot share the device ledger (a SharedArrayBuffer): serve it with COOP same-origin and COEP require-corp' };
    }
    if (!('gpu' in navigator) || !navigator.gpu) return { ok: false, message: 'this browser exposes no WebGPU in workers' };
    const adapter = await navigator.gpu.requestAdapter().catch(() => null);
    if (!adapter) return { ok: false, message: 'navigator.gpu.requestAdapter() gave no adapter' };
    try {
      const device = await requestEngineDevice(adapter, 'chunkscope workload');
      return { ok: true, device, adapter: `WebGPU in the browser: ${adapterWords(adapter)}` };
    } catch (error) {
      return { ok: false, message: `no WebGPU device: ${(error as Error).message}` };
    }
  },
  startWorker(data, events) {
    const worker = new Worker(new URL('./lane.worker.ts', import.meta.url), { type: 'module', name: `chunkscope lane ${data.holder}` });
    let exited = false;
    // A Web Worker has no exit event: it is gone once terminated, which is when the coordinator hears so.
    const end = () => {
      if (exited) return;
      exited = true;
      worker.terminate();
      // After the current message: a crash reported while its message is handled must not reorder the two.
      queueMicrotask(events.exit);
    };
    worker.onmessage = (e: MessageEvent<BrowserLaneMessage>) => {
      const message = e.data;
      if (message.type === 'failed') {
        events.error(message.message);
        end();
        return;
      }
      events.message(message);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      events.error(e.message || 'the lane worker failed to load or threw');
      end();
    };
    worker.onmessageerror = () => {
      events.error('a message from the lane worker could not be read');
      end();
    };
    worker.postMessage({ type: 'init', data });
    return { post: (command) => worker.postMessage(command), terminate: end };
  },
};

/** Runs every job of a prepared workload on its lane, each lane a Web Worker; never throws for a job's failure. */
export function runWorkloadInBrowser(prepared: PreparedWorkload, options: WorkloadRunOptions = {}): Promise<WorkloadRunOutcome> {
  return runWorkloadLanes(prepared, kBrowserLanes, options);
}
