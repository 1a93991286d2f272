/**
 * A PyTorch snapshot as a chunkscope trace: one device's allocator actions become
 * `segment-alloc` / `alloc` / `free` / `segment-free` / `oom` events, so allocated and
 * reserved bytes over time, the peak and the allocation that set it come out of the same
 * summary a run's trace goes through. It also yields the allocation sequence a replay
 * re-runs under another budget or allocator.
 *
 * A snapshot's trace is a ring buffer: it may begin after allocations that are still
 * live. Those are put at the start: a block freed in the trace that it never allocated,
 * and a block live at the end (in `segments`) that it never allocated, existed before it
 * (the same reading PyTorch's memory viewer makes); likewise for segments.
 *
 * Allocated bytes drop at `free_completed`, when the block is reusable (a
 * `free_requested` waits for other streams). Nothing here throws: what a trace cannot
 * show faithfully (a block outside every segment, a free of a block never live) becomes a
 * note and the trace stays consistent.
 */
import type { PytorchSnapshot, SnapshotEntry, SnapshotFrame } from './pytorch-snapshot.ts';
import { MemorySeries } from './memory-series.ts';
import type { SegmentPool, TraceEvent } from './trace.ts';
import { formatBytes, formatBytesExact } from './units.ts';

/** One allocation of the snapshot, as the trace's buffer `id` names it. */
export interface SnapshotAllocation {
  id: number;
  addr: number;
  bytes: number;
  /** The trace entry that made it; null when it was live before the trace began. */
  entry: number | null;
  frames: SnapshotFrame[];
}

/** A request of the replayed sequence: allocate `bytes` as `key`, or free `key`. */
export type SnapshotRequest =
  | { kind: 'alloc'; key: number; bytes: number; entry: number | null; failedInSnapshot: boolean }
  | { kind: 'free'; key: number };

/** An out-of-memory the snapshot recorded, with the figures at that moment. */
export interface SnapshotOom {
  entry: number;
  t: number;
  requestedBytes: number;
  /** What the device said was free, when the entry gives it. */
  deviceFreeBytes?: number;
  allocatedBytes: number;
  reservedBytes: number;
  frames: SnapshotFrame[];
}

/** A snapshot's device as a trace; see the module comment. */
export interface SnapshotTrace {
  device: number;
  /** `time_us`: t is the entries' own clock, in ms from the first; `entry`: t is the entry's index. */
  clock: 'time_us' | 'entry';
  events: TraceEvent[];
  allocations: SnapshotAllocation[];
  allocatedPeak: { bytes: number; t: number; setBy: SnapshotAllocation | null };
  reservedPeakBytes: number;
  ooms: SnapshotOom[];
  /** The allocation sequence, allocations live before the trace first; a request that ran out of memory is kept (it is what the program asked for). */
  requests: SnapshotRequest[];
  notes: string[];
}

/** Frames shown under an allocation, in the CLI and the app: the innermost few are where it came from. */
export const kTopFrames = 5;

/** A time on a snapshot's axis in words, as the CLI and the app say it: milliseconds from the first entry, or the entry's index. */
export function snapshotTimeWords(clock: SnapshotTrace['clock'], t: number): string {
  return clock === 'time_us' ? `${t.toFixed(3)} ms` : `entry ${t}`;
}

/** The device a snapshot is read for: the one asked, else the first whose trace has entries. */
export function defaultSnapshotDevice(snapshot: PytorchSnapshot): number {
  const found = snapshot.device_traces.findIndex((trace) => trace.length > 0);
  return found < 0 ? 0 : found;
}

