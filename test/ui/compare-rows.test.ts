import { describe, expect, it } from 'vitest';
import { planScenario } from '../../src/core/planner.ts';
import type { Scenario } from '../../src/core/scenario.ts';
import { runScenario } from '../../src/engine/index.ts';
import { compareRows, type CompareRow, type CompareSide } from '../../src/ui/compare-rows.ts';
import type { RunReportView } from '../../src/worker/simulator-api.ts';
import { example } from '../engine/scenarios.ts';

const base = example('dangling-final-chunk.json');
const halved: Scenario = { ...base, device: { ...base.device, budgetBytes: base.device.budgetBytes / 2 } };

function planOf(scenario: Scenario) {
  const planned = planScenario(scenario);
  if (!planned.ok) throw new Error(planned.error.message);
  return planned.plan;
}

async function sideOf(label: string, scenario: Scenario): Promise<Required<CompareSide>> {
  const outcome = await runScenario(scenario, { backend: 'cpu' });
  if (!outcome.ok) throw new Error(outcome.error.message);
  const { outputs: _outputs, trace, ...rest } = outcome.report;
  const report: RunReportView = { ...rest, traceId: 0, eventCount: trace.length, tEnd: trace.at(-1)!.t, peakEventIndex: -1 };
  return { label, plan: planOf(scenario), report, scenario };
}

function row(rows: CompareRow[], id: string): CompareRow {
  const found = rows.find((r) => r.id === id);
  if (!found) throw new Error(`no row ${id} in ${rows.map((r) => r.id).join(', ')}`);
  return found;
}

/** The report with its last event at `t`: the run's time as the table reads it. */
function endingAt(report: RunReportView, t: number): RunReportView {
  return { ...report, tEnd: t };
}

describe('compareRows', () => {
  it('says B − A for each plan figure with its sign and unit, and marks what changed', () => {
    const a = planOf(base);
    const b = planOf(halved);
    expect(b.numChunks).toBeGreaterThan(a.numChunks);
    const rows = compareRows({ label: 'A', plan: a }, { label: 'B', plan: b });
    expect(rows.map((r) => r.id)).toEqual(['chunk-length', 'chunks', 'final-chunk', 'predicted-peak', 'budget']);

    const chunks = row(rows, 'chunks');
    expect(chunks).toMatchObject({ a: `${a.numChunks} chunks`, b: `${b.numChunks} chunks`, changed: true });
    expect(chunks.diff).toBe(`+${b.numChunks - a.numChunks} chunk${b.numChunks - a.numChunks === 1 ? '' : 's'}`);
    const length = row(rows, 'chunk-length');
    expect(length.diff).toBe(`−${a.chunkLength - b.chunkLength} runs`);
    const budget = row(rows, 'budget');
    expect(base.device.budgetBytes).toBe(2000);
    expect(budget).toMatchObject({ a: '1.95 KiB (2,000 B)', b: '1000 B', diff: '−1000 B', changed: true });
  });

  it('finds nothing changed between a plan and itself, and adds no run rows when a side did not run', () => {
    const plan = planOf(base);
    const rows = compareRows({ label: 'A', plan }, { label: 'B', plan });
    expect(rows.every((r) => r.diff === 'same' && !r.changed)).toBe(true);
    expect(rows.some((r) => r.id === 'measured-peak')).toBe(false);
  });

  it('compares two runs: measured peak as exactly as predicted, fallbacks, faults and verification', async () => {
    const a = await sideOf('A', base);
    const b = await sideOf('B', halved);
    const rows = compareRows(a, b);
    const peak = row(rows, 'measured-peak');
    expect(peak.changed).toBe(true);
    const drop = a.report.peak.measuredBytes - b.report.peak.measuredBytes;
    expect(drop).toBeGreaterThan(0);
    expect(peak.diff).toContain(`(${drop.toLocaleString('en-US')} B)`);
    expect(peak.diff.startsWith('−')).toBe(true);
    expect(row(rows, 'fallbacks')).toMatchObject({ diff: 'same', changed: false });
    expect(row(rows, 'verification')).toMatchObject({ a: 'passed', b: 'passed', diff: 'same', changed: false });
  });

  it('marks the time only when it differs by more than timer noise', async () => {
    const a = await sideOf('A', base);
    const ta = 100;
    const runA = { ...a, report: endingAt(a.report, ta) };
    const near = compareRows(runA, { ...a, report: endingAt(a.report, 105) });
    expect(row(near, 'time')).toMatchObject({ changed: false, diff: "+5.0 ms (B takes 1.05× A's time)" });
    const slower = compareRows(runA, { ...a, report: endingAt(a.report, 250) });
    expect(row(slower, 'time')).toMatchObject({ changed: true, diff: "+150 ms (B takes 2.5× A's time)" });
    const faster = compareRows(runA, { ...a, report: endingAt(a.report, 40) });
    expect(row(faster, 'time')).toMatchObject({ changed: true, diff: "−60 ms (B takes 0.4× A's time)" });
    expect(row(compareRows(runA, runA), 'time')).toMatchObject({ changed: false, diff: 'same' });
  });
});
