/**
 * The trace model (DESIGN.md, "Trace"): the ordered event log of one execution, and the
 * pure summary the report, the timeline and the exports are drawn from.
 *
 * Byte counts are plain numbers: a single buffer cannot pass 2^53 bytes, and sums of
 * live buffers stay far below it, so the trace stays JSON without a replacer.
 */
import { MemorySeries } from './memory-series.ts';
import type { Fallback } from './scenario.ts';

/** How a buffer is used: device-local (`storage`, `uniform`) or host-visible (`staging`). */
export const kUsageClasses = ['storage', 'uniform', 'staging'] as const;
/** One of {@link kUsageClasses}. */
export type UsageClass = (typeof kUsageClasses)[number];

/** The timed phases of a chunk, in the order a chunk goes through them. */
export const kPhases = ['upload', 'dispatch', 'readback', 'writeback'] as const;
/** One of {@link kPhases}. */
export type Phase = (typeof kPhases)[number];

/** Where a backend runs: real WebGPU or the CPU twin of each kernel. */
export type BackendName = 'webgpu' | 'cpu';

/** Fields every event has: milliseconds since the start of the execution. */
interface EventBase {
  t: number;
}

/** A buffer was created. `id` pairs it with its `free`. */
export interface AllocEvent extends EventBase {
  kind: 'alloc';
  id: number;
  label: string;
  bytes: number;
  usage: UsageClass;
  /** The scenario array the buffer holds; absent for a buffer shared by several (staging). */
  array?: string;
  /**
   * Under an allocator that carves blocks from segments (`caching`, an imported snapshot):
   * the segment the block lies in, and where. Absent: the buffer is its own reservation.
   */
  segment?: number;
  offset?: number;
}
/** A buffer was destroyed. */
export interface FreeEvent extends EventBase {
  kind: 'free';
  id: number;
  label: string;
  bytes: number;
  usage: UsageClass;
  array?: string;
}
/** The pools segments come from: the caching allocator's small and large pools. */
export const kSegmentPools = ['small', 'large'] as const;
/** One of {@link kSegmentPools}. */
export type SegmentPool = (typeof kSegmentPools)[number];

/**
 * Device memory was reserved (`segment-alloc`) or given back (`segment-free`) as a whole
 * segment, whose blocks the `alloc` and `free` events naming it hand out. Reserved bytes
 * are what counts against the budget; allocated bytes are the blocks.
 */
export interface SegmentEvent extends EventBase {
  kind: 'segment-alloc' | 'segment-free';
  id: number;
  label: string;
  bytes: number;
  pool: SegmentPool;
}
/** A chunk started or finished: runs `[start, end)`, `index` within its attempt. */
export interface ChunkEvent extends EventBase {
  kind: 'chunk-begin' | 'chunk-end';
  index: number;
  start: number;
  end: number;
}
/** One phase of one chunk took `ms` milliseconds and moved `bytes`; chunk -1 is the fixed arrays' upload. */
export interface PhaseEvent extends EventBase {
  kind: Phase;
  chunk: number;
  ms: number;
  bytes: number;
}
/** An allocation failed: out of memory (over the budget or on the device) or invalid (over a limit). */
export interface AllocationFaultEvent extends EventBase {
  kind: 'oom' | 'validation-error';
  label: string;
  bytes: number;
  /**
   * `budget` / `limit`: the engine enforced the scenario; `device`: WebGPU reported it; `injected`: a scenario fault;
   * `ledger`: a device shared with other jobs is full; `busy`: an exclusive device another worker holds (DEVICE_BUSY).
   */
  source: 'budget' | 'limit' | 'device' | 'injected' | 'ledger' | 'busy';
  message: string;
  /** Set when an allocator model that carves blocks from segments refused the request: its figures at that moment. */
  allocator?: AllocatorFailure;
}
/** An allocator model's figures when a request failed (DESIGN.md, "Allocator models"). */
export interface AllocatorFailure {
  allocatedBytes: number;
  reservedBytes: number;
  /** Reserved bytes no block holds. */
  reservedFreeBytes: number;
  /** The largest free range inside one segment. */
  largestFreeBytes: number;
  /** 1 − largest free block ÷ reserved-but-free bytes. */
  fragmentation: number;
  /** What expandable segments would have reserved with the request served. */
  expandableBytes: number;
}
/** The device was lost. */
export interface DeviceLostEvent extends EventBase {
  kind: 'device-lost';
  reason: string;
  message: string;
  injected: boolean;
  /** The chunk (within its attempt) that was running, if any. */
  chunk?: number;
}
/** A rung of the recovery ladder was taken (or a lost device replaced, with `to: 'retry'`). */
export interface FallbackEvent extends EventBase {
  kind: 'fallback';
  from: string;
  to: Fallback | 'retry';
  reason: string;
  chunkLengthBefore: number;
  chunkLengthAfter: number;
  /** First run not yet finished: where the next attempt resumes. */
  resumeAt: number;
}
/** A new attempt began: a backend, a chunk length, a precision. */
export interface AttemptEvent extends EventBase {
  kind: 'attempt';
  attempt: number;
  backend: BackendName;
  chunkLength: number;
  /** `native` keeps every array's dtype; `f16` stores f32 arrays as packed f16. */
  precision: 'native' | 'f16';
  /** The device-local (allocated) peak the plan of this attempt predicts under its allocator model. */
  predictedPeakBytes: number;
  /** The reserved peak predicted under an allocator with segments (`caching`); absent: equal to the allocated one. */
  predictedReservedPeakBytes?: number;
  /** What expandable segments would have reserved at most (`caching`; reported, not run). */
  predictedExpandablePeakBytes?: number;
  /** The staging peak this attempt's backend predicts for its plan (absent in traces written before it was recorded). */
  predictedStagingPeakBytes?: number;
  /** First run this attempt executes. */
  start: number;
}
/** The execution ended. */
export interface DoneEvent extends EventBase {
  kind: 'done';
  status: 'ok' | 'ladder-exhausted' | 'cancelled' | 'error';
  runsDone: number;
}