/** Builds the trace of one device of a snapshot; see the module comment. Never throws. */
export function snapshotToTrace(snapshot: PytorchSnapshot, device = defaultSnapshotDevice(snapshot)): SnapshotTrace {
  const entries = snapshot.device_traces[device] ?? [];
  const notes: string[] = [];
  const clock: SnapshotTrace['clock'] = entries.length > 0 && entries.every((e) => Number.isFinite(e.time_us)) ? 'time_us' : 'entry';
  const t0 = clock === 'time_us' ? entries[0].time_us! : 0;
  let lastT = 0;
  const timeOf = (i: number) => (lastT = Math.max(lastT, clock === 'time_us' ? (entries[i].time_us! - t0) / 1000 : i));

  const before = liveBeforeTheTrace(snapshot, device, entries);
  const poolOf = segmentPools(snapshot, device, entries);
  const events: TraceEvent[] = [];
  const allocations: SnapshotAllocation[] = [];
  const requests: SnapshotRequest[] = [];
  const ooms: SnapshotOom[] = [];
  const segments = new LiveSegments();
  const blocks = new Map<number, SnapshotAllocation>();
  /** Each live block's label and place, as its alloc event said: its free says the same. */
  const placed = new Map<number, { label: string; place: { segment: number; offset: number } | undefined }>();
  let nextSegment = 1;
  let nextBuffer = 1;
  const outside = { count: 0, bytes: 0 };

  const reserve = (t: number, addr: number, bytes: number, when: string) => {
    const id = nextSegment++;
    segments.add({ id, addr, bytes });
    events.push({ t, kind: 'segment-alloc', id, label: `segment 0x${addr.toString(16)} (${formatBytes(bytes)}${when})`, bytes, pool: poolOf(addr, bytes) });
  };
  const allocate = (t: number, addr: number, bytes: number, entry: number | null, frames: SnapshotFrame[]) => {
    const stale = blocks.get(addr);
    if (stale) {
      notes.push(`entry ${entry} allocates 0x${addr.toString(16)} again while it is live; the earlier block is freed first`);
      free(t, addr);
    }
    const allocation: SnapshotAllocation = { id: nextBuffer++, addr, bytes, entry, frames };
    const segment = segments.containing(addr, bytes);
    if (!segment) {
      outside.count++;
      outside.bytes += bytes;
    }
    const place = segment && { segment: segment.id, offset: addr - segment.addr };
    const label = allocationLabel(allocation);
    placed.set(allocation.id, { label, place });
    blocks.set(addr, allocation);
    allocations.push(allocation);
    requests.push({ kind: 'alloc', key: allocation.id, bytes, entry, failedInSnapshot: false });
    events.push({ t, kind: 'alloc', id: allocation.id, label, bytes, usage: 'storage', ...place });
  };
  const free = (t: number, addr: number) => {
    const allocation = blocks.get(addr)!;
    blocks.delete(addr);
    requests.push({ kind: 'free', key: allocation.id });
    const { label, place } = placed.get(allocation.id)!;
    placed.delete(allocation.id);
    events.push({ t, kind: 'free', id: allocation.id, label, bytes: allocation.bytes, usage: 'storage', ...place });
  };
  const release = (t: number, addr: number, entry: number) => {
    const segment = segments.at(addr);
    if (!segment) {
      notes.push(`entry ${entry} releases a segment at 0x${addr.toString(16)} that is not reserved; it is left out`);
      return;
    }
    const inside = [...blocks.values()].filter((b) => b.addr >= segment.addr && b.addr < segment.addr + segment.bytes);
    if (inside.length) notes.push(`entry ${entry} releases segment 0x${addr.toString(16)} with ${inside.length} block(s) live in it; they are freed first`);
    for (const b of inside) free(t, b.addr);
    segments.remove(segment);
    events.push({ t, kind: 'segment-free', id: segment.id, label: `segment 0x${addr.toString(16)} (${formatBytes(segment.bytes)})`, bytes: segment.bytes, pool: poolOf(addr, segment.bytes) });
  };

  for (const s of before.segments) reserve(0, s.addr, s.bytes, ', before the trace');
  for (const b of before.blocks) allocate(0, b.addr, b.bytes, null, b.frames);

  entries.forEach((entry, i) => {
    const t = timeOf(i);
    const addr = entry.addr ?? 0;
    const size = entry.size ?? 0;
    switch (entry.action) {
      case 'segment_alloc':
      case 'segment_map':
        if (segments.at(addr)) {
          notes.push(`entry ${i} reserves 0x${addr.toString(16)} again while it is reserved; it is left out`);
          break;
        }
        reserve(t, addr, size, '');
        break;
      case 'segment_free':
      case 'segment_unmap':
        release(t, addr, i);
        break;
      case 'alloc':
        allocate(t, addr, size, i, entry.frames);
        break;
      case 'free_completed':
        if (blocks.has(addr)) free(t, addr);
        else notes.push(`entry ${i} frees 0x${addr.toString(16)}, which is not live; it is left out`);
        break;
      case 'oom': {
        const memory = MemorySeries.of(events);
        ooms.push({
          entry: i, t, requestedBytes: size, allocatedBytes: memory.deviceNow, reservedBytes: memory.reservedNow, frames: entry.frames,
          ...(entry.device_free !== undefined && { deviceFreeBytes: entry.device_free }),
        });
        requests.push({ kind: 'alloc', key: nextBuffer++, bytes: size, entry: i, failedInSnapshot: true });
        events.push({
          t, kind: 'oom', label: `${formatBytes(size)} request${topFrameWords(entry.frames)}`, bytes: size, source: 'device',
          message: `PyTorch ran out of memory: tried to allocate ${formatBytesExact(size)}` +
            `${entry.device_free !== undefined ? ` with ${formatBytesExact(entry.device_free)} free on the device` : ''};` +
            ` ${formatBytesExact(memory.deviceNow)} allocated, ${formatBytesExact(memory.reservedNow)} reserved`,
        });
        break;
      }
      case 'free_requested':
      case 'snapshot':
      case 'annotate':
        break;
    }
  });
  if (outside.count) {
    notes.push(`${outside.count} block(s) (${formatBytesExact(outside.bytes)}) lie in no segment the snapshot shows; each counts as reserved on its own`);
  }

  const memory = MemorySeries.of(events);
  const setter = memory.peakSample > 0 ? events[memory.eventIndex[memory.peakSample]] : undefined;
  const setBy = setter?.kind === 'alloc' ? allocations.find((a) => a.id === setter.id) ?? null : null;
  return {
    device,
    clock,
    events,
    allocations,
    allocatedPeak: { bytes: memory.peakBytes, t: memory.peakSetBy?.t ?? 0, setBy },
    reservedPeakBytes: memory.reservedPeakBytes,
    ooms,
    requests,
    notes,
  };
}

