/** Page-level layout checks shared by the specs that look at both widths. */
import { expect, type Page } from '@playwright/test';

/**
 * The page scrolls sideways by no pixel. Polled: charts follow their box through a
 * ResizeObserver, so for a frame after the viewport changes they still have the old width.
 */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
}
