// A thread that reserves and releases on a shared DeviceLedger until `stop[0]` is set (workloads.bench.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { DeviceLedger, type SharedLedgerState } from '../src/engine/device-ledger.ts';

const { shared, holder, stop } = workerData as { shared: SharedLedgerState; holder: number; stop: Int32Array };
const ledger = DeviceLedger.attach(shared);
let pairs = 0;
parentPort!.postMessage('ready');
while (Atomics.load(stop, 0) === 0) {
  if (ledger.reserve(holder, holder + 2, 'contender', 256) === null) ledger.release(holder, 256);
  pairs++;
}
parentPort!.postMessage(pairs);