/** `5 MiB at 0x7f3a00000000 — attention (model.py:57)` */
function allocationLabel(a: SnapshotAllocation): string {
  return `${formatBytes(a.bytes)} at 0x${a.addr.toString(16)}${topFrameWords(a.frames)}`;
}

function topFrameWords(frames: readonly SnapshotFrame[]): string {
  const top = frames[0];
  return top ? ` — ${top.name} (${top.filename}:${top.line})` : '';
}

/** Segments and blocks live before the trace's first entry; see the module comment. */
function liveBeforeTheTrace(snapshot: PytorchSnapshot, device: number, entries: readonly SnapshotEntry[]) {
  const blocks = new Map<number, { addr: number; bytes: number; frames: SnapshotFrame[] }>();
  const segments = new Map<number, { addr: number; bytes: number }>();
  const liveBlocks = new Set<number>();
  const liveSegments = new Set<number>();
  for (const entry of entries) {
    const addr = entry.addr ?? 0;
    switch (entry.action) {
      case 'alloc':
        liveBlocks.add(addr);
        break;
      case 'free_completed':
        if (!liveBlocks.delete(addr) && !blocks.has(addr)) blocks.set(addr, { addr, bytes: entry.size ?? 0, frames: entry.frames });
        break;
      case 'segment_alloc':
      case 'segment_map':
        liveSegments.add(addr);
        break;
      case 'segment_free':
      case 'segment_unmap':
        if (!liveSegments.delete(addr) && !segments.has(addr)) segments.set(addr, { addr, bytes: entry.size ?? 0 });
        break;
      default:
        break;
    }
  }
  for (const segment of snapshot.segments) {
    if (segment.device !== device) continue;
    if (!liveSegments.has(segment.address) && !segments.has(segment.address)) segments.set(segment.address, { addr: segment.address, bytes: segment.total_size });
    let offset = segment.address;
    for (const block of segment.blocks) {
      const addr = block.address ?? offset;
      offset = addr + block.size;
      if (!block.state.startsWith('active') || liveBlocks.has(addr) || blocks.has(addr)) continue;
      blocks.set(addr, { addr, bytes: block.size, frames: block.frames });
    }
  }
  const byAddress = <T extends { addr: number }>(m: Map<number, T>) => [...m.values()].sort((a, b) => a.addr - b.addr);
  return { blocks: byAddress(blocks), segments: byAddress(segments) };
}

