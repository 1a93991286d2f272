/**
 * The rows of a comparison of two plans or runs, A and B: each side's value and how B
 * differs from A, in words and units. Pure, so the wording is tested without a page.
 */
import type { Plan } from '../core/planner.ts';
import type { Scenario } from '../core/scenario.ts';
import { formatBytesExact, formatCount, formatDuration, formatRatio } from '../core/units.ts';
import type { RunReportView } from '../worker/simulator-api.ts';

/** The share of the longer time under which two run times count as the same. */
const kTimeNoise = 0.1;

/** One row: the value on each side and how B differs from A, each in words. */
export interface CompareRow {
  id: string;
  what: string;
  a: string;
  b: string;
  diff: string;
  /** True where B differs from A, to draw the eye. */
  changed: boolean;
}

/** One side of a comparison: a plan, and the run made from it when there was one. */
export interface CompareSide {
  /** What it is, in words (`run of Lorenz batch`, `replay of x.trace.json`, `plan of …`). */
  label: string;
  plan: Plan;
  report?: RunReportView;
  /** The scenario behind it, defaults applied, where known: what the settings differences are read from. */
  scenario?: Scenario;
}

/** The plan's rows, then the run's when both sides ran. */
export function compareRows(a: CompareSide, b: CompareSide): CompareRow[] {
  return [...planRows(a.plan, b.plan), ...(a.report && b.report ? runRows(a.report, b.report) : [])];
}

function planRows(a: Plan, b: Plan): CompareRow[] {
  return [
    countRow('chunk-length', 'chunk length', a.chunkLength, b.chunkLength, 'run'),
    countRow('chunks', 'chunks', a.numChunks, b.numChunks, 'chunk'),
    countRow('final-chunk', 'final chunk', a.finalChunkLength, b.finalChunkLength, 'run'),
    bytesRow('predicted-peak', 'predicted peak', a.predictedPeakBytes, b.predictedPeakBytes),
    bytesRow('budget', 'budget', a.budgetBytes, b.budgetBytes),
  ];
}

function runRows(a: RunReportView, b: RunReportView): CompareRow[] {
  const time = (r: RunReportView) => r.tEnd;
  const ta = time(a);
  const tb = time(b);
  const dt = tb - ta;
  const verification = (r: RunReportView) => (r.verification ? (r.verification.passed ? 'passed' : 'FAILED') : `not run (${r.status})`);
  const va = verification(a);
  const vb = verification(b);
  return [
    bytesRow('measured-peak', 'measured peak', a.peak.measuredBytes, b.peak.measuredBytes),
    {
      id: 'time',
      what: 'time',
      a: formatDuration(ta),
      b: formatDuration(tb),
      // Say which is faster, and by how much: two runs' times are rarely equal.
      diff: dt === 0 ? 'same' : `${signOf(dt)}${formatDuration(Math.abs(dt))}${ta > 0 ? ` (B takes ${formatRatio(tb / ta)} A's time)` : ''}`,
      // Two runs of one scenario differ by a few per cent from timer noise alone; only a
      // gap past that is worth drawing the eye to.
      changed: Math.abs(dt) > kTimeNoise * Math.max(ta, tb),
    },
    countRow('fallbacks', 'fallbacks', a.fallbacks.length, b.fallbacks.length, 'fallback'),
    countRow('faults', 'faults', a.faults.length, b.faults.length, 'fault'),
    { id: 'verification', what: 'verification', a: va, b: vb, diff: va === vb ? 'same' : `${va} → ${vb}`, changed: va !== vb },
  ];
}

function countRow(id: string, what: string, a: number, b: number, unit: string): CompareRow {
  const d = b - a;
  const words = (n: number) => `${formatCount(n)} ${n === 1 ? unit : `${unit}s`}`;
  return { id, what, a: words(a), b: words(b), diff: d === 0 ? 'same' : `${signOf(d)}${words(Math.abs(d))}`, changed: d !== 0 };
}

function bytesRow(id: string, what: string, a: number | bigint, b: number | bigint): CompareRow {
  const d = BigInt(b) - BigInt(a);
  const magnitude = d < 0n ? -d : d;
  return { id, what, a: formatBytesExact(a), b: formatBytesExact(b), diff: d === 0n ? 'same' : `${d > 0n ? '+' : '−'}${formatBytesExact(magnitude)}`, changed: d !== 0n };
}

/** `+` or `−` (a real minus sign, not a hyphen) before a magnitude. */
function signOf(d: number): string {
  return d < 0 ? '−' : '+';
}
