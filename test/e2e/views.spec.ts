// Screenshots of every view at 1280×800 and 390 px wide, for a person to look at (screenshots/, gitignored).
import { expect, test } from '@playwright/test';
import { expectNoSidewaysScroll } from './layout.ts';
import { kRunEnds } from './timeouts.ts';

const kWidths = [
  { name: '1280', width: 1280, height: 800 },
  { name: '390', width: 390, height: 844 },
] as const;

for (const { name, width, height } of kWidths) {
  test(`views at ${name} px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
    await expect(page.getByTestId('device-info')).toBeVisible();
    // Nothing may scroll the page sideways: at 390 px everything wraps or scrolls in its own box.
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `screenshots/app-${name}.png`, fullPage: true });
    await page.locator('plan-view').screenshot({ path: `screenshots/plan-${name}.png` });
    await page.locator('scenario-editor').screenshot({ path: `screenshots/editor-${name}.png` });
    await page.locator('device-info-panel').screenshot({ path: `screenshots/device-${name}.png` });

    // An invalid shape: the sentence beside the field, the summary, and the last valid plan greyed with the problem.
    await page.getByLabel('shape of arrays[3] (state)').fill('100, 3, rns');
    await expect(page.getByTestId('plan-stale-note')).toContainText('arrays[3].shape[2] of array "state"');
    await page.getByLabel('shape of arrays[3] (state)').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `screenshots/invalid-${name}.png` });

    // An infeasible plan: the planner's code and sentence.
    await page.getByLabel('Preset', { exact: true }).selectOption('slice-exceeds-limit');
    await expect(page.getByTestId('plan-error-code')).toHaveText('SLICE_EXCEEDS_LIMIT');
    await page.locator('plan-view').screenshot({ path: `screenshots/infeasible-${name}.png` });

    // Many chunks: the strip draws full chunks as one band and still shows the dangling final chunk.
    await page.getByLabel('Preset', { exact: true }).selectOption('lorenz-batch');
    await page.getByLabel('runs', { exact: true }).fill('1000000007');
    await expect(page.getByTestId('plan-chunks')).toHaveText('146,413 chunks of 6,830 runs');
    await page.locator('plan-view').screenshot({ path: `screenshots/many-chunks-${name}.png` });

    // A run going on: the progress bar with Cancel, and the timeline drawing live.
    await page.getByLabel('Preset', { exact: true }).selectOption('lorenz-batch');
    await page.getByLabel('budget, exact').fill('256 KiB');
    await expect(page.getByTestId('plan-chunks')).toContainText('95 chunks of');
    await page.getByTestId('run-button').click();
    await expect(page.locator('memory-timeline[live]').getByTestId('timeline-peak')).toHaveCount(1);
    await expectNoSidewaysScroll(page);
    await page.getByTestId('run-section').screenshot({ path: `screenshots/running-${name}.png` });
    await page.locator('memory-timeline[live]').screenshot({ path: `screenshots/timeline-live-${name}.png` });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('cancelled', kRunEnds);

    // A soak that leaks: live bytes per cycle, the fitted growth and the verdict.
    await page.getByLabel('Preset', { exact: true }).selectOption('emergency-stop');
    await page.locator('soak-panel').getByTestId('soak-button').click();
    await expect(page.locator('soak-panel').getByTestId('soak-verdict')).toContainText('stopped', kRunEnds);
    await expectNoSidewaysScroll(page);
    await page.locator('soak-panel').screenshot({ path: `screenshots/soak-${name}.png` });
  });
}