/**
 * The pool of a segment: as the snapshot's `segments` name it, else small when it is the
 * small pool's 2 MiB and the first block the trace puts in it is a small request (≤ 1 MiB).
 */
function segmentPools(snapshot: PytorchSnapshot, device: number, entries: readonly SnapshotEntry[]) {
  const named = new Map<number, SegmentPool>();
  for (const segment of snapshot.segments) if (segment.device === device) named.set(segment.address, segment.segment_type);
  const firstBlock = new Map<number, number>();
  entries.forEach((entry, i) => {
    if (entry.action !== 'segment_alloc' || entry.addr === undefined || firstBlock.has(entry.addr)) return;
    const inside = entries.slice(i + 1, i + 8).find((e) => e.action === 'alloc' && e.addr !== undefined && e.addr >= entry.addr! && e.addr < entry.addr! + (entry.size ?? 0));
    if (inside) firstBlock.set(entry.addr, inside.size ?? 0);
  });
  const MiB = 1024 * 1024;
  return (addr: number, bytes: number): SegmentPool =>
    named.get(addr) ?? (bytes === 2 * MiB && (firstBlock.get(addr) ?? Infinity) <= MiB ? 'small' : 'large');
}

/** Live segments in address order, for finding the one a block lies in. */
class LiveSegments {
  private readonly _list: { id: number; addr: number; bytes: number }[] = [];

  add(segment: { id: number; addr: number; bytes: number }): void {
    this._list.splice(this._before(segment.addr + 1), 0, segment);
  }

  remove(segment: { id: number }): void {
    const i = this._list.findIndex((s) => s.id === segment.id);
    if (i >= 0) this._list.splice(i, 1);
  }

  /** The segment starting at `addr`. */
  at(addr: number) {
    const s = this._list[this._before(addr + 1) - 1];
    return s && s.addr === addr ? s : undefined;
  }

  /** The segment that holds `[addr, addr + bytes)` whole. */
  containing(addr: number, bytes: number) {
    const s = this._list[this._before(addr + 1) - 1];
    return s && addr + bytes <= s.addr + s.bytes ? s : undefined;
  }

  /** How many segments start below `addr`. */
  private _before(addr: number): number {
    let lo = 0;
    let hi = this._list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this._list[mid].addr < addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The `format` of the file `chunkscope import-snapshot --trace` writes. */
export const kSnapshotTraceFormat = 'chunkscope-snapshot-trace';

/**
 * A snapshot's trace as a file (docs/trace-format.md): the events a run's trace has, less
 * the scenario and outcome a snapshot has none of, with the import's figures beside them.
 */
export function toSnapshotTraceFile(trace: SnapshotTrace, source: string) {
  return {
    format: kSnapshotTraceFormat,
    version: 1,
    source: { kind: 'pytorch-snapshot', file: source, device: trace.device, clock: trace.clock },
    events: trace.events,
    allocatedPeak: trace.allocatedPeak,
    reservedPeakBytes: trace.reservedPeakBytes,
    ooms: trace.ooms,
    notes: trace.notes,
  } as const;
}
