// A thread that reserves and releases on a shared DeviceLedger as fast as it can (device-ledger.test.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { DeviceLedger, type SharedLedgerState } from '../../src/engine/device-ledger.ts';

const { shared, holder, rounds } = workerData as { shared: SharedLedgerState; holder: number; rounds: number };
const ledger = DeviceLedger.attach(shared);
let over = 0;
let granted = 0;
for (let i = 0; i < rounds; i++) {
  if (ledger.reserve(holder, holder + 2, `t${holder}`, 300) === null) {
    granted++;
    if (ledger.liveBytes > shared.budgetBytes) over++;
    ledger.release(holder, 300);
  }
}
parentPort!.postMessage({ over, granted });
