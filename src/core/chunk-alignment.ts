/**
 * Where a run's first chunk began: two runs compared from there line up chunk by chunk,
 * not by the start-up time before it (adapter, pipelines, fixed uploads), which jitters.
 */
import type { TraceEvent } from './trace.ts';

/** Milliseconds from a trace's start to its first `chunk-begin`, or undefined when no chunk began. */
export function firstChunkAt(trace: readonly TraceEvent[]): number | undefined {
  for (const event of trace) if (event.kind === 'chunk-begin') return event.t;
  return undefined;
}

/** How far to shift A's events so its first chunk begins when B's does (0 when either has none). */
export function alignmentShift(a: readonly TraceEvent[], b: readonly TraceEvent[]): number {
  const ta = firstChunkAt(a);
  const tb = firstChunkAt(b);
  return ta === undefined || tb === undefined ? 0 : tb - ta;
}
