/**
 * What a workload's coordinator and its lane workers say to each other (Node's
 * worker_threads; the browser's workers can speak the same). Structured clone carries
 * the plans' bigints and the reports as they are.
 */
import type { SharedLedgerState } from './device-ledger.ts';
import type { ReportedRun } from './run-report.ts';

/** One job a lane worker runs. */
export interface LaneJob {
  /** The job's index in the workload. */
  index: number;
  /** The scenario as prepared for the job (its budget and the workload's limits applied). */
  scenario: Record<string, unknown>;
  holdsMemoryUntilExit: boolean;
}

/** What a lane worker starts with. */
export interface LaneWorkerData {
  ledger: SharedLedgerState;
  /** This lane's index among the ledger's holders. */
  holder: number;
  /** This worker's token: in exclusive mode the ledger knows which worker holds the device. */
  token: number;
  /** The workload's start, as `performance.timeOrigin + performance.now()` (ms), so every lane's times share one clock. */
  t0: number;
  verify: boolean;
  jobs: LaneJob[];
}

/** Why a job did not give a report. */
export interface JobFailure {
  code: string;
  message: string;
}

/** A message from a lane worker. Times are milliseconds since the workload's start. */
export type LaneMessage =
  | { type: 'device'; description: string }
  | { type: 'job-start'; job: number; t: number }
  | { type: 'job-done'; job: number; start: number; end: number; report?: ReportedRun; failure?: JobFailure }
  | { type: 'lane-end'; devicesLeft: number; heldBuffersLeft: number; uncaptured: string[] };

/** A message to a lane worker: `start` once every lane of the first wave has its device, so lanes start together. */
export type LaneCommand = { type: 'start' } | { type: 'cancel' };
