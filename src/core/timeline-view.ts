/**
 * The memory timeline of one trace as the chart asks for it: a window of the run (by
 * time or by chunk), cut into as many buckets as the chart has pixel columns. The index
 * grows one event at a time while a run goes on and lives where the trace lives (the
 * worker), so the page receives only what it draws — a few thousand numbers, however
 * many events the run recorded.
 */
import { kDeviceUsageClasses, kUnnamedLayer, MemorySeries, type SeriesBuckets } from './memory-series.ts';
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
  /** The chunk being stepped through (its index in the attempt, from 0): the view places its bands in {@link TimelineView.stepped}. */
  stepChunk?: number;
}

/** Where the stepped chunk ran: one entry per attempt that began a chunk with its index. */
export interface SteppedBand {
  index: number;
  attempt: number;
  start: number;
  end: number;
  dangling: boolean;
  x0: number;
  x1: number;
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

/**
 * What the chart draws of a window (see the module comment): per bucket, device, staging
 * and reserved bytes (reserved empty when the trace has no segment events).
 */
export interface TimelineView extends Omit<SeriesBuckets, 'top'> {
  axis: TimelineAxis;
  /** The whole run on the axis: `[0, end]`. */
  extent: [number, number];
  /** The window drawn. */
  window: [number, number];
  /** Bucket edges on the axis (buckets + 1 of them). */
  edges: Float64Array;
  /** Most bytes reserved at once, and where the first sample that reached it sits; null without segment events. */
  reservedPeak: { bytes: number; x: number } | null;
  layers: ViewLayer[];
  /** Trace events and memory samples so far (the empty start is sample 0). */
  eventCount: number;
  sampleCount: number;
  tEnd: number;
  chunkCount: number;
  /** When the first chunk began (ms), or null before one has: where a compared run is aligned. */
  firstChunkT: number | null;
  peak: { bytes: number; x: number; t: number; label: string; allocBytes: number; sample: number } | null;
  stagingPeakBytes: number;
  /** Bands in the window: listed when at most {@link kMaxBandsListed}, always counted. */
  bands: ViewBand[];
  bandsInWindow: number;
  markers: ViewMarker[];
  markersInWindow: number;
  /** The bands of {@link TimelineQuery.stepChunk}, wherever they lie (in the window or not); empty when none was asked. */
  stepped: SteppedBand[];
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
  /** Bytes reserved (equal to {@link deviceBytes} without segment events). */
  reservedBytes: number;
  /**
   * The allocation drawn at the height asked for (when a height was given): the block
   * whose part of the stack holds those bytes, as PyTorch's memory viewer picks a block.
   */
  block?: { eventIndex: number; event: AllocEvent; chunk: number; attempt: number; baseBytes: number };
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
  /** Per device-local allocation, in order: its trace index, the sample it added, and the sample its free added (Infinity while live). */
  private readonly _allocEvent: number[] = [];
  private readonly _allocFrom: number[] = [];
  private readonly _allocTo: number[] = [];
  private readonly _allocById = new Map<number, number>();
  private readonly _allocs: AllocEvent[] = [];
  private _reservedPeakSample = -1;

  /** Takes the next trace event. */
  append(event: TraceEvent): void {
    this.marks.append(event);
    const before = this.series.length;
    this.series.append(event);
    if (this.series.length > before) {
      const sample = this.series.length - 1;
      this._chunk.push(this.marks.chunk);
      this._attempt.push(this.marks.attempt);
      if (event.kind === 'alloc' && event.usage !== 'staging') {
        this._usageSeen.add(event.usage);
        this._allocById.set(event.id, this._allocEvent.length);
        this._allocEvent.push(this.series.eventCount - 1);
        this._allocs.push(event);
        this._allocFrom.push(sample);
        this._allocTo.push(Infinity);
      } else if (event.kind === 'free') {
        const at = this._allocById.get(event.id);
        if (at !== undefined) {
          this._allocTo[at] = sample;
          this._allocById.delete(event.id);
        }
      }
      if (this.series.reserved[sample] > (this._reservedPeakSample < 0 ? 0 : this.series.reserved[this._reservedPeakSample])) this._reservedPeakSample = sample;
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
    const segments = series.hasSegments;
    const [t0, t1] = [times[0], times[n]];
    const listed = marks.bandsBetween(t0, t1, series.tEnd, kMaxBandsListed);
    const bands = listed.bands.map(({ begin, finish, ...band }) => {
      const [x0, x1] = this._bandX(axis, { begin, finish, ordinal: band.ordinal });
      return { ...band, x0, x1, running: finish === undefined };
    });
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
      reservedMin: segments ? b.reservedMin : new Float64Array(0),
      reservedMax: segments ? b.reservedMax : new Float64Array(0),
      reservedLast: segments ? b.reservedLast : new Float64Array(0),
      reservedPeak: segments && this._reservedPeakSample >= 0 ? { bytes: series.reservedPeakBytes, x: this.xAt(axis, series.t[this._reservedPeakSample]) } : null,
      layers,
      eventCount: series.eventCount,
      sampleCount: series.length,
      tEnd: series.tEnd,
      chunkCount: marks.bands.length,
      firstChunkT: marks.bands[0]?.begin ?? null,
      peak,
      stagingPeakBytes: series.stagingPeakBytes,
      bands,
      bandsInWindow: listed.count,
      markers: inWindow.slice(0, kMaxMarkersListed).map((m) => ({ ...m, x: this.xAt(axis, m.event.t) })),
      markersInWindow: inWindow.length,
      stepped: query.stepChunk === undefined ? [] : this._stepped(axis, query.stepChunk),
    };
  }

