/**
 * Reads a PyTorch memory snapshot saved as JSON: the dict `torch.cuda.memory._snapshot()`
 * returns (`segments`, the state when it was taken, and `device_traces`, one list of
 * allocator actions per device, recorded by `_record_memory_history`).
 *
 * `readPytorchSnapshot` checks any JSON value and gives either the snapshot or every
 * problem, each with its path. It never throws. Fields chunkscope does not use (the
 * allocator settings, pool ids, sizes a viewer derives) may be present or absent.
 */
import * as v from 'valibot';
import { describeIssue, isJsonObject, type ScenarioIssue } from './scenario.ts';

/** The allocator actions a snapshot's trace records. */
export const kSnapshotActions = [
  'alloc',
  'free_requested',
  'free_completed',
  'segment_alloc',
  'segment_free',
  'segment_map',
  'segment_unmap',
  'snapshot',
  'oom',
  'annotate',
] as const;
/** One of {@link kSnapshotActions}. */
export type SnapshotAction = (typeof kSnapshotActions)[number];

const whole = (what: string) =>
  v.pipe(v.number(`${what} must be a number`), v.safeInteger(`${what} must be a whole number below 2^53`), v.minValue(0, `${what} must be at least 0`));

const frameSchema = v.object({
  filename: v.string('must be a string'),
  line: v.number('must be a number'),
  name: v.string('must be a string'),
});
const frames = v.optional(v.array(frameSchema, 'must be a list of frames'), []);

const entrySchema = v.object({
  action: v.picklist(kSnapshotActions, `must be one of ${kSnapshotActions.join(', ')}`),
  // `snapshot` and `annotate` mark a moment and an `oom` has no address: the cross-check
  // below asks for `addr` and `size` where the action needs them.
  addr: v.optional(whole('addr')),
  size: v.optional(whole('size')),
  stream: v.optional(v.number('must be a number'), 0),
  frames,
  time_us: v.optional(v.number('must be a number')),
  device_free: v.optional(v.number('must be a number')),
});

const blockSchema = v.object({
  address: v.optional(whole('address')),
  size: whole('size'),
  requested_size: v.optional(whole('requested_size')),
  state: v.string('must be a string'),
  frames,
});

const segmentSchema = v.object({
  device: v.optional(whole('device'), 0),
  address: whole('address'),
  total_size: whole('total_size'),
  stream: v.optional(v.number('must be a number'), 0),
  segment_type: v.optional(v.picklist(['small', 'large'], 'must be small or large'), 'large'),
  blocks: v.optional(v.array(blockSchema, 'must be a list of blocks'), []),
});

const snapshotSchema = v.object(
  {
    segments: v.array(segmentSchema, 'must be a list of segments'),
    device_traces: v.array(v.array(entrySchema, 'must be a list of trace entries'), 'must be a list with one list of trace entries per device'),
  },
  'must be a JSON object with "segments" and "device_traces", as torch.cuda.memory._snapshot() returns',
);

/** One frame of a stack trace. */
export type SnapshotFrame = v.InferOutput<typeof frameSchema>;
/** One action of a device's trace. */
export type SnapshotEntry = v.InferOutput<typeof entrySchema>;
/** One segment as it was when the snapshot was taken. */
export type SnapshotSegment = v.InferOutput<typeof segmentSchema>;
/** A snapshot, checked. */
export type PytorchSnapshot = v.InferOutput<typeof snapshotSchema>;

/** The outcome of {@link readPytorchSnapshot}. */
export type ReadSnapshot = { ok: true; snapshot: PytorchSnapshot } | { ok: false; issues: ScenarioIssue[] };

/** Checks any JSON value as a PyTorch snapshot, reporting every problem with its path. Never throws. */
export function readPytorchSnapshot(json: unknown): ReadSnapshot {
  if (!isJsonObject(json)) {
    return { ok: false, issues: [{ path: '', message: 'must be a JSON object with "segments" and "device_traces", as torch.cuda.memory._snapshot() returns' }] };
  }
  const result = v.safeParse(snapshotSchema, json, { abortEarly: false });
  const issues = [...(result.success ? [] : result.issues.map(describeIssue)), ...missingFields(json)];
  return result.success && issues.length === 0 ? { ok: true, snapshot: result.output } : { ok: false, issues };
}

/** `addr` and `size` where an entry's action needs them, checked on the raw input so they are reported beside the schema's problems. */
function missingFields(json: Record<string, unknown>): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  if (!Array.isArray(json.device_traces)) return issues;
  json.device_traces.forEach((trace: unknown, device: number) => {
    if (!Array.isArray(trace)) return;
    trace.forEach((entry: unknown, i: number) => {
      if (!isJsonObject(entry) || typeof entry.action !== 'string' || !(kSnapshotActions as readonly string[]).includes(entry.action)) return;
      if (entry.action === 'snapshot' || entry.action === 'annotate') return;
      const required = entry.action === 'oom' ? ['size'] : ['addr', 'size'];
      for (const field of required) {
        if (entry[field] === undefined) issues.push({ path: `device_traces[${device}][${i}].${field}`, message: `is required for a "${entry.action}" entry` });
      }
    });
  });
  return issues;
}