/** One event of a trace. */
export type TraceEvent =
  | AllocEvent
  | FreeEvent
  | SegmentEvent
  | ChunkEvent
  | PhaseEvent
  | AllocationFaultEvent
  | DeviceLostEvent
  | FallbackEvent
  | AttemptEvent
  | DoneEvent;

/** One event of a trace without its time, as a recorder takes it. */
export type UntimedEvent = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 't'> : never) : never;

/** Appends events with times measured from its creation. */
export class TraceRecorder {
  /** The events so far, in order. */
  readonly events: TraceEvent[] = [];
  private readonly _t0: number;
  private readonly _now: () => number;
  private readonly _onEvent: ((event: TraceEvent) => void) | undefined;

  /**
   * `now` is injectable so tests can give a deterministic clock; `onEvent` sees each
   * event as it is recorded, so a view can draw the run while it goes on.
   */
  constructor(now: () => number = () => performance.now(), onEvent?: (event: TraceEvent) => void) {
    this._now = now;
    this._t0 = now();
    this._onEvent = onEvent;
  }

  /** Milliseconds since the recorder was created. */
  elapsed(): number {
    return this._now() - this._t0;
  }

  /** Records `event` at the current time and returns it. */
  record<E extends UntimedEvent>(event: E): E & EventBase {
    const timed = { t: this.elapsed(), ...event } as E & EventBase;
    this.events.push(timed as TraceEvent);
    this._onEvent?.(timed as TraceEvent);
    return timed;
  }
}

/** The buffer whose allocation set a peak. */
export interface PeakSetter {
  label: string;
  bytes: number;
  t: number;
}

/** One attempt as the summary sees it: what it predicted and what it measured. */
export interface AttemptSummary {
  attempt: number;
  backend: BackendName;
  chunkLength: number;
  precision: 'native' | 'f16';
  start: number;
  predictedPeakBytes: number;
  measuredPeakBytes: number;
  setBy: PeakSetter | null;
  /** Absent when the trace did not record it. */
  predictedStagingPeakBytes?: number;
  /** Most staging bytes live at once during this attempt. */
  measuredStagingPeakBytes: number;
  /** Absent when the attempt event did not give it (no segments: the allocated peak). */
  predictedReservedPeakBytes?: number;
  predictedExpandablePeakBytes?: number;
  /** Most device-local bytes reserved at once during this attempt (segments, and buffers outside any). */
  measuredReservedPeakBytes: number;
}

/** One finished chunk on the timeline. */
export interface ChunkSpan {
  attempt: number;
  index: number;
  start: number;
  end: number;
  tBegin: number;
  tEnd: number;
}

