/**
 * One trace event in a sentence, for the timeline's readout, its marker titles and the
 * event log: the same words wherever an event is shown.
 */
import type { AllocationFaultEvent, DeviceLostEvent, FallbackEvent, TraceEvent } from '../core/trace.ts';
import { formatBytes, formatCount } from '../core/units.ts';

/** A buffer as its label names it; the size in units only when the label does not already give it. */
export function bufferWords(label: string, bytes: number): string {
  return label.includes(`${bytes} B`) ? label : `${label} (${formatBytes(bytes)})`;
}

/** Phase events of the fixed arrays carry chunk -1: they belong to no chunk. */
function chunkWords(chunk: number): string {
  return chunk < 0 ? 'the fixed arrays' : `chunk ${chunk}`;
}

/** What `event` says, without its time. */
export function describeEvent(event: TraceEvent): string {
  switch (event.kind) {
    case 'alloc':
      return `alloc ${bufferWords(event.label, event.bytes)}, ${event.usage}`;
    case 'free':
      return `free ${bufferWords(event.label, event.bytes)}, ${event.usage}`;
    case 'segment-alloc':
      return `reserve segment ${bufferWords(event.label, event.bytes)}, ${event.pool} pool`;
    case 'segment-free':
      return `release segment ${bufferWords(event.label, event.bytes)}, ${event.pool} pool`;
    case 'chunk-begin':
    case 'chunk-end':
      return `${event.kind} ${event.index}: runs ${formatCount(event.start)}–${formatCount(event.end)}`;
    case 'upload':
    case 'dispatch':
    case 'readback':
    case 'writeback':
      return `${event.kind} of ${chunkWords(event.chunk)}: ${formatBytes(event.bytes)} in ${event.ms.toFixed(1)} ms`;
    case 'oom':
      return `out of memory allocating ${bufferWords(event.label, event.bytes)} (${event.source}): ${event.message}`;
    case 'validation-error':
      return `validation error allocating ${bufferWords(event.label, event.bytes)} (${event.source}): ${event.message}`;
    case 'device-lost':
      return `device lost (${event.reason}${event.injected ? ', injected' : ''}): ${event.message}`;
    case 'fallback':
      return `fallback ${event.from} → ${event.to}: chunkLength ${formatCount(event.chunkLengthBefore)} → ${formatCount(event.chunkLengthAfter)}, resume at run ${formatCount(event.resumeAt)} (${event.reason})`;
    case 'attempt':
      return `attempt ${event.attempt} on ${event.backend}: chunkLength ${formatCount(event.chunkLength)}, ${event.precision} precision, from run ${formatCount(event.start)}`;
    case 'done':
      return `done: ${event.status}, ${formatCount(event.runsDone)} runs`;
  }
}

/**
 * A fault or fallback as the timeline labels its marker: short, and naming the limit it
 * hit (the budget, a per-buffer limit, an injected one) with its size where known.
 */
export function markerWords(event: AllocationFaultEvent | DeviceLostEvent | FallbackEvent, limits: { budgetBytes?: number; byName?: ReadonlyMap<string, number> } = {}): string {
  switch (event.kind) {
    case 'fallback':
      return event.to === 'retry' ? 'retry on a new device' : `fallback → ${event.to}: ${formatCount(event.chunkLengthBefore)} → ${formatCount(event.chunkLengthAfter)} runs`;
    case 'device-lost':
      return `device lost${event.injected ? ' (injected)' : ''}`;
    default: {
      const what = event.kind === 'oom' ? 'out of memory' : 'over a limit';
      const limit = /over (max\w+)/.exec(event.message)?.[1];
      const above = /above (\d+) B/.exec(event.message)?.[1];
      if (event.source === 'budget') return `${what}: budget${limits.budgetBytes !== undefined ? ` ${formatBytes(limits.budgetBytes)}` : ''}`;
      if (limit) {
        const bytes = limits.byName?.get(limit);
        return `${what}: ${limit}${bytes !== undefined ? ` ${formatBytes(bytes)}` : ''}`;
      }
      const nth = /on allocation (\d+)/.exec(event.message)?.[1];
      if (event.source === 'injected') return above ? `${what}: injected limit ${formatBytes(Number(above))}` : nth ? `${what}: injected on allocation ${nth}` : `${what}: injected`;
      return `${what}: the device's memory`;
    }
  }
}
