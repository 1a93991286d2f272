// Running a scenario in the worker: the report of the default run, Run disabled while the scenario is invalid, and Cancel.
import { expect, test } from '@playwright/test';

test('the default scenario runs to a verified report whose measured peak equals the predicted one', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  const run = page.getByTestId('run-button');
  await expect(run).toBeEnabled();
  const started = Date.now();
  await run.click();
  const report = page.locator('run-report');
  await expect(report.getByTestId('run-status')).toHaveText('finished', { timeout: 50_000 });
  console.log(`default run took ${Date.now() - started} ms`);
  await expect(report.getByTestId('run-verification')).toContainText('passed');
  await expect(report.getByTestId('run-peak-match')).toHaveText('= predicted');
  const predicted = await report.getByTestId('run-predicted-peak').textContent();
  await expect(report.getByTestId('run-measured-peak')).toHaveText(predicted!);
  await expect(report.getByTestId('run-chunks')).toHaveText('3 over 1 attempt');
  await expect(report.getByTestId('run-live-after')).toHaveText('0');
  await expect(report.getByTestId('run-faults')).toContainText('None');

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
  await report.getByTestId('show-peak').click();
  const row = log.locator('tr.highlight');
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
  const shape = page.getByLabel('shape of array 4 (state)');
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
