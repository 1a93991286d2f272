/**
 * The readable and JSON forms of an imported snapshot and of a replay, as
 * `chunkscope import-snapshot` and `chunkscope replay-snapshot` print them.
 */
import type { SnapshotFrame } from '../core/pytorch-snapshot.ts';
import { kTopFrames, snapshotTimeWords, type SnapshotTrace } from '../core/snapshot-trace.ts';
import { formatBytesExact, formatCount } from '../core/units.ts';
import type { ReplayOutcome } from '../engine/snapshot-replay.ts';

/** What an imported snapshot adds up to, as text. */
export function formatSnapshotImport(trace: SnapshotTrace, source: string, entries: number): string {
  const lines = [`${source}: PyTorch snapshot, device ${trace.device}, ${formatCount(entries)} trace entries (${clockWords(trace)})`];
  const { bytes, t, setBy } = trace.allocatedPeak;
  lines.push(`allocated peak  ${formatBytesExact(bytes)} at ${snapshotTimeWords(trace.clock, t)}`);
  if (setBy) {
    lines.push(`  set by ${setBy.entry === null ? 'an allocation live before the trace' : `entry ${setBy.entry}`}: ${formatBytesExact(setBy.bytes)} at 0x${setBy.addr.toString(16)}`);
    for (const item of frameLines(setBy.frames)) lines.push(item);
  }
  lines.push(`reserved peak   ${formatBytesExact(trace.reservedPeakBytes)}`);
  for (const oom of trace.ooms) {
    lines.push(
      `out of memory at entry ${oom.entry} (${snapshotTimeWords(trace.clock, oom.t)}): tried to allocate ${formatBytesExact(oom.requestedBytes)};` +
        ` ${formatBytesExact(oom.allocatedBytes)} allocated, ${formatBytesExact(oom.reservedBytes)} reserved,` +
        ` ${formatBytesExact(oom.reservedBytes - oom.allocatedBytes)} reserved but free` +
        (oom.deviceFreeBytes !== undefined ? `, ${formatBytesExact(oom.deviceFreeBytes)} free on the device` : ''),
    );
    for (const item of frameLines(oom.frames)) lines.push(item);
  }
  for (const note of trace.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

/** An imported snapshot as JSON (without its events: `--trace` writes those). */
export function snapshotImportJson(trace: SnapshotTrace, source: string, entries: number) {
  return {
    kind: 'pytorch-snapshot',
    file: source,
    device: trace.device,
    clock: trace.clock,
    entries,
    allocatedPeak: trace.allocatedPeak,
    reservedPeakBytes: trace.reservedPeakBytes,
    ooms: trace.ooms,
    notes: trace.notes,
  };
}

/** A replay's outcome, as text. */
export function formatReplay(outcome: ReplayOutcome, trace: SnapshotTrace, source: string, deviceWords: string): string {
  const lines = [
    `${source} (device ${trace.device}): ${formatCount(outcome.requests)} requests replayed on ${deviceWords}` +
      ` under ${formatBytesExact(outcome.budgetBytes)}, ${outcome.model} allocator`,
  ];
  const failure = outcome.failure;
  if (failure) {
    const where = failure.entry === null ? 'an allocation live before the trace' : `entry ${failure.entry}`;
    lines.push(
      `does not fit: request ${failure.request} (${where}, ${formatBytesExact(failure.bytes)}) fails` +
        (failure.failedInSnapshot ? ', as it did in the snapshot' : ''),
    );
    lines.push(`  ${failure.message}`);
    if (outcome.model === 'caching' && failure.expandableBytes !== null) {
      lines.push(
        `  with expandable segments it would have needed ${formatBytesExact(failure.expandableBytes)} reserved:` +
          ` ${failure.expandableBytes <= outcome.budgetBytes ? 'it would have fitted' : 'it would not have fitted either'}`,
      );
    }
    const frames = failure.entry === null ? [] : trace.ooms.find((o) => o.entry === failure.entry)?.frames ?? trace.allocations.find((a) => a.entry === failure.entry)?.frames ?? [];
    for (const item of frameLines(frames)) lines.push(item);
  } else {
    lines.push(`fits: allocated peak ${formatBytesExact(outcome.allocatedPeakBytes)}, reserved peak ${formatBytesExact(outcome.reservedPeakBytes)}`);
  }
  if (outcome.model === 'caching') {
    const saved = outcome.reservedPeakBytes - outcome.expandablePeakBytes;
    lines.push(`expandable segments would have reserved at most ${formatBytesExact(outcome.expandablePeakBytes)}${saved > 0 ? `, ${formatBytesExact(saved)} less` : ''} (reported, not run: WebGPU cannot grow a buffer)`);
  }
  lines.push(`live buffers after: ${outcome.liveBuffersAfter}`);
  return lines.join('\n');
}

/** A replay's outcome as JSON (without its events). */
export function replayJson(outcome: ReplayOutcome, trace: SnapshotTrace, source: string, deviceWords: string) {
  const { events: _events, ...rest } = outcome;
  return { kind: 'snapshot-replay', file: source, snapshotDevice: trace.device, device: deviceWords, ...rest, expandableSavedBytes: Math.max(0, outcome.reservedPeakBytes - outcome.expandablePeakBytes) };
}

function clockWords(trace: SnapshotTrace): string {
  return trace.clock === 'time_us' ? 'times from time_us' : 'no times: t is the entry index';
}

function frameLines(frames: readonly SnapshotFrame[]): string[] {
  const shown = frames.slice(0, kTopFrames).map((f) => `    ${f.name} (${f.filename}:${f.line})`);
  if (frames.length > kTopFrames) shown.push(`    … ${frames.length - kTopFrames} more`);
  return shown;
}
