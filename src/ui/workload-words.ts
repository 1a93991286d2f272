/**
 * A workload's failures in plain words: which lane, which job, what the device said, and
 * for an out-of-memory what earlier jobs of the same worker still held. Pure, so the
 * sentences are tested without a browser.
 */
import { formatBytesExact } from '../core/units.ts';
import type { WorkloadRunSummary } from '../engine/workload-report.ts';
import type { JobMemory } from '../worker/simulator-api.ts';

/** One sentence per job that failed, crashed or was cancelled; empty when every job verified. */
export function workloadFailureWords(summary: WorkloadRunSummary, memory: readonly JobMemory[]): { job: string; lane: string; words: string }[] {
  const byIndex = new Map(memory.map((m) => [m.index, m]));
  return summary.jobs.flatMap((job, i) => {
    if (job.status === 'placed' || (job.status === 'ok' && job.verification?.passed !== false)) return [];
    const where = `lane "${job.lane}"`;
    const error = job.error;
    if (job.status === 'ok') return [{ job: job.name, lane: job.lane, words: `${where} finished job "${job.name}" but its outputs did not verify` }];
    if (job.status === 'cancelled') return [{ job: job.name, lane: job.lane, words: `${where}: job "${job.name}" was cancelled` }];
    if (!error) return [{ job: job.name, lane: job.lane, words: `${where}: job "${job.name}" ended ${job.status}` }];
    if (error.code === 'LANE_CRASHED') return [{ job: job.name, lane: job.lane, words: error.message }];
    if (error.fault === 'DEVICE_BUSY') {
      return [{ job: job.name, lane: job.lane, words: `${where} could not use the device for job "${job.name}": it is in exclusive-process mode and another process holds it (DEVICE_BUSY)` }];
    }
    if (error.fault === 'DEVICE_LOST') return [{ job: job.name, lane: job.lane, words: `${where} lost its device in job "${job.name}", and the new ones too (DEVICE_LOST)` }];
    if (error.fault === 'OUT_OF_MEMORY') {
      const held = summary.isolation === 'per-lane' ? heldBefore(summary, byIndex, i) : { buffers: 0, bytes: 0, jobs: [] };
      const heldWords = held.buffers > 0
        ? `: ${held.buffers} held ${held.buffers === 1 ? 'buffer' : 'buffers'} from earlier ${held.jobs.length === 1 ? 'job' : 'jobs'} (${held.jobs.map((j) => `"${j}"`).join(', ')}) kept ${formatBytesExact(held.bytes)} until the worker exits`
        : '';
      return [{ job: job.name, lane: job.lane, words: `${where} ran out of device memory in job "${job.name}"${heldWords}` }];
    }
    return [{ job: job.name, lane: job.lane, words: `${where}: job "${job.name}" failed (${error.code})` }];
  });
}

/** What jobs before job `index` on its lane held until their worker exits (one worker per lane). */
function heldBefore(summary: WorkloadRunSummary, memory: ReadonlyMap<number, JobMemory>, index: number): { buffers: number; bytes: number; jobs: string[] } {
  const lane = summary.lanes.find((l) => l.name === summary.jobs[index].lane);
  const names = new Map(summary.jobs.map((job, i) => [job.name, i]));
  const out = { buffers: 0, bytes: 0, jobs: [] as string[] };
  for (const name of lane?.jobs ?? []) {
    const i = names.get(name);
    if (i === undefined || i === index) break;
    const m = memory.get(i);
    if (!m || m.heldBuffers === 0) continue;
    out.buffers += m.heldBuffers;
    out.bytes += m.heldBytes;
    out.jobs.push(name);
  }
  return out;
}
