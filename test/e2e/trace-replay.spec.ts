// A downloaded trace opens in a fresh page (picked or dropped) as a replay: the same report, timeline and log, labelled, with nothing run; Load its scenario and Run take over; a corrupt trace gives its sentence and changes nothing.
import { expect, test, type Page } from '@playwright/test';
import { expectNoSidewaysScroll } from './layout.ts';
import { unlabelledControls } from './control-audit.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kRunEnds } from './timeouts.ts';

/** The report values a replay must show exactly as the run did. */
const kReportFields = ['run-status', 'run-runs-done', 'run-predicted-peak', 'run-measured-peak', 'run-peak-match', 'run-staging-peak', 'run-chunks', 'run-phases', 'run-verification', 'run-max-abs-error', 'run-live-after', 'run-faults'];

async function reportValues(page: Page): Promise<Record<string, string>> {
  const report = page.locator('run-report');
  const values: Record<string, string> = {};
  for (const id of kReportFields) values[id] = (await report.getByTestId(id).innerText()).trim();
  return values;
}

test('a run\'s trace, downloaded and opened in a fresh page, shows the same report without running', async ({ page, context }) => {
  await page.goto('/');
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  const ran = await reportValues(page);
  expect(ran['run-verification']).toContain('passed');
  const rows = await page.locator('event-log').getByTestId('event-table').getAttribute('data-count');
  expect(Number(rows)).toBeGreaterThan(10);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trace').click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'chunkscope-replay-')), download.suggestedFilename());
  await download.saveAs(path);
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  // The file carries what the events alone cannot: the verification.
  expect(saved.outcome.verification.passed).toBe(true);

  const fresh = await context.newPage();
  await fresh.goto('/');
  await expect(fresh.getByTestId('run-button')).toBeEnabled();
  await fresh.getByTestId('open-trace').setInputFiles(path);
  const banner = fresh.getByTestId('replay-banner');
  await expect(banner).toContainText(`Replay of ${download.suggestedFilename()} — run on WebGPU in the browser`);
  await expect(banner).toContainText('not run here');
  expect(await reportValues(fresh)).toEqual(ran);
  await expect(fresh.locator('event-log').getByTestId('event-table')).toHaveAttribute('data-count', rows!);
  await expect(fresh.locator('memory-timeline').first().getByTestId('timeline-peak')).toHaveCount(1);
  // Nothing ran here: no progress was shown, the Run button is idle, and the line beside it says the report is a replay.
  await expect(fresh.getByTestId('run-button')).toHaveText('Run');
  await expect(fresh.getByTestId('run-progress')).toHaveCount(0);
  await expect(fresh.getByTestId('last-run')).toContainText(`Showing the replay of ${download.suggestedFilename()}. No run here yet.`);
  await expect(fresh.getByTestId('last-run').getByRole('button')).toHaveText('See the replay');
  expect(await unlabelledControls(fresh)).toEqual([]);
  // A bug report filed now says the report on the page is the replay, from another run.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await fresh.getByRole('button', { name: 'Copy bug report' }).click();
  await expect(fresh.getByTestId('bug-report-status')).toContainText('Bug report copied');
  const markdown = await fresh.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toMatch(/#### Last run\n\nnot run/);
  expect(markdown).toContain(`#### Replayed trace\n\nThe page shows the trace file ${download.suggestedFilename().replace(/[_*]/g, '\\$&')}, run on WebGPU in the browser`);
  expect(markdown).toMatch(/#### Replayed trace[^]*\| verification \| passed/);

  for (const { name, width, height } of [{ name: '1280', width: 1280, height: 800 }, { name: '390', width: 390, height: 844 }]) {
    await fresh.setViewportSize({ width, height });
    await expectNoSidewaysScroll(fresh);
    await fresh.locator('section[aria-label="Run report"]').screenshot({ path: `screenshots/replay-${name}.png` });
    await fresh.screenshot({ path: `screenshots/replay-page-${name}.png`, fullPage: true });
  }
  await fresh.setViewportSize({ width: 1280, height: 800 });

  // Dropped on a page, the same file lands in the same replay.
  const dropped = await context.newPage();
  await dropped.goto('/');
  await expect(dropped.getByTestId('run-button')).toBeEnabled();
  await dropped.locator('plan-view').evaluate((target, { name, text }) => {
    const data = new DataTransfer();
    data.items.add(new File([text], name, { type: 'application/json' }));
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
  }, { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') });
  await expect(dropped.getByTestId('replay-banner')).toContainText(`Replay of ${download.suggestedFilename()}`);
  expect(await reportValues(dropped)).toEqual(ran);
  await dropped.close();

  // Load its scenario puts the trace's scenario in the editor; Run then replaces the replay with a live run.
  await fresh.getByLabel('budget, exact').fill('1 MiB');
  await expect(fresh.getByTestId('plan-chunks')).toHaveText('24 chunks of 853 runs');
  await fresh.getByTestId('load-trace-scenario').click();
  await expect(fresh.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await expect(fresh.getByTestId('notice')).toContainText('Loaded the scenario of');
  await fresh.getByTestId('run-button').click();
  await expect(banner).toHaveCount(0);
  await expect(fresh.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  await expect(fresh.getByTestId('last-run')).toContainText('Last run finished');
});

test.describe('a trace that cannot be replayed', () => {
  const kScenario = JSON.parse(readFileSync(new URL('../../examples/axpy-i32.json', import.meta.url), 'utf8'));
  const kCases = [
    {
      what: 'cut short',
      file: { format: 'chunkscope-trace', version: 1, scenario: kScenario, device: 'x', events: [{ t: 0, kind: 'attempt', attempt: 1, backend: 'cpu', chunkLength: 1, precision: 'native', predictedPeakBytes: 0, start: 0 }] },
      says: 'cannot be replayed: the trace does not end with its "done" event',
    },
    {
      what: 'with a malformed outcome',
      file: { format: 'chunkscope-trace', version: 1, scenario: kScenario, device: 'x', events: [{ t: 0, kind: 'done', status: 'ok', runsDone: 0 }], outcome: { verification: { passed: 'yes' } } },
      says: "cannot be replayed: the trace's outcome.verification.passed must be true or false",
    },
    { what: 'from a newer chunkscope', file: { format: 'chunkscope-trace', version: 9 }, says: 'cannot be replayed: trace version 9 is not one this chunkscope reads' },
    { what: 'not a trace at all (picked with Open trace…)', file: { version: 1, runs: 4, arrays: [] }, says: 'cannot be replayed: not a chunkscope trace' },
  ];
  for (const { what, file, says } of kCases) {
    test(`${what}: its sentence, and nothing else changes`, async ({ page }) => {
      await page.goto('/');
      await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
      await page.getByTestId('open-trace').setInputFiles({ name: 'broken.trace.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
      await expect(page.getByTestId('load-problem')).toContainText(`broken.trace.json ${says}`);
      await expect(page.getByTestId('replay-banner')).toHaveCount(0);
      await expect(page.locator('run-report')).toContainText('Press Run');
      await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
      await expect(page.getByTestId('scenario-name')).toHaveText('Lorenz batch');
    });
  }
});
