// Screenshots of the run report, memory timeline and event log after a run, at 1280×800 and 390 px (screenshots/, gitignored).
import { expect, test } from '@playwright/test';

const kWidths = [
  { name: '1280', width: 1280, height: 800 },
  { name: '390', width: 390, height: 844 },
] as const;

for (const { name, width, height } of kWidths) {
  test(`run views at ${name} px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    // A fault preset: the views then show a fault, a fallback and two attempts, not just the happy path.
    await page.getByLabel('Preset', { exact: true }).selectOption('oom-third-allocation');
    await page.getByTestId('run-button').click();
    await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', { timeout: 20_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await page.locator('run-report').screenshot({ path: `screenshots/run-report-${name}.png` });
    const timeline = page.locator('memory-timeline');
    await timeline.getByTestId('timeline-svg').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await timeline.screenshot({ path: `screenshots/timeline-${name}.png` });
    await page.locator('run-report').getByTestId('show-peak').click();
    await expect(page.locator('event-log tr.highlight')).toBeInViewport();
    await page.locator('event-log').screenshot({ path: `screenshots/event-log-${name}.png` });
  });
}
