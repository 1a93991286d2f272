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
  }

  /** The last sample at or before time `t` (0 before the first). */
  sampleAt(t: number): number {
    let lo = 0;
    let hi = this.t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.t[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * At most `4 × buckets` sample indices, in order, that draw the same step curves at
   * `buckets` columns of resolution: in each column the sample that enters it, the one
   * with the most device bytes (so no peak is lost), the one with the most staging bytes,
   * and the one that leaves it.
   */
  thinned(buckets: number): number[] {
    const n = this.t.length;
    if (n <= 4 * buckets) return Array.from({ length: n }, (_, i) => i);
    const span = Math.max(this.tEnd, this.t[n - 1]) || 1;
    const bucketOf = (i: number) => Math.min(buckets - 1, Math.floor((this.t[i] / span) * buckets));
    const keep: number[] = [];
    for (let first = 0; first < n; ) {
      const bucket = bucketOf(first);
      let end = first + 1;
      let mostDevice = first;
      let mostStaging = first;
      for (; end < n && bucketOf(end) === bucket; end++) {
        if (this.device[end] > this.device[mostDevice]) mostDevice = end;
        if (this.staging[end] > this.staging[mostStaging]) mostStaging = end;
      }
      for (const i of new Set([first, mostDevice, mostStaging, end - 1].sort((a, b) => a - b))) keep.push(i);
      first = end;
    }
    return keep;
  }
}
