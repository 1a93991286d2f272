/**
 * The memory timeline of one trace as the chart asks for it: a window of the run (by
 * time or by chunk), cut into as many buckets as the chart has pixel columns. The index
 * grows one event at a time while a run goes on and lives where the trace lives (the
 * worker), so the page receives only what it draws — a few thousand numbers, however
 * many events the run recorded.
 */
import { kDeviceUsageClasses, MemorySeries } from './memory-series.ts';
import { RunMarks, type ChunkBand, type RunMarker } from './run-marks.ts';
import type { AllocEvent, FreeEvent, TraceEvent } from './trace.ts';

/** The x axis: milliseconds since the run started, or chunks (each chunk one unit wide, set-up the first unit). */
export type TimelineAxis = 'time' | 'chunk';
/** What the stack is made of. */
export type StackBy = 'array' | 'usage';

/** What the chart asks for. */
export interface TimelineQuery {
  axis: TimelineAxis;
  /** The window on the axis; the whole run when absent. */
  from?: number;
  to?: number;
  /** Pixel columns to fill (clamped to 1…4 096). */
  buckets: number;
  stackBy: StackBy;
}

/** Most bands listed in a view; past this many in the window they are counted, not listed. */
export const kMaxBandsListed = 1500;
/** Most markers listed in a view. */
export const kMaxMarkersListed = 400;

/** A chunk band placed on the axis. */
export interface ViewBand extends Omit<ChunkBand, 'begin' | 'finish'> {
  x0: number;
  x1: number;
  running: boolean;
}

/** A fault or fallback placed on the axis. */
export interface ViewMarker extends RunMarker {
  x: number;
}

/** One layer of the stack: its key (an array name, the no-array layer, or a usage class) and its bytes per bucket. */
export interface ViewLayer {
  key: string;
  /** Bytes of the layer at each bucket's highest sample. */
  bytes: Float64Array;
}

/** What the chart draws of a window; see the module comment. */
export interface TimelineView {
  axis: TimelineAxis;
  /** The whole run on the axis: `[0, end]`. */
  extent: [number, number];
  /** The window drawn. */
  window: [number, number];
  /** Bucket edges on the axis (buckets + 1 of them). */
  edges: Float64Array;
  deviceMin: Float64Array;
  deviceMax: Float64Array;
  deviceLast: Float64Array;
  stagingMin: Float64Array;
  stagingMax: Float64Array;
  stagingLast: Float64Array;
  layers: ViewLayer[];
  /** Trace events and memory samples so far (the empty start is sample 0). */
  eventCount: number;
  sampleCount: number;
  tEnd: number;
  chunkCount: number;
  peak: { bytes: number; x: number; t: number; label: string; allocBytes: number; sample: number } | null;
  stagingPeakBytes: number;
  /** Bands in the window: listed when at most {@link kMaxBandsListed}, always counted. */
  bands: ViewBand[];
  bandsInWindow: number;
  markers: ViewMarker[];
  markersInWindow: number;
}

/** The allocation or free at one sample, and the memory at that instant: what hover and the keyboard read out. */
export interface SampleDetail {
  sample: number;
  sampleCount: number;
  /** Index in the trace (the event log's row); -1 for the empty start. */
  eventIndex: number;
  event: AllocEvent | FreeEvent | undefined;
  t: number;
  x: number;
  /** The chunk open when it happened (its index in the attempt), -1 outside chunks. */
  chunk: number;
  attempt: number;
  deviceBytes: number;
  stagingBytes: number;
  /** Bytes of each non-empty layer of the stack, bottom first. */
  layers: { key: string; bytes: number }[];
}

/** A trace's series, marks and per-sample context, grown in place; see the module comment. */
export class TimelineIndex {
  readonly series = new MemorySeries();
  readonly marks = new RunMarks();
  /** Per sample: the chunk open and the attempt when it was taken. */
  private readonly _chunk: number[] = [-1];
  private readonly _attempt: number[] = [0];
  private readonly _usageSeen = new Set<string>();

  /** Takes the next trace event. */
  append(event: TraceEvent): void {
    this.marks.append(event);
    const before = this.series.length;
    this.series.append(event);
    if (this.series.length > before) {
      this._chunk.push(this.marks.chunk);
      this._attempt.push(this.marks.attempt);
      if (event.kind === 'alloc' && event.usage !== 'staging') this._usageSeen.add(event.usage);
    }
  }

  /** Time where the axis is at `x`. */
  timeAt(axis: TimelineAxis, x: number): number {
    return axis === 'time' ? x : this.marks.timeAtChunkX(x, this.series.tEnd);
  }

  /** Position on the axis of time `t`. */
  xAt(axis: TimelineAxis, t: number): number {
    return axis === 'time' ? t : this.marks.chunkX(t, this.series.tEnd);
  }