/** What a trace adds up to. */
export interface TraceSummary {
  /** Most device-local bytes (storage + uniform) live at once. */
  peakBytes: number;
  /** The allocation that first reached {@link peakBytes}. */
  peakSetBy: PeakSetter | null;
  /** Most staging (host-visible) bytes live at once. */
  stagingPeakBytes: number;
  /** Most device-local bytes reserved at once: live segments, and buffers outside any segment. Equals {@link peakBytes} without segments. */
  reservedPeakBytes: number;
  /** Milliseconds spent in each phase, summed over chunks. */
  phases: Record<Phase, number>;
  /** Bytes moved in each phase, summed over chunks. */
  phaseBytes: Record<Phase, number>;
  /** Chunks that finished, in order. */
  chunks: ChunkSpan[];
  /** Each attempt's predicted and measured peak. */
  attempts: AttemptSummary[];
  /** Buffers allocated and never freed. */
  liveAfter: { id: number; label: string; bytes: number; usage: UsageClass }[];
  /** Faults in order: allocation failures and lost devices. */
  faults: (AllocationFaultEvent | DeviceLostEvent)[];
  /** Fallbacks in order. */
  fallbacks: FallbackEvent[];
}

/** Adds a trace up: peaks and who set them, phase times, chunks, attempts, leaks. Pure. */
export function summarizeTrace(events: readonly TraceEvent[]): TraceSummary {
  const memory = new MemorySeries();
  const summary: TraceSummary = {
    peakBytes: 0,
    peakSetBy: null,
    stagingPeakBytes: 0,
    reservedPeakBytes: 0,
    phases: { upload: 0, dispatch: 0, readback: 0, writeback: 0 },
    phaseBytes: { upload: 0, dispatch: 0, readback: 0, writeback: 0 },
    chunks: [],
    attempts: [],
    liveAfter: [],
    faults: [],
    fallbacks: [],
  };
  const open = new Map<number, ChunkEvent>();
  let attempt: AttemptSummary | undefined;
  for (const event of events) {
    memory.append(event);
    switch (event.kind) {
      case 'attempt':
        attempt = {
          attempt: event.attempt,
          backend: event.backend,
          chunkLength: event.chunkLength,
          precision: event.precision,
          start: event.start,
          predictedPeakBytes: event.predictedPeakBytes,
          measuredPeakBytes: 0,
          setBy: null,
          ...(event.predictedStagingPeakBytes !== undefined && { predictedStagingPeakBytes: event.predictedStagingPeakBytes }),
          measuredStagingPeakBytes: 0,
          ...(event.predictedReservedPeakBytes !== undefined && { predictedReservedPeakBytes: event.predictedReservedPeakBytes }),
          ...(event.predictedExpandablePeakBytes !== undefined && { predictedExpandablePeakBytes: event.predictedExpandablePeakBytes }),
          measuredReservedPeakBytes: 0,
        };
        summary.attempts.push(attempt);
        open.clear();
        break;
      case 'alloc':
        if (attempt && event.usage !== 'staging' && memory.deviceNow > attempt.measuredPeakBytes) {
          attempt.measuredPeakBytes = memory.deviceNow;
          attempt.setBy = { label: event.label, bytes: event.bytes, t: event.t };
        }
        if (attempt && event.usage === 'staging') attempt.measuredStagingPeakBytes = Math.max(attempt.measuredStagingPeakBytes, memory.stagingNow);
        if (attempt) attempt.measuredReservedPeakBytes = Math.max(attempt.measuredReservedPeakBytes, memory.reservedNow);
        break;
      case 'chunk-begin':
        open.set(event.index, event);
        break;
      case 'chunk-end': {
        const begin = open.get(event.index);
        open.delete(event.index);
        summary.chunks.push({
          attempt: attempt?.attempt ?? 0,
          index: event.index,
          start: event.start,
          end: event.end,
          tBegin: begin?.t ?? event.t,
          tEnd: event.t,
        });
        break;
      }
      case 'upload':
      case 'dispatch':
      case 'readback':
      case 'writeback':
        summary.phases[event.kind] += event.ms;
        summary.phaseBytes[event.kind] += event.bytes;
        break;
      case 'oom':
      case 'validation-error':
      case 'device-lost':
        summary.faults.push(event);
        break;
      case 'fallback':
        summary.fallbacks.push(event);
        break;
      case 'segment-alloc':
        if (attempt) attempt.measuredReservedPeakBytes = Math.max(attempt.measuredReservedPeakBytes, memory.reservedNow);
        break;
      case 'segment-free':
      case 'done':
        break;
    }
  }
  summary.peakBytes = memory.peakBytes;
  summary.reservedPeakBytes = memory.reservedPeakBytes;
  summary.peakSetBy = memory.peakSetBy;
  summary.stagingPeakBytes = memory.stagingPeakBytes;
  summary.liveAfter = memory.liveBuffers().map(({ id, label, bytes, usage }) => ({ id, label, bytes, usage }));
  return summary;
}

