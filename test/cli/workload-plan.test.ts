// `chunkscope plan workload.json` in-process: routes by content, the JSON of DESIGN.md, every workload example, exit codes.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';

const kDir = new URL('../../examples/workloads/', import.meta.url);
const kExamples = readdirSync(kDir).filter((f) => f.endsWith('.json')).sort();

async function plan(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['plan', ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('chunkscope plan workload.json', () => {
  test.each(kExamples)('%s plans: lanes with caps summing within the budget, every job placed and planned', async (file) => {
    const { code, out } = await plan(new URL(file, kDir).pathname, '--json');
    expect(code).toBe(kExit.ok);
    const summary = JSON.parse(out);
    expect(summary.kind).toBe('workload');
    expect(summary.lanes.reduce((s: number, l: any) => s + l.capBytes, 0)).toBeLessThanOrEqual(summary.device.budgetBytes);
    expect(summary.lanes.flatMap((l: any) => l.jobs).sort()).toEqual(summary.jobs.map((j: any) => j.name).sort());
    for (const job of summary.jobs) expect(Object.hasOwn(job, 'plan')).toBe(job.weightFrom === 'plan');
  });

  test.each([
    ['coverage-split-seed.json', 1.764],
    ['coverage-split-in-order.json', 1.407],
    ['coverage-split-lpt.json', 1.006],
  ])('the seed\'s coverage split: %s has imbalance %s', async (file, imbalance) => {
    const summary = JSON.parse((await plan(new URL(file, kDir).pathname, '--json')).out);
    expect(summary.jobs).toHaveLength(70);
    expect(summary.lanes.reduce((s: number, l: any) => s + l.load, 0)).toBe(8661);
    expect(summary.imbalance).toBeCloseTo(imbalance, 3);
  });

  test('the text names caps, the load table, budgets and the over-commitment', async () => {
    const { code, out } = await plan(new URL('two-jobs-80-percent.json', kDir).pathname);
    expect(code).toBe(kExit.ok);
    expect(out).toContain('lane_1  auto   512 KiB (524,288 B)');
    expect(out).toContain('imbalance     1.000');
    expect(out).toMatch(/first\s+lane_1\s+819 KiB \(838,860 B\) \(own\)/);
    expect(out).toContain('over-commit   the lanes may ask for 1.6 MiB (1,677,720 B) at once, over the device\'s 1 MiB (1,048,576 B)');
  });

  test('an invalid workload exits 1 with every problem and its path; shares over the device exit 2', async () => {
    const bad = { version: 1, kind: 'workload', jobs: [{ name: 'a', lane: 'nope', weight: 1 }, { name: 'a', scenario: { version: 1, runs: 0, arrays: [] } }] };
    const dir = mkdtempSync(join(tmpdir(), 'chunkscope-plan-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const invalid = await plan(join(dir, 'bad.json'), '--json');
    expect(invalid.code).toBe(kExit.invalidScenario);
    const paths = JSON.parse(invalid.out).error.issues.map((i: any) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['jobs[0].lane', 'jobs[1].name', 'jobs[1].scenario.runs', 'jobs[1].scenario.arrays']));
    writeFileSync(join(dir, 'shares.json'), JSON.stringify({ version: 1, kind: 'workload', lanes: [{ name: 'a', share: 0.6 }, { name: 'b', share: 0.5 }], jobs: [{ name: 'x', weight: 1 }] }));
    const shares = await plan(join(dir, 'shares.json'));
    expect(shares.code).toBe(kExit.infeasible);
    expect(shares.err).toContain('SHARES_EXCEED_DEVICE');
  });

  test('a scenario still plans as a scenario', async () => {
    const { code, out } = await plan(new URL('../../examples/lorenz-batch.json', import.meta.url).pathname, '--json');
    expect(code).toBe(kExit.ok);
    expect(JSON.parse(out).chunkLength).toEqual(expect.any(Number));
  });
});
