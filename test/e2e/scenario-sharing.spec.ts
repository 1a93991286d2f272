// Scenarios travel: a link replays the exact scenario, a broken link says so, a JSON file opens.
import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';

test('Copy link puts the scenario in the address, and opening that address replays it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('runs', { exact: true }).fill('105');
  await page.getByLabel('budget, exact').fill('256 KiB');
  await expect(page.getByTestId('plan-chunks')).toHaveText('1 chunk of 105 runs');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('notice')).toContainText(/link/i);
  expect(page.url()).toContain('#scenario=');

  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByTestId('notice')).toHaveText('Scenario loaded from the link.');
  await expect(page.getByLabel('runs', { exact: true })).toHaveValue('105');
  await expect(page.getByTestId('plan-chunks')).toHaveText('1 chunk of 105 runs');
});

test('a damaged link says why and leaves the default scenario', async ({ page }) => {
  await page.goto('/#scenario=not-a-scenario');
  await expect(page.getByTestId('load-problem')).toContainText("The link's scenario was not loaded");
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
});

test('a scenario file opens and is planned', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('Open JSON…').setInputFiles(fileURLToPath(new URL('../../examples/dangling-final-chunk.json', import.meta.url)));
  await expect(page.getByTestId('notice')).toHaveText('Opened dangling-final-chunk.json.');
  await expect(page.getByTestId('plan-chunks')).toHaveText('5 chunks of 25 runs');
  await expect(page.getByTestId('plan-final-chunk')).toHaveText('5 runs (dangling)');
});
