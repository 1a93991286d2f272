/**
 * The traces the page shows, kept in the worker: a run's events as they are recorded,
 * or a saved trace opened as a replay. The page never holds a trace: it asks for the
 * timeline's window, one sample's detail, a page of the event log, or a download, and
 * receives that much. A trace of 10^6 events would cost the page seconds to receive and
 * hundreds of MiB to hold; here it costs the worker the same memory it already had.
 */
import { toChromeTrace, type TraceEvent } from '../core/trace.ts';
import { TimelineIndex, type SampleDetail, type StackBy, type TimelineAxis, type TimelineQuery, type TimelineView } from '../core/timeline-view.ts';
import { timelineCsv, toTraceFile } from '../core/trace-file.ts';
import { outcomeOf, type TraceOutcome } from '../core/run-outcome.ts';
import type { Scenario } from '../core/scenario.ts';
import { alignmentShift } from '../core/chunk-alignment.ts';

/** Which events the log lists: one kind (or `all`) and a search over kind and label. */
export interface LogFilter {
  kind: string;
  search: string;
}

/** A page of the event log: the events at filtered positions `from…`, with their trace indices. */
export interface LogPage {
  /** Events the filter lets through. */
  total: number;
  from: number;
  rows: { index: number; event: TraceEvent }[];
  /** Events per kind in the whole trace, in order of first appearance. */
  kinds: [string, number][];
}

/** The three downloads of a trace. */
export type TraceExport = 'trace' | 'chrome' | 'csv';

/**
 * What hover or the keyboard asks about: a sample by number, or the step drawn at `x` on
 * the axis, and with `bytes` (the pointer's height) and `stack` (the layers' keys as
 * drawn, bottom first), the allocation drawn there.
 */
export type TimelineSampleAt = { sample: number } | { x: number; bytes?: number; stack?: readonly string[] };

/** Another trace drawn on the same axes, as a line. */
export interface CompareLine {
  deviceMin: Float64Array;
  deviceMax: Float64Array;
  deviceLast: Float64Array;
  peakBytes: number;
  /**
   * Milliseconds the other run is drawn later than it happened, so its first chunk begins
   * when this run's does (core's `alignmentShift`; 0 when either began none, and on the
   * chunk axis, which lines chunks up by itself).
   */
  shiftMs: number;
}

/** The event log's rows of one chunk: per attempt that began it, the trace indices from its `chunk-begin` to its end. */
export interface ChunkRows {
  chunk: number;
  ranges: [number, number][];
}

/** Most rows one log page carries. */
const kMaxLogPage = 500;

/** One stored trace: its events, its timeline index and what a trace file needs beside them. */
class StoredTrace {
  readonly events: TraceEvent[] = [];
  readonly index = new TimelineIndex();
  readonly kinds = new Map<string, number>();
  /** Set when the run ends (or at once for a replay): what Download trace JSON writes around the events. */
  file: { scenario: Scenario; device: string; outcome: TraceOutcome } | undefined;
  private _filtered: { key: string; count: number; indices: Int32Array } | undefined;

  append(event: TraceEvent): void {
    this.events.push(event);
    this.index.append(event);
    this.kinds.set(event.kind, (this.kinds.get(event.kind) ?? 0) + 1);
  }

  /** Trace indices of the events `filter` lets through (cached for the latest filter and length). */
  filtered(filter: LogFilter): Int32Array | undefined {
    // What crosses from the page is typed, but a worker answers whatever it is sent.
    const search = typeof filter?.search === 'string' ? filter.search.trim().toLowerCase() : '';
    const kind = typeof filter?.kind === 'string' ? filter.kind : 'all';
    if (kind === 'all' && !search) return undefined;
    const key = `${kind}\u0000${search}`;
    if (this._filtered?.key === key && this._filtered.count === this.events.length) return this._filtered.indices;
    const matches: number[] = [];
    for (let i = 0; i < this.events.length; i++) {
      const e = this.events[i];
      if (kind !== 'all' && e.kind !== kind) continue;
      if (search && !e.kind.includes(search) && !('label' in e && e.label.toLowerCase().includes(search))) continue;
      matches.push(i);
    }
    const indices = Int32Array.from(matches);
    this._filtered = { key, count: this.events.length, indices };
    return indices;
  }
}

/** The worker's traces by id; see the module comment. */
export class TraceStore {
  private readonly _traces = new Map<number, StoredTrace>();
  private _next = 1;

  /** A new, empty trace; its id is what the page asks with. */
  create(): { id: number; append: (event: TraceEvent) => void; finish: (file: StoredTrace['file']) => void } {
    const id = this._next++;
    const trace = new StoredTrace();
    this._traces.set(id, trace);
    return { id, append: (event) => trace.append(event), finish: (file) => (trace.file = file) };
  }

  /** Forgets every trace but `ids` (what the page still shows), and never the trace of a run in flight `busy`. */
  keep(ids: readonly number[], busy?: number): void {
    const keep = new Set(ids);
    for (const id of [...this._traces.keys()]) if (!keep.has(id) && id !== busy) this._traces.delete(id);
  }

  has(id: number): boolean {
    return this._traces.has(id);
  }

  /** The trace's events (for the report composed at the end of a run or a replay). */
  events(id: number): readonly TraceEvent[] {
    return this._traces.get(id)?.events ?? [];
  }

  /** Trace index of the allocation that set the device peak, or -1. */
  peakEventIndex(id: number): number {
    const series = this._traces.get(id)?.index.series;
    return series?.peakSetBy ? series.eventIndex[series.peakSample] : -1;
  }

