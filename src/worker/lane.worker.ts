/**
 * A lane's worker in the browser: a Web Worker with its own GPUDevice from
 * `navigator.gpu`; what it does is engine/lane-jobs.ts, as in Node's lane worker. Its
 * first message carries its {@link LaneWorkerData}; every later one is a lane command.
 */
import { runLaneJobs } from '../engine/lane-jobs.ts';
import { adapterWords, requestEngineDevice } from '../engine/device-request.ts';
import type { LaneCommand, LaneWorkerData } from '../engine/lane-protocol.ts';
import type { BrowserLaneMessage } from './browser-lanes.ts';

const post = (message: BrowserLaneMessage) => self.postMessage(message);

/** A device from a fresh adapter: after a loss the old adapter cannot give another. */
async function freshDevice(uncaptured: (message: string) => void): Promise<{ device: GPUDevice; description: string }> {
  if (!('gpu' in navigator) || !navigator.gpu) throw new Error('this browser exposes no WebGPU in workers');
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() gave no adapter');
  const device = await requestEngineDevice(adapter, 'chunkscope lane');
  device.addEventListener('uncapturederror', (e) => uncaptured((e as GPUUncapturedErrorEvent).error.message));
  return { device, description: adapterWords(adapter) };
}

let listener: ((command: LaneCommand) => void) | undefined;
self.onmessage = (e: MessageEvent<{ type: 'init'; data: LaneWorkerData } | LaneCommand>) => {
  const message = e.data;
  if (message.type !== 'init') {
    listener?.(message);
    return;
  }
  runLaneJobs({
    data: message.data,
    post,
    listen: (l) => (listener = l),
    acquire: async (uncaptured) => {
      const first = await freshDevice(uncaptured);
      return { ...first, requestDevice: async () => (await freshDevice(uncaptured)).device };
    },
  }).catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
};
