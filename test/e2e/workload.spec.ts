// Workloads in the app: cross-origin isolation for the ledger, a workload opened from a preset,
// its plan (caps, load table), and runs on Web Worker lanes that fail and pass as the stories say.
import { expect, test, type Page } from '@playwright/test';
import { kRunEnds } from './timeouts.ts';

/** Collects console errors and page errors for the test's end. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

async function openPreset(page: Page, id: string) {
  await page.goto('/');
  await expect(page.locator('plan-view').getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('Preset', { exact: true }).selectOption(id);
  await expect(page.locator('workload-plan').getByTestId('workload-lanes')).toBeVisible();
}

async function runWorkload(page: Page) {
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await page.getByTestId('run-button').click();
  await expect(page.locator('workload-run').getByTestId('workload-run-status')).toBeVisible(kRunEnds);
}

test('the app is cross-origin isolated, so lanes can share the ledger', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');
});

test('held memory, per-lane: the failing lane and the reason in plain words; the timeline stacks by job', async ({ page }) => {
  const problems = watchProblems(page);
  await openPreset(page, 'held-memory-per-lane');
  await expect(page.getByTestId('preset-teaches')).toContainText('test_huggingface keeps its 700 KiB until the worker exits');
  const plan = page.locator('workload-plan');
  await expect(plan.getByTestId('workload-lane')).toHaveCount(1);
  await expect(plan.getByTestId('lane-cap')).toHaveText('1 MiB (1,048,576 B)');
  await runWorkload(page);
  const run = page.locator('workload-run');
  await expect(run.getByTestId('workload-run-status')).toHaveText('1 of 2 jobs did not verify');
  const failure = run.getByTestId('workload-failure');
  await expect(failure).toHaveCount(1);
  await expect(failure).toHaveAttribute('data-job', 'test_vllm');
  await expect(failure).toContainText(/^lane "\S+" ran out of device memory in job "test_vllm": \d+ held buffers? from earlier job \("test_huggingface"\) kept [\d.]+ KiB \([\d,]+ B\) until the worker exits\.$/);
  await expect(run.locator('[data-testid="workload-job-run"][data-job="test_huggingface"]')).toHaveAttribute('data-status', 'ok');
  await expect(run.locator('[data-testid="workload-job-run"][data-job="test_vllm"]')).not.toHaveAttribute('data-status', 'ok');
  // Stacked by job: one layer per job that ran, and the lane's row holds both.
  const timeline = run.locator('workload-timeline');
  await expect(timeline.getByTestId('timeline-job')).toHaveCount(2);
  await expect(timeline.getByTestId('timeline-job').nth(0)).toHaveAttribute('data-job', 'test_huggingface');
  await expect(timeline.getByTestId('timeline-job').nth(1)).toHaveAttribute('data-job', 'test_vllm');
  await expect(timeline.getByTestId('lane-row')).toHaveCount(1);
  await expect(timeline.getByTestId('lane-row')).toHaveAttribute('data-jobs', 'test_huggingface,test_vllm');
  await expect(run.getByTestId('workload-after')).toContainText('0 live buffers, 0 devices left, 0 B in the ledger');
  // Each job's report on demand: the same report a single run shows.
  await run.locator('[data-testid="workload-job-run"][data-job="test_huggingface"] summary').click();
  await expect(run.locator('[data-testid="workload-job-run"][data-job="test_huggingface"] run-report').getByTestId('run-verification')).toContainText('passed');
  expect(problems).toEqual([]);
});

test('held memory, per-job: both jobs verify, each on a fresh worker and device', async ({ page }) => {
  const problems = watchProblems(page);
  await openPreset(page, 'held-memory-per-job');
  await runWorkload(page);
  const run = page.locator('workload-run');
  await expect(run.getByTestId('workload-run-status')).toHaveText('All 2 jobs verified');
  await expect(run.getByTestId('workload-failures')).toHaveCount(0);
  await expect(run.getByTestId('workload-peak-job')).toHaveText(/^job "test_(huggingface|vllm)"$/);
  await expect(run.getByTestId('workload-after')).toContainText('0 live buffers, 0 devices left, 0 B in the ledger');
  expect(problems).toEqual([]);
});

test('two lanes at once: the timeline stacks both jobs and draws a row per lane; the ledger names the peak job', async ({ page }) => {
  const problems = watchProblems(page);
  await openPreset(page, 'two-jobs-80-percent');
  await expect(page.locator('workload-plan').getByTestId('workload-over-commit')).toBeVisible();
  await runWorkload(page);
  const run = page.locator('workload-run');
  await expect(run.getByTestId('workload-run-status')).toHaveText('All 2 jobs verified');
  const timeline = run.locator('workload-timeline');
  await expect(timeline.getByTestId('lane-row')).toHaveCount(2);
  await expect(timeline.getByTestId('timeline-job')).toHaveCount(2);
  await expect(run.getByTestId('workload-ledger-peak')).toContainText('of 1 MiB (1,048,576 B), set by job');
  // Another workload: the run shown is marked as an earlier workload's.
  await page.getByLabel('Preset', { exact: true }).selectOption('stream-groups');
  await expect(page.getByTestId('workload-stale-note')).toContainText('From an earlier workload');
  expect(problems).toEqual([]);
});

test('Cancel ends every lane: no job is left running, and nothing outlives the workload', async ({ page }) => {
  const problems = watchProblems(page);
  await openPreset(page, 'stream-groups');
  // Ten times the steps (saving as often as before): the lane with two jobs is still in its first when Cancel lands, so its second never starts.
  const editor = page.getByTestId('workload-json');
  const text = await editor.inputValue();
  expect(text).toContain('"steps": 200,');
  await editor.fill(text.replaceAll('"steps": 200,', '"steps": 2000,').replaceAll('"saveEvery": 10', '"saveEvery": 100'));
  await expect(page.getByTestId('workload-valid')).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await page.getByTestId('run-button').click();
  await expect(page.locator('workload-run').getByTestId('workload-live')).toBeVisible();
  await page.getByTestId('cancel-button').click();
  const run = page.locator('workload-run');
  await expect(run.getByTestId('workload-run-status')).toBeVisible(kRunEnds);
  // Every job ended one way or the other (Cancel may land after some finished), none mid-run.
  const statuses = await run.getByTestId('workload-job-run').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
  expect(statuses).toHaveLength(4);
  for (const status of statuses) expect(['ok', 'cancelled']).toContain(status);
  expect(statuses).toContain('cancelled');
  await expect(run.getByTestId('workload-after')).toContainText('0 live buffers, 0 devices left, 0 B in the ledger');
  expect(problems).toEqual([]);
});

test('a workload edited as JSON names each problem by its path, and the address carries it to a new page', async ({ page, context }) => {
  await openPreset(page, 'held-memory-per-job');
  const editor = page.getByTestId('workload-json');
  const text = await editor.inputValue();
  await editor.fill(text.replace('"runs": 1400', '"runs": -3'));
  await expect(page.getByTestId('workload-problem')).toContainText(['jobs[0].scenario.runs']);
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await editor.fill('{ "kind": "workload", ');
  await expect(page.getByTestId('workload-syntax')).toContainText('Not JSON yet');
  await editor.fill(text);
  await expect(page.getByTestId('workload-valid')).toBeVisible();
  await expect.poll(() => page.url()).toContain('#workload=');
  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.locator('workload-plan').getByTestId('workload-job')).toHaveCount(2);
  await expect(other.getByTestId('notice')).toHaveText('Workload loaded from the link.');
});

test('a lane whose device is lost: that job fails in plain words, the other lane verifies, and no device is left', async ({ page }) => {
  const problems = watchProblems(page);
  await openPreset(page, 'lane-device-lost');
  await runWorkload(page);
  const run = page.locator('workload-run');
  await expect(run.getByTestId('workload-run-status')).toHaveText('1 of 2 jobs did not verify');
  await expect(run.getByTestId('workload-failure')).toHaveCount(1);
  await expect(run.getByTestId('workload-failure')).toContainText(/lost its device in job ".+", and the new ones too \(DEVICE_LOST\)\.$/);
  await expect(run.getByTestId('workload-after')).toContainText('0 live buffers, 0 devices left, 0 B in the ledger');
  // Device losses are what this story is about: the browser reports them as warnings, never as errors here.
  expect(problems).toEqual([]);
});

test('Open JSON… opens a workload file by its content; the parent trap fails every job as DEVICE_BUSY in plain words', async ({ page }) => {
  const problems = watchProblems(page);
  await page.goto('/');
  await expect(page.locator('plan-view').getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('Open JSON…').setInputFiles('examples/workloads/parent-trap.json');
  await expect(page.getByTestId('notice')).toHaveText('Opened parent-trap.json: a workload of several jobs sharing one device.');
  await expect(page.locator('workload-plan').getByTestId('workload-device')).toContainText('exclusive-process mode');
  await runWorkload(page);
  const failures = page.locator('workload-run').getByTestId('workload-failure');
  await expect(failures).toHaveCount(2);
  for (const failure of await failures.all()) await expect(failure).toContainText('in exclusive-process mode and another process holds it (DEVICE_BUSY).');
  await expect(page.locator('workload-run').getByTestId('workload-after')).toContainText('0 live buffers, 0 devices left, 0 B in the ledger');
  expect(problems).toEqual([]);
});
