/**
 * What the timeline marks beside the memory curve, built one trace event at a time like
 * the memory series: a band per chunk (with its attempt, its runs, whether a fault cut it
 * short, whether it is the dangling final chunk), a marker per fault and fallback, and
 * the chunk axis — time warped so that every chunk gets the same width, because a run's
 * set-up can take longer than all its chunks together.
 */
import type { AllocationFaultEvent, DeviceLostEvent, FallbackEvent, TraceEvent } from './trace.ts';

/** A chunk's span in one attempt; `end` is undefined while the chunk is still running. */
export interface ChunkBand {
  /** Position among every chunk begun in the run, attempts together: its slot on the chunk axis. */
  ordinal: number;
  /** The chunk's index within its attempt. */
  index: number;
  attempt: number;
  /** Runs `[start, end)`. */
  start: number;
  end: number;
  begin: number;
  finish: number | undefined;
  /** Trace indices of its `chunk-begin` and of its `chunk-end` (or of the fault or attempt that cut it short; undefined while running): the event log's rows of the chunk lie between. */
  beginEvent: number;
  endEvent: number | undefined;
  /** False for a chunk a fault cut short (or still running). */
  done: boolean;
  /** Shorter than its attempt's chunkLength: the dangling final chunk. */
  dangling: boolean;
}

/** A fault or fallback, with its index in the trace. */
export interface RunMarker {
  event: AllocationFaultEvent | DeviceLostEvent | FallbackEvent;
  eventIndex: number;
}

/**
 * Whether an event between chunk `k`'s begin and end belongs to it: every event there
 * but those naming another chunk (the next chunk begins, uploads and dispatches while
 * chunk `k` is still open, with one buffer set as with two).
 */
export function eventOfChunk(event: TraceEvent, k: number): boolean {
  if (event.kind === 'chunk-begin' || event.kind === 'chunk-end') return event.index === k;
  if ('chunk' in event && typeof event.chunk === 'number') return event.chunk === k;
  return true;
}

/** Bands, markers and the attempt and chunk each moment belongs to; see the module comment. */
export class RunMarks {
  readonly bands: ChunkBand[] = [];
  readonly markers: RunMarker[] = [];
  /** The attempt in progress (0 before the first). */
  attempt = 0;
  /** The most recently begun chunk still open (its index in the attempt), or -1. */
  chunk = -1;
  private _chunkLength = 0;
  private _events = 0;
  // Two chunks overlap (the next is packed while one runs), so open bands are kept by index.
  private readonly _open = new Map<number, ChunkBand>();

  append(e: TraceEvent): void {
    const eventIndex = this._events++;
    switch (e.kind) {
      case 'attempt':
        this._closeAll(e.t, eventIndex);
        this.attempt = e.attempt;
        this._chunkLength = e.chunkLength;
        return;
      case 'chunk-begin': {
        const band: ChunkBand = {
          ordinal: this.bands.length,
          index: e.index,
          attempt: this.attempt,
          start: e.start,
          end: e.end,
          begin: e.t,
          finish: undefined,
          beginEvent: eventIndex,
          endEvent: undefined,
          done: false,
          dangling: this._chunkLength > 0 && e.end - e.start < this._chunkLength,
        };
        this._open.set(e.index, band);
        this.bands.push(band);
        this.chunk = e.index;
        return;
      }
      case 'chunk-end': {
        const band = this._open.get(e.index);
        if (band) Object.assign(band, { finish: e.t, endEvent: eventIndex, done: true });
        this._open.delete(e.index);
        if (this.chunk === e.index) this.chunk = this._open.size ? [...this._open.keys()].at(-1)! : -1;
        return;
      }
      case 'oom':
      case 'validation-error':
      case 'device-lost':
      case 'fallback':
        this.markers.push({ event: e, eventIndex });
        if (e.kind !== 'fallback') this._closeAll(e.t, eventIndex);
        return;
      case 'done':
        this._closeAll(e.t, eventIndex);
        return;
    }
  }

  /**
   * Bands overlapping times `[t0, t1]`, in order, and how many there are; the list is left
   * empty when more than `limit` overlap (too many to draw one by one). Bands begin in
   * time order, so a search finds the first.
   */
  bandsBetween(t0: number, t1: number, tEnd: number, limit: number): { count: number; bands: ChunkBand[] } {
    // A band may begin before t0 and still be open: step back over the overlap of chunks in flight.
    const lo = Math.max(0, this._firstBeginAtOrAfter(t0) - 2);
    let hi = this._firstBeginAtOrAfter(t1);
    while (hi < this.bands.length && this.bands[hi].begin <= t1) hi++;
    const overlaps = (b: ChunkBand) => (b.finish ?? tEnd) >= t0 && b.begin <= t1;
    let count = hi - lo;
    for (let i = lo; i < Math.min(hi, lo + 2); i++) if (!overlaps(this.bands[i])) count--;
    return { count, bands: count > limit ? [] : this.bands.slice(lo, hi).filter(overlaps) };
  }

  /**
   * Position of time `t` on the chunk axis: 0 at the start, chunk ordinal `k` begins at
   * `k + 1`, the end of the run (`tEnd`) at `bands.length + 1`; linear in between.
   */
  chunkX(t: number, tEnd: number): number {
    if (!Number.isFinite(t)) return 0;
    const n = this.bands.length;
    // The last knot at or before t (knot j: j = 0 the start, 1..n the chunk begins, n + 1 the end).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this._knotT(mid, tEnd) <= t) lo = mid;
      else hi = mid - 1;
    }
    const [a, b] = [this._knotT(lo, tEnd), this._knotT(lo + 1, tEnd)];
    return b > a ? lo + Math.min(1, Math.max(0, (t - a) / (b - a))) : lo;
  }

  /** The time at chunk-axis position `x`: the inverse of {@link chunkX}. */
  timeAtChunkX(x: number, tEnd: number): number {
    if (!Number.isFinite(x)) return 0;
    const n = this.bands.length;
    const j = Math.min(n, Math.max(0, Math.floor(x)));
    const frac = Math.min(1, Math.max(0, x - j));
    const [a, b] = [this._knotT(j, tEnd), this._knotT(j + 1, tEnd)];
    return a + frac * (b - a);
  }

  private _knotT(j: number, tEnd: number): number {
    if (j <= 0) return 0;
    if (j > this.bands.length) return Math.max(tEnd, this.bands.at(-1)?.begin ?? 0);
    return this.bands[j - 1].begin;
  }

  /** The first band beginning at or after `t` (bands.length when none). */
  private _firstBeginAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.bands.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.bands[mid].begin < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private _closeAll(t: number, eventIndex: number): void {
    for (const band of this._open.values()) [band.finish, band.endEvent] = [t, eventIndex];
    this._open.clear();
    this.chunk = -1;
  }
}
