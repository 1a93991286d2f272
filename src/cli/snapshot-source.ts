/**
 * Reads a PyTorch snapshot file (or standard input for `-`) for the snapshot commands:
 * checked, and turned into the trace of the device asked for.
 */
import { readPytorchSnapshot } from '../core/pytorch-snapshot.ts';
import type { ScenarioIssue } from '../core/scenario.ts';
import { defaultSnapshotDevice, snapshotToTrace, type SnapshotTrace } from '../core/snapshot-trace.ts';
import { readSource } from './scenario-source.ts';

/** A snapshot's trace, or why there is none: `usage` when the device asked for is not in it. */
export type LoadedSnapshot =
  | { ok: true; trace: SnapshotTrace; entries: number }
  | { ok: false; usage: boolean; message: string; issues: ScenarioIssue[] };

/** Loads the snapshot at `source` and builds the trace of `device` (text from a flag; default: the first device with entries). */
export async function loadSnapshot(source: string, device: string | undefined): Promise<LoadedSnapshot> {
  const read = await readSource(source);
  if (!read.ok) return { ok: false, usage: false, message: read.message, issues: [] };
  const checked = readPytorchSnapshot(read.json);
  if (!checked.ok) return { ok: false, usage: false, message: `${source} is not a PyTorch memory snapshot`, issues: checked.issues };
  const devices = checked.snapshot.device_traces.length;
  const index = device === undefined ? defaultSnapshotDevice(checked.snapshot) : Number(device);
  if (device !== undefined && !(Number.isSafeInteger(index) && index >= 0 && index < devices)) {
    return { ok: false, usage: true, message: `--device must be a device index of the snapshot (it has ${devices} device trace(s)), got "${device}"`, issues: [] };
  }
  return { ok: true, trace: snapshotToTrace(checked.snapshot, index), entries: checked.snapshot.device_traces[index]?.length ?? 0 };
}