  /** The end of the axis. */
  extentEnd(axis: TimelineAxis): number {
    return axis === 'time' ? Math.max(this.series.tEnd, 1e-3) : this.marks.bands.length + 1;
  }

  /** The chart's view of a window; see {@link TimelineView}. */
  view(query: TimelineQuery): TimelineView {
    const { series, marks } = this;
    const { axis } = query;
    const end = this.extentEnd(axis);
    const [from, to] = clampWindow(query.from ?? 0, query.to ?? end, end);
    const n = Math.min(4096, Math.max(1, Math.floor(query.buckets) || 1));
    const edges = new Float64Array(n + 1);
    const times = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) {
      edges[i] = from + ((to - from) * i) / n;
      times[i] = this.timeAt(axis, edges[i]);
    }
    const b = series.buckets(times);
    const layers = this._columns(query.stackBy).map(({ key, column }) => {
      const bytes = new Float64Array(n);
      for (let i = 0; i < n; i++) bytes[i] = column[b.top[i]];
      return { key, bytes };
    });
    const [t0, t1] = [times[0], times[n]];
    const listed = marks.bandsBetween(t0, t1, series.tEnd, kMaxBandsListed);
    const bands = listed.bands.map(({ begin, finish, ...band }) => ({
      ...band,
      x0: this.xAt(axis, begin),
      x1: this.xAt(axis, finish ?? series.tEnd),
      running: finish === undefined,
    }));
    const inWindow = marks.markers.filter((m) => m.event.t >= t0 && m.event.t <= t1);
    const peak = series.peakSetBy
      ? { bytes: series.peakBytes, x: this.xAt(axis, series.peakSetBy.t), t: series.peakSetBy.t, label: series.peakSetBy.label, allocBytes: series.peakSetBy.bytes, sample: series.peakSample }
      : null;
    return {
      axis,
      extent: [0, end],
      window: [from, to],
      edges,
      deviceMin: b.deviceMin,
      deviceMax: b.deviceMax,
      deviceLast: b.deviceLast,
      stagingMin: b.stagingMin,
      stagingMax: b.stagingMax,
      stagingLast: b.stagingLast,
      layers,
      eventCount: series.eventCount,
      sampleCount: series.length,
      tEnd: series.tEnd,
      chunkCount: marks.bands.length,
      peak,
      stagingPeakBytes: series.stagingPeakBytes,
      bands,
      bandsInWindow: listed.count,
      markers: inWindow.slice(0, kMaxMarkersListed).map((m) => ({ ...m, x: this.xAt(axis, m.event.t) })),
      markersInWindow: inWindow.length,
    };
  }

  /** The sample a pointer at `x` on the axis points at: the step drawn there. */
  sampleAtX(axis: TimelineAxis, x: number): number {
    return this.series.sampleAt(this.timeAt(axis, x));
  }

  /** What happened at sample `sample` (clamped to the samples there are); `events` is the trace the index was built from. */
  detail(sample: number, events: readonly TraceEvent[], axis: TimelineAxis, stackBy: StackBy): SampleDetail {
    const { series } = this;
    const i = Math.min(series.length - 1, Math.max(0, Math.floor(sample) || 0));
    const eventIndex = series.eventIndex[i];
    const event = eventIndex >= 0 ? events[eventIndex] : undefined;
    return {
      sample: i,
      sampleCount: series.length,
      eventIndex,
      event: event?.kind === 'alloc' || event?.kind === 'free' ? event : undefined,
      t: series.t[i],
      x: this.xAt(axis, series.t[i]),
      chunk: this._chunk[i],
      attempt: this._attempt[i],
      deviceBytes: series.device[i],
      stagingBytes: series.staging[i],
      layers: this._columns(stackBy)
        .map(({ key, column }) => ({ key, bytes: column[i] }))
        .filter((l) => l.bytes > 0),
    };
  }

  /** The stack's columns, without layers that never held a byte. */
  private _columns(stackBy: StackBy): { key: string; column: number[] }[] {
    if (stackBy === 'usage') return kDeviceUsageClasses.filter((u) => this._usageSeen.has(u)).map((key) => ({ key, column: this.series.byUsage[key] }));
    return [...this.series.byArray].map(([key, column]) => ({ key, column }));
  }
}

/** A window inside `[0, end]`, at least a millionth of it wide, in order. */
function clampWindow(from: number, to: number, end: number): [number, number] {
  let [a, b] = [Number.isFinite(from) ? from : 0, Number.isFinite(to) ? to : end];
  if (b < a) [a, b] = [b, a];
  const least = end * 1e-6;
  a = Math.min(Math.max(0, a), end);
  b = Math.min(Math.max(a + least, b), end);
  if (b - a < least) a = Math.max(0, b - least);
  return [a, b];
}
