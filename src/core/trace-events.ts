/**
 * Reads the `events` of a saved trace: every event's fields checked against its kind,
 * the times in order, and each buffer freed at most once after its one allocation, so a
 * hand-edited file is refused with a sentence instead of drawing NaN bytes or a buffer
 * that never leaves the timeline.
 */
import * as v from 'valibot';
import { describeIssue, kFallbacks } from './scenario.ts';
import { kPhases, kSegmentPools, kUsageClasses, type SegmentEvent, type TraceEvent } from './trace.ts';

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
  segment: v.optional(count),
  offset: v.optional(count),
};
const segment = {
  t: time,
  id: count,
  label: text,
  bytes: count,
  pool: v.picklist(kSegmentPools, `must be one of ${kSegmentPools.join(', ')}`),
};
// Chunk -1 is the fixed arrays, uploaded once before the first chunk.
const phase = { t: time, chunk: v.pipe(v.number('must be a number'), v.safeInteger('must be a whole number'), v.minValue(-1, 'must be at least -1')), ms: time, bytes: count };
const fault = {
  t: time,
  label: text,
  bytes: count,
  source: v.picklist(['budget', 'limit', 'device', 'injected', 'ledger', 'busy'], 'must be budget, limit, device, injected, ledger or busy'),
  message: text,
  allocator: v.optional(v.object({
    allocatedBytes: count,
    reservedBytes: count,
    reservedFreeBytes: count,
    largestFreeBytes: count,
    fragmentation: v.pipe(v.number('must be a number'), v.minValue(0, 'must be at least 0'), v.maxValue(1, 'must be at most 1')),
    expandableBytes: count,
  })),
};

const eventSchema = v.variant(
  'kind',
  [
    v.object({ kind: v.literal('alloc'), ...buffer }),
    v.object({ kind: v.literal('free'), ...buffer }),
    v.object({ kind: v.picklist(['segment-alloc', 'segment-free']), ...segment }),
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
      predictedStagingPeakBytes: v.optional(count),
      predictedReservedPeakBytes: v.optional(count),
      predictedExpandablePeakBytes: v.optional(count),
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
  const segments: SegmentState = { segments: new Map(), blocksIn: new Map(), segmentOf: new Map() };
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
    const wrong = segmentProblem(read, segments);
    if (wrong) return { ok: false, message: `events[${i}] ${wrong}` };
    if (read.kind === 'alloc') live.add(read.id);
    if (read.kind === 'free') live.delete(read.id);
  }
  // The events as written, not valibot's copies: the file's own objects are the trace.
  return { ok: true, events: json as TraceEvent[] };
}

/** Segments live while a trace is read, and the blocks live in each. */
interface SegmentState {
  segments: Map<number, SegmentEvent>;
  /** Live blocks per segment: a segment is released only once its blocks are. */
  blocksIn: Map<number, Set<number>>;
  /** The segment of each live block. */
  segmentOf: Map<number, number>;
}

/**
 * Checks an event against the segments live before it, and records its effect: a block
 * lies inside a live segment, a segment is reserved once and released empty.
 */
function segmentProblem(event: TraceEvent, state: SegmentState): string | undefined {
  const { segments, blocksIn, segmentOf } = state;
  switch (event.kind) {
    case 'segment-alloc':
      if (segments.has(event.id)) return `reserves segment ${event.id} again before it was released`;
      segments.set(event.id, event);
      blocksIn.set(event.id, new Set());
      return undefined;
    case 'segment-free': {
      if (!segments.has(event.id)) return `releases segment ${event.id}, which is not reserved`;
      const blocks = blocksIn.get(event.id)!;
      if (blocks.size) return `releases segment ${event.id} while buffer ${[...blocks][0]} in it is live`;
      segments.delete(event.id);
      blocksIn.delete(event.id);
      return undefined;
    }
    case 'alloc': {
      if (event.segment === undefined) return event.offset === undefined ? undefined : 'gives an offset without its segment';
      const reserved = segments.get(event.segment);
      if (!reserved) return `allocates buffer ${event.id} in segment ${event.segment}, which is not reserved`;
      const offset = event.offset ?? 0;
      if (offset + event.bytes > reserved.bytes) {
        return `allocates buffer ${event.id} at bytes ${offset}–${offset + event.bytes} of segment ${event.segment}, which has ${reserved.bytes}`;
      }
      blocksIn.get(event.segment)!.add(event.id);
      segmentOf.set(event.id, event.segment);
      return undefined;
    }
    case 'free': {
      const segment = segmentOf.get(event.id);
      if (segment !== undefined) blocksIn.get(segment)?.delete(event.id);
      segmentOf.delete(event.id);
      return undefined;
    }
    default:
      return undefined;
  }
}
