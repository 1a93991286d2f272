// Running a scenario in the worker: the report of the default run, Run disabled while the scenario is invalid, and Cancel.
import { expect, test } from '@playwright/test';
import { kRunEnds } from './timeouts.ts';

test('the default scenario runs to a verified report whose measured peak equals the predicted one', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  const run = page.getByTestId('run-button');
  await expect(run).toBeEnabled();
  const started = Date.now();
  await run.click();
  const report = page.locator('run-report');
  await expect(report.getByTestId('run-status')).toHaveText('finished', kRunEnds);
  console.log(`default run took ${Date.now() - started} ms`);
  await expect(report.getByTestId('run-verification')).toContainText('passed');
  await expect(report.getByTestId('run-peak-match')).toHaveText('= predicted');
  const predicted = await report.getByTestId('run-predicted-peak').textContent();
  await expect(report.getByTestId('run-measured-peak')).toHaveText(predicted!);
  await expect(report.getByTestId('run-chunks')).toHaveText('3 over 1 attempt');
  await expect(report.getByTestId('run-live-after')).toHaveText('0');
  await expect(report.getByTestId('run-faults')).toContainText('None');
  // Beside the Run button, a line on the run and the way down to its report.
  await expect(page.getByTestId('last-run')).toContainText('Last run finished, verification passed.');
  await page.getByTestId('last-run').getByRole('button', { name: 'See the report' }).click();
  await expect(report.getByTestId('run-status')).toBeInViewport();

  // The timeline draws the run: budget line, peak marker, a readout for the keyboard.
  const timeline = page.locator('memory-timeline');
  await expect(timeline.getByTestId('timeline-peak')).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-budget')).toHaveCount(1);
  await timeline.getByTestId('timeline-svg').focus();
  await page.keyboard.press('ArrowRight');
  await expect(timeline.getByTestId('timeline-readout')).toContainText('alloc');

  // The allocation that set the peak is one click away in the event log.
  const setBy = await report.getByTestId('run-peak-set-by').textContent();
  const log = page.locator('event-log');
  await log.getByTestId('event-kind').selectOption('dispatch');
  // The log draws the rows in view (it is virtualised): bring it into view to count them.
  await log.getByTestId('event-table').scrollIntoViewIfNeeded();
  // The filter keeps one row per chunk's dispatch and nothing else.
  const chunks = Number((await report.getByTestId('run-chunks').textContent())!.match(/\d+/)![0]);
  await expect(log.getByTestId('event-row')).toHaveCount(chunks);
  expect(await log.getByTestId('event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')))).toEqual(Array(chunks).fill('dispatch'));
  await report.getByTestId('show-peak').click();
  const row = log.locator('[data-testid="event-row"].highlight');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-kind', 'alloc');
  await expect(row).toContainText(setBy!);
  await expect(row).toBeInViewport();
  await expect(row).toBeFocused();
});

test('an invalid shape disables Run until it is fixed', async ({ page }) => {
  await page.goto('/');
  const run = page.getByTestId('run-button');
  await expect(run).toBeEnabled();
  const shape = page.getByLabel('shape of arrays[3] (state)');
  await shape.fill('100, 3, rns');
  await expect(run).toBeDisabled();
  await expect(page.getByTestId('run-blocked')).toContainText('fix the scenario');
  await shape.fill('100, 3, runs');
  await expect(run).toBeEnabled();
  // Keyboard: focus the button and press Enter.
  await run.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-progress').or(page.getByTestId('run-status'))).toBeVisible();
});

