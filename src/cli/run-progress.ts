/**
 * How far `chunkscope run` is, on standard error: chunks and runs done, the attempt,
 * the time spent and an estimate of the rest. On a terminal one line is redrawn in
 * place; elsewhere (only when `--progress` asks) each drawing is a line of its own.
 * Drawn at most {@link kProgressIntervalMs} apart, however many chunks the run has,
 * plus the final state, so a fast run draws two lines and a slow one a few a second.
 */
import type { RunProgress } from '../engine/run-scenario.ts';
import { formatCount } from '../core/units.ts';
import type { CliIo } from './io.ts';

/** The shortest time between two drawings: at most five a second. */
export const kProgressIntervalMs = 200;

/** Where progress goes. */
export interface ProgressSink {
  /** Writes a line that is redrawn in place (a terminal), or appends it as a line (a pipe, a file). */
  draw(line: string): void;
  /** Takes the redrawn line away before the report is printed (a terminal); nothing elsewhere. */
  clear(): void;
}

/** What progress needs to know. */
export interface ProgressOptions {
  sink: ProgressSink;
  /** Milliseconds, for elapsed time and the drawing interval; `performance.now` by default. */
  now?: () => number;
}

/** Counts chunks, times the run and draws its progress, no more often than the interval allows. */
export class RunProgressLine {
  private readonly _sink: ProgressSink;
  private readonly _now: () => number;
  private readonly _start: number;
  private _lastDrawn = Number.NEGATIVE_INFINITY;
  private _chunksDone = 0;
  private _latest: RunProgress | undefined;
  private _drawnLatest = false;
  private _finished = false;

  constructor({ sink, now = () => performance.now() }: ProgressOptions) {
    this._sink = sink;
    this._now = now;
    this._start = now();
  }

  /** Chunks finished so far, over every attempt. */
  get chunksDone(): number {
    return this._chunksDone;
  }

  /** Takes the engine's progress after a chunk; draws it if the last drawing is old enough. */
  update(progress: RunProgress): void {
    if (this._finished) return;
    this._chunksDone++;
    this._latest = progress;
    this._drawnLatest = false;
    const now = this._now();
    if (now - this._lastDrawn < kProgressIntervalMs) return;
    this._lastDrawn = now;
    this._drawnLatest = true;
    this._sink.draw(this.describe(now));
  }

  /** Draws the last state if it was not drawn (so the final count always shows), then clears a redrawn line. */
  finish(): void {
    if (this._finished) return;
    this._finished = true;
    if (this._latest && !this._drawnLatest) {
      this._drawnLatest = true;
      this._sink.draw(this.describe(this._now()));
    }
    this._sink.clear();
  }

  /** The progress line for the latest state at time `now`. */
  describe(now: number): string {
    const p = this._latest;
    const elapsed = now - this._start;
    if (!p) return `starting · ${formatWait(elapsed)} elapsed`;
    const left = p.runs - p.runsDone;
    // Chunks of this attempt still to go: its plan covers the unfinished runs at its chunkLength.
    const chunks = this._chunksDone + Math.ceil(left / Math.max(1, p.chunkLength));
    const percent = p.runs > 0 ? Math.floor((100 * p.runsDone) / p.runs) : 100;
    const rest = left === 0 ? 'verifying' : p.runsDone > 0 ? `about ${formatWait((elapsed / p.runsDone) * left)} left` : 'estimating';
    return [
      `chunk ${formatCount(this._chunksDone)} of ${formatCount(chunks)}`,
      `runs ${formatCount(p.runsDone)} of ${formatCount(p.runs)} (${percent}%)`,
      `attempt ${p.attempt} (${p.backend})`,
      `${formatWait(elapsed)} elapsed`,
      rest,
    ].join(' · ');
  }
}

/** A span of time at the precision a person waiting wants: `3.2 s`, `42 s`, `2 min 5 s`, `1 h 3 min`. */
export function formatWait(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${Math.floor(s - minutes * 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A sink for a terminal: the line is redrawn in place, cut to the terminal's width. */
export function terminalSink(write: (text: string) => void, columns = 80): ProgressSink {
  const width = Math.max(20, columns - 1);
  return {
    draw: (line) => write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`),
    clear: () => write('\r\x1b[2K'),
  };
}

/** A sink for a pipe or a file: each drawing is a line. */
export function lineSink(writeLine: (line: string) => void): ProgressSink {
  return { draw: (line) => writeLine(`progress: ${line}`), clear: () => {} };
}

/**
 * The progress a command shows: on a terminal unless `json` (then only when `forced`),
 * and elsewhere only when `forced` (`--progress`). Undefined: show none.
 */
export function progressFor(io: CliIo, { forced, json }: { forced: boolean; json: boolean }): RunProgressLine | undefined {
  const terminal = io.errTerminal;
  if (terminal && (forced || !json)) return new RunProgressLine({ sink: terminalSink((t) => terminal.write(t), terminal.columns) });
  if (forced) return new RunProgressLine({ sink: lineSink((line) => io.err(line)) });
  return undefined;
}