  /** The device bytes of this trace over `edges` on the axis, read `shiftMs` earlier: another run's line drawn aligned with this one. */
  line(axis: TimelineAxis, edges: Float64Array, shiftMs: number): { deviceMin: Float64Array; deviceMax: Float64Array; deviceLast: Float64Array } {
    const times = new Float64Array(edges.length);
    for (let i = 0; i < edges.length; i++) times[i] = this.timeAt(axis, edges[i]) - shiftMs;
    const b = this.series.buckets(times);
    return { deviceMin: b.deviceMin, deviceMax: b.deviceMax, deviceLast: b.deviceLast };
  }

  /**
   * A chunk's span on the axis. On the chunk axis it begins at its own slot: chunks begun
   * in the same tick of the trace's clock share a time, and the time's position is the
   * last of their slots.
   */
  private _bandX(axis: TimelineAxis, band: Pick<ChunkBand, 'begin' | 'finish' | 'ordinal'>): [number, number] {
    const x1 = this.xAt(axis, band.finish ?? this.series.tEnd);
    if (axis === 'time') return [band.begin, x1];
    const x0 = band.ordinal + 1;
    return [x0, Math.max(x0, x1)];
  }

  /** The bands of chunk `k` in every attempt, on the axis. */
  private _stepped(axis: TimelineAxis, k: number): SteppedBand[] {
    const out: SteppedBand[] = [];
    for (const band of this.marks.bands) {
      if (band.index !== k) continue;
      const { index, attempt, start, end, dangling } = band;
      const [x0, x1] = this._bandX(axis, band);
      out.push({ index, attempt, start, end, dangling, x0, x1 });
    }
    return out;
  }

  /**
   * The device-local allocation live at `sample` whose part of the stack holds `bytes`:
   * the stack is the layers in `order` (bottom first; keys not listed go on top), each
   * layer its live allocations in the order they were made. Undefined above the stack.
   */
  blockAt(sample: number, bytes: number, stackBy: StackBy, order: readonly string[]): SampleDetail['block'] {
    if (!(bytes >= 0)) return undefined;
    const rank = new Map(order.map((key, i) => [key, i]));
    const live: { at: number; rank: number }[] = [];
    for (let a = 0; a < this._allocEvent.length; a++) {
      if (this._allocFrom[a] > sample || this._allocTo[a] <= sample) continue;
      const event = this._allocs[a];
      const key = stackBy === 'usage' ? event.usage : (event.array ?? kUnnamedLayer);
      live.push({ at: a, rank: rank.get(key) ?? order.length });
    }
    // Stable: within a layer, allocation order stays.
    live.sort((x, y) => x.rank - y.rank);
    let base = 0;
    for (const { at } of live) {
      const event = this._allocs[at];
      if (bytes < base + event.bytes) {
        const from = this._allocFrom[at];
        return { eventIndex: this._allocEvent[at], event, chunk: this._chunk[from], attempt: this._attempt[from], baseBytes: base };
      }
      base += event.bytes;
    }
    return undefined;
  }

  /** The sample a pointer at `x` on the axis points at: the step drawn there. */
  sampleAtX(axis: TimelineAxis, x: number): number {
    return this.series.sampleAt(this.timeAt(axis, x));
  }

  /**
   * What a pointer at `x` on the axis reads: the sample drawn there, but at the pointer's
   * own time and in the chunk open then (the last event may lie chunks earlier: a run that
   * reuses its buffers allocates them all before its first chunk).
   */
  detailAtX(x: number, events: readonly TraceEvent[], axis: TimelineAxis, stackBy: StackBy): SampleDetail {
    const detail = this.detail(this.sampleAtX(axis, x), events, axis, stackBy);
    const t = Math.min(Math.max(0, this.timeAt(axis, x)), this.series.tEnd);
    const open = this.marks.bandsBetween(t, t, this.series.tEnd, 8).bands.filter((b) => b.begin <= t && (b.finish ?? Infinity) > t);
    const band = open.at(-1);
    return { ...detail, t, x: this.xAt(axis, t), chunk: band ? band.index : -1, attempt: band ? band.attempt : detail.attempt };
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
      reservedBytes: series.reserved[i],
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