test('Cancel mid-run stops the run with no buffer live', async ({ page }) => {
  // At 390 px wide: the progress bar and Cancel must fit a phone screen too.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  // A small budget cuts the default batch into 24 chunks: after the first progress most
  // of the run is still ahead, so Cancel lands mid-run however fast the machine is.
  await page.getByLabel('budget, exact').fill('1 MiB');
  await expect(page.getByTestId('plan-chunks')).toHaveText('24 chunks of 853 runs');
  await page.getByTestId('run-button').click();
  // Wait for the first batched progress, so the run is really under way on the device.
  await expect(page.getByTestId('run-progress')).toContainText('runs, attempt 1', kRunEnds);
  await expect(page.getByTestId('cancel-button')).toBeInViewport({ ratio: 1 });
  await page.getByTestId('cancel-button').click();
  const report = page.locator('run-report');
  await expect(report.getByTestId('run-status')).toHaveText('cancelled', kRunEnds);
  await expect(report.getByTestId('run-error')).toContainText('CANCELLED');
  await expect(report.getByTestId('run-runs-done')).not.toContainText('20,000 of');
  await expect(report.getByTestId('run-live-after')).toHaveText('0');
  await expect(report.getByTestId('run-verification')).toContainText('not run');
  // Run is back: the worker let go of the cancelled run.
  await expect(page.getByTestId('run-button')).toBeEnabled();
});

test('a real GPU-process crash during a run is survived as a device-lost fallback', async ({ page, browser }) => {
  await page.goto('/');
  // 95 chunks instead of 3: progress arrives in batches up to 100 ms apart, and the crash must land while chunks still run.
  await page.getByLabel('budget, exact').fill('256 KiB');
  await expect(page.getByTestId('plan-chunks')).toContainText('95 chunks of');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-progress')).toContainText('runs, attempt 1', kRunEnds);
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Browser.crashGpuProcess');
  await cdp.detach();
  const report = page.locator('run-report');
  await expect(report.getByTestId('run-status')).toHaveText('finished', kRunEnds);
  await expect(report.getByTestId('run-faults').locator('li[data-kind="device-lost"]').first()).toBeVisible();
  await expect(report.getByTestId('run-faults').locator('li[data-kind="fallback"]').first()).toContainText('→ retry');
  await expect(report.getByTestId('run-verification')).toContainText('passed');
  await expect(report.getByTestId('run-live-after')).toHaveText('0');
});

test('progress reaches the page as the run goes, never more than once a chunk, in order', async ({ page }) => {
  // Batching to about ten a second is the worker's (test/worker/run-updates.test.ts, on a
  // fake clock); here what holds at any speed: updates come during the run, in order, and
  // the page is never sent more of them than there are chunks.
  await page.goto('/');
  // 256 KiB cuts the default batch into 95 chunks.
  await page.getByLabel('budget, exact').fill('256 KiB');
  await expect(page.getByTestId('plan-chunks')).toContainText('95 chunks of');
  await page.evaluate(() => {
    const w = window as unknown as { progressTexts: string[] };
    w.progressTexts = [];
    // The progress lives in the run bar's own shadow root.
    const root = document.querySelector('chunkscope-app')!.shadowRoot!.querySelector('run-bar')!.shadowRoot!;
    // Each progress message re-renders the status text: count its distinct values.
    new MutationObserver(() => {
      const text = root.querySelector('[data-testid="run-progress"] [role="status"]')?.textContent ?? '';
      if (text.includes(' runs, ') && text !== w.progressTexts.at(-1)) w.progressTexts.push(text);
    }).observe(root, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  const texts = await page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts);
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.length).toBeLessThanOrEqual(95);
  const done = texts.map((t) => Number(/^([\d,]+) \//.exec(t)?.[1].replace(/,/g, '')));
  expect(done.every(Number.isInteger)).toBe(true);
  expect(done).toEqual([...done].sort((x, y) => x - y));
});

test('the page itself never touches WebGPU: with navigator.gpu gone from the main thread, the run still verifies', async ({ page }) => {
  // Only the worker may hold the device; the page's navigator.gpu now throws on any use.
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', {
      configurable: true,
      get() {
        (window as unknown as { touchedGpu: boolean }).touchedGpu = true;
        throw new Error('the main thread touched navigator.gpu');
      },
    });
  });
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-verification')).toContainText('passed', kRunEnds);
  expect(await page.evaluate(() => (window as unknown as { touchedGpu?: boolean }).touchedGpu ?? false)).toBe(false);
});
