/**
 * Memory over the time of a run, built from its trace one event at a time: after every
 * alloc and free, the device-local bytes live (in all, per array, per usage class) and
 * the staging bytes live. The timeline draws it, live and after the run, and the CSV
 * export writes it, so both show the same curve.
 *
 * Column-wise (one array per quantity) because a run can free and allocate 100 000
 * times: a sample object each would cost more than the numbers in it.
 */
import type { AllocEvent, PeakSetter, SegmentEvent, TraceEvent, UsageClass } from './trace.ts';

/** The device-local usage classes (what counts against the budget), in stacking order. */
export const kDeviceUsageClasses = ['storage', 'uniform'] as const satisfies readonly UsageClass[];

/** The layer of device-local buffers that name no array. */
export const kUnnamedLayer = '(no array)';

/** Samples per block summary: a bucket over many samples reads their blocks, not each sample. */
const kBlock = 64;

/** A series cut into time buckets ({@link MemorySeries.buckets}); every array has one entry per bucket. */
export interface SeriesBuckets {
  deviceMin: Float64Array;
  deviceMax: Float64Array;
  /** Device bytes at the bucket's right edge: where the next bucket's step starts. */
  deviceLast: Float64Array;
  stagingMin: Float64Array;
  stagingMax: Float64Array;
  stagingLast: Float64Array;
  /** Reserved bytes (see {@link MemorySeries.reserved}) the same way. */
  reservedMin: Float64Array;
  reservedMax: Float64Array;
  reservedLast: Float64Array;
  /** The sample with the most device bytes in the bucket (the first such). */
  top: Int32Array;
}

/** Device and staging bytes live after each alloc and free; see the module comment. */
export class MemorySeries {
  /** Sample `i` is the state just after trace event `eventIndex[i]`; sample 0 (index -1) is the empty start. */
  readonly eventIndex: number[] = [-1];
  readonly t: number[] = [0];
  /** Device-local (storage + uniform) bytes live. */
  readonly device: number[] = [0];
  /** Staging (host-visible) bytes live. */
  readonly staging: number[] = [0];
  /**
   * Device-local bytes reserved: live segments, plus device-local buffers outside any
   * segment. Without segment events it equals {@link device}; with them it is the line a
   * caching allocator draws above the allocated bytes.
   */
  readonly reserved: number[] = [0];
  /** Device-local bytes live per array, in the order arrays first appear; each column as long as {@link t}. */
  readonly byArray = new Map<string, number[]>();
  /** Device-local bytes live per usage class. */
  readonly byUsage: Record<(typeof kDeviceUsageClasses)[number], number[]> = { storage: [0], uniform: [0] };
  /** Most device-local bytes live at once, and the sample and allocation that first reached it. */
  peakBytes = 0;
  peakSample = 0;
  peakSetBy: PeakSetter | null = null;
  /** Most staging bytes live at once. */
  stagingPeakBytes = 0;
  /** Most device-local bytes reserved at once. */
  reservedPeakBytes = 0;
  /** Whether any segment event was seen: reserved and device bytes can then differ. */
  hasSegments = false;
  /** Time of the last event seen, memory or not. */
  tEnd = 0;
  /** Trace events seen so far. */
  eventCount = 0;

  private readonly _live = new Map<number, AllocEvent>();
  private readonly _segments = new Map<number, SegmentEvent>();
  private readonly _arrayBytes = new Map<string, number>();
  /** Per block of {@link kBlock} samples: most and least device bytes (and the sample with the most), most and least staging. */
  private readonly _blockDeviceMax: number[] = [];
  private readonly _blockDeviceTop: number[] = [];
  private readonly _blockDeviceMin: number[] = [];
  private readonly _blockStagingMax: number[] = [];
  private readonly _blockStagingMin: number[] = [];
  private readonly _blockReservedMax: number[] = [];
  private readonly _blockReservedMin: number[] = [];

  constructor() {
    this._summarize(0);
  }

  /** Builds the series of a whole trace. */
  static of(events: readonly TraceEvent[]): MemorySeries {
    const series = new MemorySeries();
    series.appendAll(events);
    return series;
  }

  /** Device-local bytes live now. */
  get deviceNow(): number {
    return this.device[this.device.length - 1];
  }

  /** Staging bytes live now. */
  get stagingNow(): number {
    return this.staging[this.staging.length - 1];
  }

  /** Device-local bytes reserved now. */
  get reservedNow(): number {
    return this.reserved[this.reserved.length - 1];
  }

