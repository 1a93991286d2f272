/**
 * A lane's worker in Node: a worker_threads thread whose device comes from Dawn
 * (node-device.ts); what it does is lane-jobs.ts, as in the browser's lane worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LaneMessage, LaneWorkerData } from './lane-protocol.ts';
import { runLaneJobs } from './lane-jobs.ts';
import { acquireNodeDevice } from './node-device.ts';

const port = parentPort!;
await runLaneJobs({
  data: workerData as LaneWorkerData,
  post: (message: LaneMessage) => port.postMessage(message),
  listen: (listener) => port.on('message', listener),
  acquire: async (uncapturedError) => {
    const acquired = await acquireNodeDevice({ uncapturedError });
    if (!acquired.ok) throw new Error(acquired.message);
    return acquired.value;
  },
});
