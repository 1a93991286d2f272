// The timeline and the event log in the theme's colours, light and dark (prefers-color-scheme), while stepping through a chunk; screenshots at 1280 and 390 px for a person to look at.
import { expect, test } from '@playwright/test';
import { expectNoSidewaysScroll } from './layout.ts';
import { kRunEnds } from './timeouts.ts';

/** Relative luminance of a CSS `rgb(…)` colour, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

for (const { name, width, height } of [
  { name: '1280', width: 1280, height: 800 },
  { name: '390', width: 390, height: 844 },
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`timeline and log follow the ${scheme} theme at ${name} px`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height });
      await page.goto('/');
      await expect(page.locator('plan-view').getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
      await page.getByTestId('run-button').click();
      await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
      await page.locator('chunk-stepper').getByTestId('step-last').click();
      const timeline = page.locator('[data-testid="run-results"] memory-timeline');
      await expect(timeline.getByTestId('timeline-step')).toHaveAttribute('data-chunk', '2');
      const log = page.locator('event-log');
      // Text and the stepped rows in the theme's colours: light text on dark, dark text on light.
      const axisText = await timeline.locator('.axis text').first().evaluate((el) => getComputedStyle(el).fill);
      expect(luminance(axisText) > 0.5).toBe(scheme === 'dark');
      // The stepped chunk's outline is the theme's --cs-step-outline of that scheme (theme.ts).
      const outline = await timeline.getByTestId('timeline-step').evaluate((el) => getComputedStyle(el).stroke);
      expect(outline).toBe(scheme === 'dark' ? 'rgb(227, 179, 65)' : 'rgb(191, 135, 0)');
      await timeline.hover({ position: { x: width > 600 ? 400 : 200, y: 200 } });
      await timeline.screenshot({ path: `screenshots/timeline-step-${name}-${scheme}.png` });
      await log.locator('lit-virtualizer').scrollIntoViewIfNeeded();
      const row = log.locator('[data-testid="event-row"][data-stepped]').first();
      await expect(row).toBeVisible();
      const rowText = await row.evaluate((el) => getComputedStyle(el).color);
      expect(luminance(rowText) > 0.5).toBe(scheme === 'dark');
      await log.screenshot({ path: `screenshots/event-log-step-${name}-${scheme}.png` });
      await expectNoSidewaysScroll(page);
    });
  }
}