  /** Buffers allocated and not yet freed, in allocation order. */
  liveBuffers(): AllocEvent[] {
    return [...this._live.values()];
  }

  /** Samples so far (the empty start included). */
  get length(): number {
    return this.t.length;
  }

  appendAll(events: readonly TraceEvent[]): void {
    for (const event of events) this.append(event);
  }

  /** Takes the next trace event; only alloc and free add a sample. */
  append(event: TraceEvent): void {
    const index = this.eventCount++;
    this.tEnd = Math.max(this.tEnd, event.t);
    let alloc: AllocEvent | undefined;
    let sign: 1 | -1;
    if (event.kind === 'segment-alloc' || event.kind === 'segment-free') {
      this._appendSegment(event, index);
      return;
    }
    if (event.kind === 'alloc') {
      alloc = event;
      this._live.set(event.id, event);
      sign = 1;
    } else if (event.kind === 'free') {
      // The free's own fields are trusted less than the alloc it pairs with: a hand-edited trace may disagree.
      alloc = this._live.get(event.id);
      if (!alloc) return;
      this._live.delete(event.id);
      sign = -1;
    } else {
      return;
    }
    const bytes = sign * alloc.bytes;
    const staging = alloc.usage === 'staging';
    this.eventIndex.push(index);
    this.t.push(event.t);
    this.device.push(this.deviceNow + (staging ? 0 : bytes));
    this.staging.push(this.stagingNow + (staging ? bytes : 0));
    this.reserved.push(this.reservedNow + (staging || alloc.segment !== undefined ? 0 : bytes));
    this.reservedPeakBytes = Math.max(this.reservedPeakBytes, this.reservedNow);
    if (!staging) {
      const layer = alloc.array ?? kUnnamedLayer;
      this._arrayBytes.set(layer, (this._arrayBytes.get(layer) ?? 0) + bytes);
      if (!this.byArray.has(layer)) this.byArray.set(layer, new Array<number>(this.t.length - 1).fill(0));
    }
    for (const [layer, column] of this.byArray) column.push(this._arrayBytes.get(layer) ?? 0);
    for (const usage of kDeviceUsageClasses) {
      const column = this.byUsage[usage];
      column.push(column[column.length - 1] + (alloc.usage === usage ? bytes : 0));
    }
    const sample = this.t.length - 1;
    if (this.device[sample] > this.peakBytes) {
      this.peakBytes = this.device[sample];
      this.peakSample = sample;
      this.peakSetBy = { label: alloc.label, bytes: alloc.bytes, t: event.t };
    }
    this.stagingPeakBytes = Math.max(this.stagingPeakBytes, this.staging[sample]);
    this._summarize(sample);
  }

  /** A segment reserved or given back: a sample whose allocated bytes stay as they were. */
  private _appendSegment(event: SegmentEvent, index: number): void {
    let bytes: number;
    if (event.kind === 'segment-alloc') {
      this._segments.set(event.id, event);
      bytes = event.bytes;
    } else {
      const reserved = this._segments.get(event.id);
      if (!reserved) return;
      this._segments.delete(event.id);
      bytes = -reserved.bytes;
    }
    this.hasSegments = true;
    this.eventIndex.push(index);
    this.t.push(event.t);
    this.device.push(this.deviceNow);
    this.staging.push(this.stagingNow);
    this.reserved.push(this.reservedNow + bytes);
    this.reservedPeakBytes = Math.max(this.reservedPeakBytes, this.reservedNow);
    for (const column of this.byArray.values()) column.push(column[column.length - 1]);
    for (const usage of kDeviceUsageClasses) this.byUsage[usage].push(this.byUsage[usage][this.byUsage[usage].length - 1]);
    this._summarize(this.t.length - 1);
  }

  /** The last sample at or before time `t` (0 before the first). */
  sampleAt(t: number): number {
    return lastAtOrBefore(this.t, t, this.t.length - 1);
  }

