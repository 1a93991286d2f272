// Bug report Markdown: link, device limits, plan numbers and run outcome from a real plan and a real CPU run; names escaped.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { bugReportMarkdown, escapeMarkdown, type BugReportDevice, type BugReportInput } from '../../src/core/bug-report.ts';
import { planScenario } from '../../src/core/planner.ts';
import { parseScenario, type Scenario } from '../../src/core/scenario.ts';
import { runScenario, type RunReport } from '../../src/engine/index.ts';

function example(file: string): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(`${file} is not a valid scenario`);
  return parsed.scenario;
}

const kLink = 'http://127.0.0.1:5173/#scenario=N4Igxg9g+-$abc';
const kDevice: BugReportDevice = {
  available: true,
  adapter: { vendor: 'google', architecture: 'swiftshader', description: 'Swift|Shader `dev`', isFallbackAdapter: true },
  limits: { maxBufferSize: 1073741824, maxStorageBufferBindingSize: 1073741824, maxComputeWorkgroupsPerDimension: 65535, maxBindGroups: 4 },
  features: ['float32-filterable', 'timestamp-query'],
};

describe('a planned, not yet run scenario', () => {
  const scenario = example('dangling-final-chunk.json');
  const planned = planScenario(scenario);
  const markdown = bugReportMarkdown({ name: 'axpy | `tiny`', link: kLink, device: kDevice, plan: planned, run: undefined });

  test('the plan is the one the planner made (105 runs in 5 chunks of 25)', () => {
    expect(planned).toMatchObject({ ok: true, plan: { chunkLength: 25, numChunks: 5, finalChunkLength: 5 } });
  });

  test('carries the link whole, as an autolink', () => {
    expect(markdown).toContain(`<${kLink}>`);
  });

  test('names the limits that matter to chunking, and folds the full list', () => {
    expect(markdown).toContain('| maxStorageBufferBindingSize | 1 GiB (1,073,741,824 B) |');
    expect(markdown).toContain('| maxComputeWorkgroupsPerDimension | 65,535 |');
    expect(markdown).toMatch(/<details><summary>all 4 adapter limits<\/summary>[\s\S]*\| maxBindGroups \| 4 \|[\s\S]*<\/details>/);
    expect(markdown).toContain('`float32-filterable`, `timestamp-query`');
    expect(markdown).toContain('(fallback adapter)');
  });

  test('states the plan numbers', () => {
    expect(markdown).toContain('| chunk length | 25 runs |');
    expect(markdown).toContain('| chunks | 5 |');
    expect(markdown).toContain('| final chunk | 5 runs (dangling) |');
    expect(markdown).toContain('| binding constraint | budget |');
    expect(markdown).toContain('| predicted peak | 1.95 KiB (2,000 B) of a 1.95 KiB (2,000 B) budget |');
    expect(markdown).toMatch(/#### Last run\n\nnot run/);
  });

  test('escapes pipes and backticks in names so the tables and code stay whole', () => {
    expect(markdown).toContain('### chunkscope bug report: axpy \\| \\`tiny\\`');
    expect(markdown).toContain('Swift\\|Shader \\`dev\\`');
  });
});

describe('after a run with an injected out-of-memory', () => {
  const scenario = example('lorenz-oom-recovery.json');
  let report: RunReport;
  let markdown: string;
  beforeAll(async () => {
    const outcome = await runScenario(scenario, { backend: 'cpu' });
    if (!outcome.ok) throw new Error(outcome.error.message);
    report = outcome.report;
    const input: BugReportInput = { name: scenario.name, link: kLink, device: kDevice, plan: planScenario(scenario), run: { ok: true, report } };
    markdown = bugReportMarkdown(input);
  });

  test('gives the outcome: status, measured peak, verification, each fault and fallback', () => {
    expect(report.faults.length).toBeGreaterThan(0);
    expect(report.fallbacks.length).toBeGreaterThan(0);
    expect(markdown).toContain(`| status | ${report.status}`);
    expect(markdown).toMatch(new RegExp(`\\| measured peak \\| [^|]*\\(${report.peak.measuredBytes.toLocaleString('en-US')} B\\) \\(predicted`));
    expect(markdown).toContain(`| verification | ${report.verification?.passed ? 'passed' : 'failed'}`);
    const faultsRow = markdown.split('\n').find((line) => line.startsWith('| faults |'))!;
    expect(faultsRow.split('<br>')).toHaveLength(report.faults.length);
    const fallbacksRow = markdown.split('\n').find((line) => line.startsWith('| fallbacks |'))!;
    expect(fallbacksRow).toContain(`→ ${report.fallbacks[0].to}`);
  });
});

test('a replayed trace is its own section, said to come from another device, after the run here', () => {
  const report = { status: 'ok', backend: 'webgpu', runsDone: 105, peak: { measuredBytes: 1900, predictedBytes: 1900n }, verification: { passed: true, maxAbsError: 0 }, faults: [], fallbacks: [] };
  const markdown = bugReportMarkdown({
    name: 'x', link: kLink, device: kDevice, plan: undefined, run: undefined,
    replay: { file: 'lab_run.trace.json', device: 'NVIDIA H200', report },
  });
  const [before, replay] = markdown.split('#### Replayed trace');
  expect(before).toMatch(/#### Last run\n\nnot run/);
  expect(replay).toContain('The page shows the trace file lab\\_run.trace.json, run on NVIDIA H200, not on the device above; attach the file to replay it.');
  expect(replay).toContain('| runs done | 105 |');
  expect(replay).toContain('| measured peak | 1.86 KiB (1,900 B) (predicted 1.86 KiB (1,900 B)) |');
  expect(bugReportMarkdown({ name: 'x', link: kLink, device: kDevice, plan: undefined, run: undefined })).not.toContain('Replayed trace');
});

test('a run that could not start and a missing adapter are said in words', () => {
  const markdown = bugReportMarkdown({
    name: 'x',
    link: kLink,
    device: { available: false, reason: 'no <adapter>' },
    plan: { ok: false, error: { code: 'RUN_DOES_NOT_FIT', message: 'one run needs 40 B; 39 B are left after fixed arrays' } },
    run: { ok: false, error: { code: 'NO_DEVICE', message: 'no device' } },
  });
  expect(markdown).toContain('no WebGPU adapter: no \\<adapter\\>');
  expect(markdown).toContain('no plan: `RUN_DOES_NOT_FIT` — one run needs 40 B; 39 B are left after fixed arrays');
  expect(markdown).toContain('did not start: `NO_DEVICE` — no device');
});

test.each([
  { text: 'a|b', escaped: 'a\\|b' },
  { text: 'x`y', escaped: 'x\\`y' },
  { text: 'two\nlines', escaped: 'two lines' },
])('escapeMarkdown($text)', ({ text, escaped }) => {
  expect(escapeMarkdown(text)).toBe(escaped);
});

test('names the browser and OS the page runs in, escaped, before the adapter', () => {
  const planned = planScenario(example('dangling-final-chunk.json'));
  const markdown = bugReportMarkdown({
    name: 'x', link: kLink, device: kDevice, plan: planned, run: undefined,
    browser: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140 | test', platform: 'Linux x86_64' },
  });
  expect(markdown).toContain('| browser | Mozilla/5.0 (X11; Linux x86\\_64) Chrome/140 \\| test |');
  expect(markdown).toContain('| OS | Linux x86\\_64 |');
  expect(markdown.indexOf('#### Browser')).toBeLessThan(markdown.indexOf('#### Device'));
  expect(bugReportMarkdown({ name: 'x', link: kLink, device: kDevice, plan: planned, run: undefined })).not.toContain('#### Browser');
});