  /** The timeline's window of trace `id`, and `compare`'s device line over the same window; undefined for an unknown id. */
  view(id: number, query: TimelineQuery, compare?: number): { view: TimelineView; compare?: CompareLine } | undefined {
    const trace = this._traces.get(id);
    if (!trace) return undefined;
    const stepChunk = numberOr(query.stepChunk, undefined);
    const view = trace.index.view({
      axis: query.axis === 'chunk' ? 'chunk' : 'time',
      stackBy: query.stackBy === 'usage' ? 'usage' : 'array',
      from: numberOr(query.from, undefined),
      to: numberOr(query.to, undefined),
      buckets: numberOr(query.buckets, 1),
      stepChunk: stepChunk === undefined ? undefined : Math.floor(stepChunk),
    });
    const other = compare === undefined ? undefined : this._traces.get(compare);
    if (!other) return { view };
    const shiftMs = view.axis === 'time' ? alignmentShift(other.events, trace.events) : 0;
    const line = other.index.line(view.axis, view.edges, shiftMs);
    return { view, compare: { ...line, peakBytes: other.index.series.peakBytes, shiftMs } };
  }

  /** Where chunk `chunk`'s rows lie in the log of trace `id` (no ranges for an unknown trace or chunk). */
  chunkRows(id: number, chunk: number): ChunkRows {
    const trace = this._traces.get(id);
    const k = Math.floor(numberOr(chunk, -1));
    if (!trace || k < 0) return { chunk: k, ranges: [] };
    const last = trace.events.length - 1;
    const ranges = trace.index.marks.bands.filter((b) => b.index === k).map((b): [number, number] => [b.beginEvent, b.endEvent ?? last]);
    return { chunk: k, ranges };
  }

  /** The allocation or free at a sample, or at the step drawn at `x` on the axis. */
  sample(id: number, at: TimelineSampleAt, axis: TimelineAxis, stackBy: StackBy): SampleDetail | undefined {
    const trace = this._traces.get(id);
    // The page may send anything: `in` throws on a value that is not an object.
    if (!trace || typeof at !== 'object' || at === null) return undefined;
    const detail = 'sample' in at ? trace.index.detail(numberOr(at.sample, 0), trace.events, axis, stackBy) : trace.index.detailAtX(numberOr(at.x, 0), trace.events, axis, stackBy);
    const bytes = 'x' in at ? numberOr(at.bytes, undefined) : undefined;
    if (bytes === undefined) return detail;
    const stack = 'stack' in at && Array.isArray(at.stack) ? at.stack.filter((k): k is string => typeof k === 'string') : [];
    const block = trace.index.blockAt(detail.sample, bytes, stackBy === 'usage' ? 'usage' : 'array', stack);
    return block ? { ...detail, block } : detail;
  }

  /** A page of the event log under `filter`, from filtered position `from`. */
  log(id: number, filter: LogFilter, from: number, count: number): LogPage {
    const trace = this._traces.get(id);
    if (!trace) return { total: 0, from: 0, rows: [], kinds: [] };
    const indices = trace.filtered(filter);
    const total = indices ? indices.length : trace.events.length;
    const start = Math.min(total, Math.max(0, Math.floor(numberOr(from, 0))));
    const end = Math.min(total, start + Math.min(kMaxLogPage, Math.max(0, Math.floor(numberOr(count, 0)))));
    const rows: LogPage['rows'] = [];
    for (let p = start; p < end; p++) {
      const index = indices ? indices[p] : p;
      rows.push({ index, event: trace.events[index] });
    }
    return { total, from: start, rows, kinds: [...trace.kinds] };
  }

  /**
   * Where an event sits in the log under `filter`: by its trace index, or the first event
   * at or after time `t` (a time chosen on the chart). `position` is -1 when the filter
   * hides it.
   */
  locate(id: number, filter: LogFilter, at: { eventIndex: number } | { t: number }): { eventIndex: number; position: number } {
    const trace = this._traces.get(id);
    if (!trace || trace.events.length === 0) return { eventIndex: -1, position: -1 };
    const eventIndex = 'eventIndex' in at ? Math.min(trace.events.length - 1, Math.max(0, Math.floor(numberOr(at.eventIndex, 0)))) : firstAtOrAfter(trace.events, numberOr(at.t, 0));
    const indices = trace.filtered(filter);
    if (!indices) return { eventIndex, position: eventIndex };
    const p = lowerBound(indices, eventIndex);
    return { eventIndex, position: p < indices.length && indices[p] === eventIndex ? p : -1 };
  }

  /** A download of the whole trace, as text. */
  exportText(id: number, format: TraceExport): string | undefined {
    const trace = this._traces.get(id);
    if (!trace) return undefined;
    if (format === 'chrome') return JSON.stringify(toChromeTrace(trace.events));
    if (format === 'csv') return timelineCsv(trace.events);
    if (!trace.file) return undefined;
    return JSON.stringify(toTraceFile(trace.file.scenario, trace.file.device, trace.events, outcomeOf(trace.file.outcome)));
  }
}

/** `x` when it is a finite number, else `fallback`: nothing the page sends is coerced (an object's own `valueOf` could throw). */
function numberOr<T>(x: unknown, fallback: T): number | T {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

/** Index of the first event at or after time `t` (the last event when none is). */
function firstAtOrAfter(events: readonly TraceEvent[], t: number): number {
  let lo = 0;
  let hi = events.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
