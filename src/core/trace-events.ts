/**
 * Reads the `events` of a saved trace: every event's fields checked against its kind,
 * the times in order, and each buffer freed at most once after its one allocation, so a
 * hand-edited file is refused with a sentence instead of drawing NaN bytes or a buffer
 * that never leaves the timeline.
 */
import * as v from 'valibot';
import { describeIssue, kFallbacks } from './scenario.ts';
import { kPhases, kUsageClasses, type TraceEvent } from './trace.ts';

const time = v.pipe(v.number('must be a number'), v.finite('must be finite'), v.minValue(0, 'must be at least 0'));
const count = v.pipe(v.number('must be a number'), v.safeInteger('must be a whole number'), v.minValue(0, 'must be at least 0'));
const text = v.string('must be a string');

const buffer = {
  t: time,
  id: count,
  label: text,
  bytes: count,
  usage: v.picklist(kUsageClasses, `must be one of ${kUsageClasses.join(', ')}`),
  array: v.optional(text),
};
// Chunk -1 is the fixed arrays, uploaded once before the first chunk.
const phase = { t: time, chunk: v.pipe(v.number('must be a number'), v.safeInteger('must be a whole number'), v.minValue(-1, 'must be at least -1')), ms: time, bytes: count };
const fault = {
  t: time,
  label: text,
  bytes: count,
  source: v.picklist(['budget', 'limit', 'device', 'injected', 'ledger', 'busy'], 'must be budget, limit, device, injected, ledger or busy'),
  message: text,
};

const eventSchema = v.variant(
  'kind',
  [
    v.object({ kind: v.literal('alloc'), ...buffer }),
    v.object({ kind: v.literal('free'), ...buffer }),
    v.object({ kind: v.picklist(['chunk-begin', 'chunk-end']), t: time, index: count, start: count, end: count }),
    v.object({ kind: v.picklist(kPhases), ...phase }),
    v.object({ kind: v.picklist(['oom', 'validation-error']), ...fault }),
    v.object({ kind: v.literal('device-lost'), t: time, reason: text, message: text, injected: v.boolean('must be true or false'), chunk: v.optional(count) }),
    v.object({
      kind: v.literal('fallback'),
      t: time,
      from: text,
      to: v.picklist([...kFallbacks, 'retry'], `must be one of ${[...kFallbacks, 'retry'].join(', ')}`),
      reason: text,
      chunkLengthBefore: count,
      chunkLengthAfter: count,
      resumeAt: count,
    }),
    v.object({
      kind: v.literal('attempt'),
      t: time,
      attempt: count,
      backend: v.picklist(['webgpu', 'cpu'], 'must be webgpu or cpu'),
      chunkLength: count,
      precision: v.picklist(['native', 'f16'], 'must be native or f16'),
      predictedPeakBytes: count,
      start: count,
    }),
    v.object({
      kind: v.literal('done'),
      t: time,
      status: v.picklist(['ok', 'ladder-exhausted', 'cancelled', 'error'], 'must be ok, ladder-exhausted, cancelled or error'),
      runsDone: count,
    }),
  ],
  'must be an event of a known kind',
);

/** The events of a trace file, checked; or a sentence naming the first that is wrong. */
export function readTraceEvents(json: unknown): { ok: true; events: TraceEvent[] } | { ok: false; message: string } {
  if (!Array.isArray(json)) return { ok: false, message: 'the trace has no "events" list' };
  const live = new Set<number>();
  let previous = 0;
  for (const [i, event] of json.entries()) {
    const result = v.safeParse(eventSchema, event);
    if (!result.success) {
      const { path, message } = describeIssue(result.issues[0]);
      return { ok: false, message: `events[${i}]${path ? `.${path}` : ''} ${message}` };
    }
    // Typed, not cast: the schema must give exactly the events the engine writes.
    const read: TraceEvent = result.output;
    if (read.t < previous) return { ok: false, message: `events[${i}] is earlier than the event before it; a trace is in time order` };
    previous = read.t;
    if (read.kind === 'alloc' && live.has(read.id)) return { ok: false, message: `events[${i}] allocates buffer ${read.id} again before it was freed` };
    if (read.kind === 'free' && !live.has(read.id)) return { ok: false, message: `events[${i}] frees buffer ${read.id}, which is not allocated` };
    if (read.kind === 'alloc') live.add(read.id);
    if (read.kind === 'free') live.delete(read.id);
  }
  // The events as written, not valibot's copies: the file's own objects are the trace.
  return { ok: true, events: json as TraceEvent[] };
}
