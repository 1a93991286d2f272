// Screenshots of a workload's plan and run at 1280 and 390 px, for a person to look at (screenshots/workload-*.png);
// neither width scrolls sideways.
import { expect, test } from '@playwright/test';
import { kRunEnds } from './timeouts.ts';
import { expectNoSidewaysScroll } from './layout.ts';

for (const { name, width, height } of [
  { name: 'wide', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`a workload's plan and run at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await expect(page.locator('plan-view').getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
    await page.getByLabel('Preset', { exact: true }).selectOption('held-memory-per-lane');
    await expect(page.locator('workload-plan').getByTestId('workload-lanes')).toBeVisible();
    await page.getByTestId('workload-plan-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `screenshots/workload-plan-${name}.png` });
    await page.getByTestId('run-button').click();
    await expect(page.locator('workload-run').getByTestId('workload-run-status')).toBeVisible(kRunEnds);
    await page.locator('workload-run').getByTestId('workload-failures').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `screenshots/workload-run-${name}.png` });
    await page.locator('workload-timeline').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `screenshots/workload-timeline-${name}.png` });
    await expectNoSidewaysScroll(page);
    // The lanes preset: shares, caps and the load table on a phone too.
    await page.getByLabel('Preset', { exact: true }).selectOption('stream-groups');
    await expect(page.locator('workload-plan').getByTestId('workload-lane')).toHaveCount(3);
    await page.getByTestId('workload-plan-section').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `screenshots/workload-lanes-${name}.png` });
    await expectNoSidewaysScroll(page);
  });
}