  /**
   * Device and staging bytes per time bucket, for a chart `edges.length − 1` columns wide:
   * each bucket's least, most and last value (the step entering the bucket included, so
   * an empty bucket shows the level it sits at) and the sample with the most device bytes,
   * whose layers the stack draws. No peak is lost however many samples share a bucket.
   * Cost: the buckets plus one pass over {@link kBlock}-sample summaries, not the samples.
   */
  buckets(edges: ArrayLike<number>): SeriesBuckets {
    const n = Math.max(0, edges.length - 1);
    const out: SeriesBuckets = {
      deviceMin: new Float64Array(n),
      deviceMax: new Float64Array(n),
      deviceLast: new Float64Array(n),
      stagingMin: new Float64Array(n),
      stagingMax: new Float64Array(n),
      stagingLast: new Float64Array(n),
      reservedMin: new Float64Array(n),
      reservedMax: new Float64Array(n),
      reservedLast: new Float64Array(n),
      top: new Int32Array(n),
    };
    for (let b = 0; b < n; b++) {
      // The step entering the bucket, then its samples: those at its left edge, not those at
      // its right (which belong to the next bucket), except in the last bucket.
      const lo = this._lastBefore(edges[b]);
      const hi = Math.max(lo, b === n - 1 ? this.sampleAt(edges[b + 1]) : this._lastBefore(edges[b + 1]));
      this._rangeInto(lo, hi, out, b);
    }
    return out;
  }

  /** The last sample strictly before time `t` (0 when none). */
  private _lastBefore(t: number): number {
    let lo = 0;
    let hi = this.t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.t[mid] < t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Least, most and last values of samples `lo..hi` (inclusive) into bucket `b`, whole blocks from their summaries. */
  private _rangeInto(lo: number, hi: number, out: SeriesBuckets, b: number): void {
    let dMin = Infinity;
    let dMax = -Infinity;
    let top = lo;
    let sMin = Infinity;
    let sMax = -Infinity;
    let rMin = Infinity;
    let rMax = -Infinity;
    for (let i = lo; i <= hi; ) {
      if ((i & (kBlock - 1)) === 0 && i + kBlock - 1 <= hi && i + kBlock - 1 < this.t.length) {
        const k = i / kBlock;
        if (this._blockDeviceMax[k] > dMax) [dMax, top] = [this._blockDeviceMax[k], this._blockDeviceTop[k]];
        dMin = Math.min(dMin, this._blockDeviceMin[k]);
        sMax = Math.max(sMax, this._blockStagingMax[k]);
        sMin = Math.min(sMin, this._blockStagingMin[k]);
        rMax = Math.max(rMax, this._blockReservedMax[k]);
        rMin = Math.min(rMin, this._blockReservedMin[k]);
        i += kBlock;
        continue;
      }
      const d = this.device[i];
      if (d > dMax) [dMax, top] = [d, i];
      if (d < dMin) dMin = d;
      const s = this.staging[i];
      if (s > sMax) sMax = s;
      if (s < sMin) sMin = s;
      const r = this.reserved[i];
      if (r > rMax) rMax = r;
      if (r < rMin) rMin = r;
      i++;
    }
    out.deviceMin[b] = dMin;
    out.deviceMax[b] = dMax;
    out.deviceLast[b] = this.device[hi];
    out.stagingMin[b] = sMin;
    out.stagingMax[b] = sMax;
    out.stagingLast[b] = this.staging[hi];
    out.reservedMin[b] = rMin;
    out.reservedMax[b] = rMax;
    out.reservedLast[b] = this.reserved[hi];
    out.top[b] = top;
  }

  /** Folds sample `i` into its block's summary. */
  private _summarize(i: number): void {
    const k = Math.floor(i / kBlock);
    const [d, s, r] = [this.device[i], this.staging[i], this.reserved[i]];
    if (k === this._blockDeviceMax.length) {
      this._blockReservedMax.push(r);
      this._blockReservedMin.push(r);
      this._blockDeviceMax.push(d);
      this._blockDeviceTop.push(i);
      this._blockDeviceMin.push(d);
      this._blockStagingMax.push(s);
      this._blockStagingMin.push(s);
      return;
    }
    if (d > this._blockDeviceMax[k]) [this._blockDeviceMax[k], this._blockDeviceTop[k]] = [d, i];
    this._blockDeviceMin[k] = Math.min(this._blockDeviceMin[k], d);
    this._blockStagingMax[k] = Math.max(this._blockStagingMax[k], s);
    this._blockStagingMin[k] = Math.min(this._blockStagingMin[k], s);
    this._blockReservedMax[k] = Math.max(this._blockReservedMax[k], r);
    this._blockReservedMin[k] = Math.min(this._blockReservedMin[k], r);
  }
}

/**
 * The last index in `[0, last]` of ascending `values` whose value is at most `x` (0 when
 * none is): the sample at an instant, or the bucket holding a position.
 */
export function lastAtOrBefore(values: ArrayLike<number>, x: number, last: number): number {
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (values[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
