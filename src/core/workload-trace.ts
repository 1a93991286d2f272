/**
 * A workload's trace: every job's events on the workload's one clock, each job on its
 * lane; and its Chrome trace-event form, one process per lane with each job's memory,
 * events and chunks as threads of that process, so Perfetto shows the lanes side by side.
 */
import { toChromeTrace, type ChromeTraceEvent, type TraceEvent } from './trace.ts';

/** One job's part of a workload trace. */
export interface WorkloadTraceJob {
  name: string;
  lane: string;
  /** When its run began, in milliseconds since the workload's start; its events' `t` count from here. */
  start: number;
  events: TraceEvent[];
}

/** What `chunkscope run workload.json --trace` writes. */
export interface WorkloadTraceFile {
  format: 'chunkscope-workload-trace';
  version: 1;
  name: string;
  adapter: string;
  lanes: string[];
  jobs: WorkloadTraceJob[];
}

/** Tracks a job gets within its lane's process, as toChromeTrace names them. */
const kTracksPerJob = 3;

/** The workload's Chrome trace: process i + 1 is lane i; each job's three tracks are threads named after it. */
export function toWorkloadChromeTrace(trace: Pick<WorkloadTraceFile, 'lanes' | 'jobs'>): { traceEvents: ChromeTraceEvent[] } {
  const laneIndex = new Map(trace.lanes.map((name, i) => [name, i]));
  const out: ChromeTraceEvent[] = trace.lanes.map((name, i) => ({ name: 'process_name', cat: '__metadata', ph: 'M' as const, ts: 0, pid: i + 1, tid: 0, args: { name: `lane ${name}` } }));
  const jobsOnLane = new Map<number, number>();
  for (const job of trace.jobs) {
    const lane = laneIndex.get(job.lane);
    if (lane === undefined) continue;
    const ordinal = jobsOnLane.get(lane) ?? 0;
    jobsOnLane.set(lane, ordinal + 1);
    const shift = Math.round(job.start * 1000);
    for (const event of toChromeTrace(job.events).traceEvents) {
      const tid = ordinal * kTracksPerJob + event.tid;
      if (event.ph === 'M') {
        out.push({ ...event, pid: lane + 1, tid, args: { name: `${job.name}: ${String(event.args?.name)}` } });
        continue;
      }
      out.push({
        ...event,
        pid: lane + 1,
        tid,
        ts: event.ts + shift,
        // Async span ids are per process in the viewer: keep each job's chunks apart.
        ...(event.id !== undefined && { id: `${job.name}:${event.id}` }),
      });
    }
  }
  out.sort((a, b) => a.ts - b.ts);
  return { traceEvents: out };
}
