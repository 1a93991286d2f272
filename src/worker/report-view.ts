/** A report as the page gets it: its trace left in the worker's store, named by id. */
import type { ReportedRun } from '../engine/index.ts';
import type { RunReportView } from './simulator-api.ts';
import type { TraceStore } from './trace-store.ts';

/** `report` without its trace, which `store` holds as `traceId`. */
export function reportView(report: ReportedRun, traceId: number, store: TraceStore): RunReportView {
  const { trace, ...rest } = report;
  return { ...rest, traceId, eventCount: trace.length, tEnd: trace.at(-1)?.t ?? 0, peakEventIndex: store.peakEventIndex(traceId) };
}
