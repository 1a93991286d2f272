/**
 * The trace as a file to hand to someone else (docs/trace-format.md): versioned JSON that
 * a later import re-renders without running anything, and the memory timeline as CSV.
 */
import { describeJsonValue } from './json.ts';
import { encodeOutcome, parseTraceOutcome, type TraceOutcome } from './run-outcome.ts';
import { parseScenario, isJsonObject, type Scenario } from './scenario.ts';
import { MemorySeries } from './memory-series.ts';
import type { TraceEvent } from './trace.ts';
import { readTraceEvents } from './trace-events.ts';

/** The `format` field that marks a chunkscope trace file. */
export const kTraceFormat = 'chunkscope-trace';
/** The version of the trace file this code writes; readers accept it and nothing newer. */
export const kTraceVersion = 1;

/** A run, saved: the scenario it ran, where it ran, every event, and how it ended. */
export interface TraceFile {
  format: typeof kTraceFormat;
  version: typeof kTraceVersion;
  /** The scenario the events came from, every default applied. */
  scenario: Scenario;
  /** Where it ran, in words (`SwiftShader: …`, `the CPU: …`). */
  device: string;
  events: TraceEvent[];
  /**
   * What the events do not say: the failure that stopped the run and the verification
   * of its outputs. Files written before it existed lack it; they read as `{}`.
   */
  outcome?: TraceOutcome;
}

/**
 * A trace file as it is written: its outcome already in the form JSON carries exactly
 * (NaN, ±Infinity and -0 as strings; see `encodeOutcome`). {@link parseTraceFile} turns
 * it back into a {@link TraceFile}.
 */
export type SavedTraceFile = Omit<TraceFile, 'outcome'> & { outcome: unknown };

/** Packs a finished run into the file to save: stringify the result as it is. */
export function toTraceFile(scenario: Scenario, device: string, events: readonly TraceEvent[], outcome: TraceOutcome = {}): SavedTraceFile {
  return { format: kTraceFormat, version: kTraceVersion, scenario, device, events: [...events], outcome: encodeOutcome(outcome) };
}

/** Reads a trace file back, or says in a sentence why it is not one. Never throws. */
export function parseTraceFile(json: unknown): { ok: true; trace: TraceFile } | { ok: false; message: string } {
  if (!isJsonObject(json) || json.format !== kTraceFormat) {
    return { ok: false, message: `not a chunkscope trace: "format" must be "${kTraceFormat}"` };
  }
  if (json.version !== kTraceVersion) {
    return { ok: false, message: `trace version ${describeJsonValue(json.version)} is not one this chunkscope reads (it reads ${kTraceVersion})` };
  }
  const scenario = parseScenario(json.scenario);
  if (!scenario.ok) {
    const first = scenario.issues[0];
    return { ok: false, message: `the trace's scenario is not valid: ${first.path ? `scenario.${first.path}` : 'scenario'}: ${first.message}` };
  }
  const events = readTraceEvents(json.events);
  if (!events.ok) return events;
  // Every execution records `done` last: without it the file was cut short, and the report has no status.
  if (events.events.at(-1)?.kind !== 'done') {
    return { ok: false, message: 'the trace does not end with its "done" event (a status and runsDone): the file was cut short or edited' };
  }
  if (json.device !== undefined && typeof json.device !== 'string') {
    return { ok: false, message: `the trace's "device" must be a string (the adapter it ran on), not ${describeJsonValue(json.device)}` };
  }
  const outcome = parseTraceOutcome(json.outcome);
  if (!outcome.ok) return outcome;
  return {
    ok: true,
    trace: {
      format: kTraceFormat,
      version: kTraceVersion,
      scenario: scenario.scenario,
      device: json.device ?? '',
      events: events.events,
      outcome: outcome.outcome,
    },
  };
}

/** The CSV header of {@link timelineCsv}. */
export const kTimelineColumns = ['t_ms', 'kind', 'label', 'bytes', 'device_bytes', 'staging_bytes'] as const;

/**
 * The memory timeline as CSV: one row per event, with device-local and staging bytes
 * live after it, so a spreadsheet can plot the same curve the app draws.
 */
export function timelineCsv(events: readonly TraceEvent[]): string {
  const rows: string[] = [kTimelineColumns.join(',')];
  const memory = new MemorySeries();
  for (const event of events) {
    memory.append(event);
    let label = '';
    let bytes: number | '' = '';
    switch (event.kind) {
      case 'alloc':
      case 'free':
      case 'segment-alloc':
      case 'segment-free':
        [label, bytes] = [event.label, event.bytes];
        break;
      case 'chunk-begin':
      case 'chunk-end':
        label = `chunk ${event.index} [${event.start}, ${event.end})`;
        break;
      case 'upload':
      case 'dispatch':
      case 'readback':
      case 'writeback':
        [label, bytes] = [`chunk ${event.chunk}`, event.bytes];
        break;
      case 'oom':
      case 'validation-error':
        [label, bytes] = [event.label, event.bytes];
        break;
      case 'device-lost':
        label = event.reason;
        break;
      case 'fallback':
        label = `${event.from} → ${event.to}: ${event.reason}`;
        break;
      case 'attempt':
        label = `attempt ${event.attempt} on ${event.backend}, chunkLength ${event.chunkLength}`;
        break;
      case 'done':
        label = event.status;
        break;
    }
    rows.push([round(event.t), event.kind, csvField(label), bytes, memory.deviceNow, memory.stagingNow].join(','));
  }
  return `${rows.join('\n')}\n`;
}

function round(ms: number): string {
  return String(Math.round(ms * 1000) / 1000);
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
