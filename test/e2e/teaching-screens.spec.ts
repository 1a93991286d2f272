// Screenshots of every view of the teaching layout at 1280 and 390 px, light and dark, for a person to look at (screenshots/teaching-*.png).
import { expect, test } from '@playwright/test';
import { kRunEnds } from './timeouts.ts';
import { expectNoSidewaysScroll } from './layout.ts';

for (const { name, width, height } of [
  { name: 'wide', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`every view at ${width} px, ${scheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      await page.goto('/');
      await expect(page.locator('plan-view').getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
      const shot = (view: string) => page.screenshot({ path: `screenshots/teaching-${view}-${name}-${scheme}.png` });
      await shot('start');
      await page.locator('chunk-stepper').getByTestId('step-last').click();
      await expect(page.locator('plan-view').getByTestId('strip-highlight')).toHaveAttribute('data-chunk', '2');
      await page.locator('[data-testid="plan-section"]').scrollIntoViewIfNeeded();
      await shot('step');
      await page.getByTestId('arithmetic').locator('summary').click();
      await page.getByTestId('arithmetic').scrollIntoViewIfNeeded();
      await shot('arithmetic');
      await page.getByTestId('what-if-section').scrollIntoViewIfNeeded();
      await shot('what-if');
      // Compare two plans: B named by what differs.
      await page.getByTestId('compare-section').getByTestId('pin-button').click();
      await page.locator('what-if-table').getByRole('button', { name: 'adopt: budget 16 MiB (doubled)' }).click();
      await expect(page.getByTestId('compare-differences')).toBeVisible();
      await page.getByTestId('compare-section').scrollIntoViewIfNeeded();
      await shot('compare');
      // f64: WebGPU cannot, said before Run.
      await page.getByLabel('Preset', { exact: true }).selectOption('f64-on-cpu');
      await page.getByTestId('backend-select').selectOption('webgpu');
      await expect(page.getByTestId('use-cpu')).toBeVisible();
      await shot('f64-webgpu');
      await page.getByTestId('backend-select').selectOption('auto');
      await page.getByLabel('Preset', { exact: true }).selectOption('lorenz-batch');
      await expect(page.locator('plan-view').getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
      await page.getByTestId('run-button').click();
      await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
      await page.getByTestId('run-results').scrollIntoViewIfNeeded();
      await shot('report');
      await expectNoSidewaysScroll(page);
    });
  }
}