/** One event of the Chrome trace-event format (what Perfetto and chrome://tracing open). */
export interface ChromeTraceEvent {
  name: string;
  cat: string;
  ph: 'X' | 'b' | 'e' | 'i' | 'C' | 'M';
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  /** Pairs the begin and end of an async span, and nests a chunk's phases under it. */
  id?: string;
  s?: 'g';
  args?: Record<string, unknown>;
}

/** The Chrome trace's tracks: one a thread, so the viewer draws each on its own row. */
const kChromeTracks = { memory: 0, events: 1, chunks: 2 } as const;

/**
 * The trace in the Chrome trace-event format, in time order. Each chunk is an async span
 * (`b`/`e`, id `<attempt>:<index>`) with its phases nested inside it: a chunk is packed
 * while the one before it runs, so chunks overlap, and async spans are how the format draws work that overlaps. A chunk a
 * fault or Cancel stopped ends where its attempt ended, marked `cut`. The fixed arrays'
 * upload is a complete slice; faults, fallbacks and attempts are instants; device and
 * staging bytes are counters.
 */
export function toChromeTrace(events: readonly TraceEvent[]): { traceEvents: ChromeTraceEvent[] } {
  const out: ChromeTraceEvent[] = Object.entries(kChromeTracks).map(([name, tid]) => ({
    name: 'thread_name', cat: '__metadata', ph: 'M' as const, ts: 0, pid: 1, tid, args: { name },
  }));
  const us = (ms: number) => Math.round(ms * 1000);
  const memory = new MemorySeries();
  let attempt = 0;
  /** The chunks of this attempt begun and not yet ended: index → span id. */
  const open = new Map<number, string>();
  /** Where the last slice under each span ended: rounding must not start the next one earlier. */
  const lastEnd = new Map<string, number>();
  const span = (ph: 'b' | 'e', name: string, id: string, ts: number, args?: Record<string, unknown>) => {
    out.push({ name, cat: 'chunk', ph, id, ts, pid: 1, tid: kChromeTracks.chunks, ...(args && { args }) });
  };
  const instant = ({ t, kind, ...args }: TraceEvent) => {
    out.push({ name: kind, cat: 'event', ph: 'i', s: 'g', ts: us(t), pid: 1, tid: kChromeTracks.events, args });
  };
  const endChunk = (index: number, t: number, args?: Record<string, unknown>) => {
    const id = open.get(index);
    if (id === undefined) return;
    span('e', `chunk ${index}`, id, Math.max(us(t), lastEnd.get(id) ?? 0), args);
    open.delete(index);
  };
  for (const event of events) {
    memory.append(event);
    switch (event.kind) {
      case 'upload':
      case 'dispatch':
      case 'readback':
      case 'writeback': {
        const args = { chunk: event.chunk, bytes: event.bytes };
        const id = open.get(event.chunk);
        if (id === undefined) {
          out.push({ name: event.kind, cat: 'phase', ph: 'X', ts: us(event.t - event.ms), dur: us(event.t) - us(event.t - event.ms), pid: 1, tid: kChromeTracks.events, args });
          break;
        }
        const begin = Math.max(us(event.t - event.ms), lastEnd.get(id) ?? 0);
        const end = Math.max(us(event.t), begin);
        span('b', event.kind, id, begin, args);
        span('e', event.kind, id, end);
        lastEnd.set(id, end);
        break;
      }
      case 'alloc':
      case 'free':
      case 'segment-alloc':
      case 'segment-free':
        out.push({ name: 'memory', cat: 'memory', ph: 'C', ts: us(event.t), pid: 1, tid: kChromeTracks.memory, args: { device: memory.deviceNow, staging: memory.stagingNow, ...(memory.hasSegments && { reserved: memory.reservedNow }) } });
        break;
      case 'chunk-begin': {
        const id = `${attempt}:${event.index}`;
        open.set(event.index, id);
        lastEnd.set(id, us(event.t));
        span('b', `chunk ${event.index}`, id, us(event.t), { start: event.start, end: event.end });
        break;
      }
      case 'chunk-end':
        endChunk(event.index, event.t);
        break;
      case 'attempt':
      case 'fallback':
      case 'done':
        // An attempt is over at its fallback, at the next attempt or at the end: a chunk still open was cut short.
        for (const index of [...open.keys()]) endChunk(index, event.t, { cut: true });
        if (event.kind === 'attempt') attempt = event.attempt;
        instant(event);
        break;
      case 'oom':
      case 'validation-error':
      case 'device-lost':
        instant(event);
        break;
    }
  }
  // Phases are recorded when they end: order by start, keeping the recorded order on ties.
  out.sort((a, b) => a.ts - b.ts);
  return { traceEvents: out };
}
