// Copy bug report: Markdown with the link, the device, the plan and the last run reaches the clipboard,
// or the page when the clipboard is refused.
import { expect, test } from '@playwright/test';
import { kRunEnds } from './timeouts.ts';

test('the copied report carries the link that replays the scenario, the device and the plan', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByLabel('runs', { exact: true }).fill('3000');
  await expect(page.getByTestId('plan-chunks')).toHaveText('1 chunk of 3,000 runs');
  await expect(page.getByTestId('device-info')).toBeVisible();
  await page.getByRole('button', { name: 'Copy bug report' }).click();
  await expect(page.getByTestId('bug-report-status')).toContainText('Bug report copied');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());

  expect(markdown).toContain('### chunkscope bug report: Lorenz batch');
  const link = /<(http[^>]+#scenario=[^>]+)>/.exec(markdown)?.[1];
  expect(link).toBe(page.url());
  expect(markdown).toMatch(/\| adapter \| google · swiftshader/);
  expect(markdown).toMatch(/\| maxStorageBufferBindingSize \| \d/);
  expect(markdown).toMatch(/<details><summary>all \d+ adapter limits<\/summary>/);
  expect(markdown).toContain('| chunk length | 3,000 runs |');
  expect(markdown).toContain('| chunks | 1 |');
  expect(markdown).toMatch(/#### Last run\n\nnot run/);

  // The link in the report opens the same plan.
  const other = await context.newPage();
  await other.goto(link!);
  await expect(other.getByTestId('plan-chunks')).toHaveText('1 chunk of 3,000 runs');
});

test('after a run the report gives its outcome', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByLabel('Preset', { exact: true }).selectOption('dangling-final-chunk');
  await expect(page.getByTestId('plan-chunks')).toHaveText('5 chunks of 25 runs');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('last-run')).toContainText('Last run finished', kRunEnds);
  await page.getByRole('button', { name: 'Copy bug report' }).click();
  await expect(page.getByTestId('bug-report-status')).toContainText('Bug report copied');
  const markdown = await page.evaluate(() => navigator.clipboard.readText());
  expect(markdown).toContain('| status | ok |');
  expect(markdown).toContain('| runs done | 105 |');
  expect(markdown).toMatch(/\| measured peak \| .*\(predicted /);
  expect(markdown).toMatch(/\| verification \| passed/);
  expect(markdown).toContain('| faults | none |');
});

for (const width of [1280, 390]) {
  test(`a refused clipboard shows the report in the page to copy by hand (${width} px)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    // As in a page whose embedder or user refused clipboard access.
    await page.addInitScript(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
    });
    await page.goto('/');
    await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
    await page.getByRole('button', { name: 'Copy bug report' }).click();
    await expect(page.getByTestId('bug-report-status')).toHaveText('The clipboard was refused: the report is below, to copy by hand.');
    const text = page.getByLabel('Bug report (select all and copy)');
    await expect(text).toHaveValue(/\| chunks \| 3 \|/);
    await expect(text).toHaveValue(new RegExp(`<${page.url().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>`));
    await text.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `screenshots/bug-report-${width}.png` });
  });
}
