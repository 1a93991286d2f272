// The scenario editor: inline validator sentences by path, plans that follow typing, rows added and removed, keyboard and labels.
import { expect, test, type Page } from '@playwright/test';
import { unlabelledControls } from './control-audit.ts';

async function openApp(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
}

test('an invalid shape shows the validator sentence beside it, and fixing it brings the plan back', async ({ page }) => {
  await openApp(page);
  const shape = page.getByLabel('shape of arrays[0] (initial_values)');
  await shape.fill('3, rns');
  const issues = page.locator('[data-issues-for="arrays[0].shape"]');
  await expect(issues).toHaveText('must be a positive integer or "runs"');
  await expect(shape).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('scenario-issues')).toContainText('1 problem');
  // The last valid plan stays, greyed, with the problem named by path and array.
  await expect(page.getByTestId('plan-stale-note')).toContainText('arrays[0].shape[1] of array "initial_values"');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  // What the user typed stays in the field while it is invalid.
  await expect(shape).toHaveValue('3, rns');

  await shape.fill('3, runs');
  await expect(issues).toHaveText('');
  await expect(page.getByTestId('scenario-valid')).toBeVisible();
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
});

test('the plan follows the runs and the budget as they are typed', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('runs', { exact: true }).fill('6830');
  await expect(page.getByTestId('plan-chunks')).toHaveText('1 chunk of 6,830 runs');
  await expect(page.getByTestId('plan-bound-by')).toHaveText('fits');

  await page.getByLabel('runs', { exact: true }).fill('20000');
  await page.getByLabel('budget, exact').fill('16 MiB');
  await expect(page.getByTestId('budget-readout')).toContainText('16,777,216 B');
  await expect(page.getByTestId('plan-chunks')).toHaveText('2 chunks of 13,661 runs');

  await page.getByLabel('budget, exact').fill('8 XB');
  await expect(page.locator('[data-issues-for="device.budgetBytes"]')).toContainText('budgetBytes must be a number');
});

test('the budget slider moves by keyboard in quarter steps between powers of two', async ({ page }) => {
  await openApp(page);
  const slider = page.locator('scenario-editor #budget-slider');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  // 8 MiB → 10 MiB (1.25 × 8 MiB).
  await expect(page.getByLabel('budget, exact')).toHaveValue('10 MiB');
  await expect(page.getByTestId('budget-readout')).toContainText('10,485,760 B');
  await expect(page.getByTestId('plan-peak')).toContainText('of 10 MiB');
});

test('arrays can be added, edited and removed; a fixed array over the budget shows the planner sentence at the budget', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('array-row')).toHaveCount(5);
  await page.getByRole('button', { name: 'Add array' }).click();
  await expect(page.getByTestId('array-row')).toHaveCount(6);
  await page.getByLabel('name of arrays[5] (array_6)').fill('lookup');
  await page.getByLabel('shape of arrays[5] (lookup)').fill('1024, 1024, 4');
  await page.getByLabel('dtype of arrays[5] (lookup)').selectOption('f64');
  await expect(page.getByTestId('plan-error-code')).toHaveText('FIXED_EXCEEDS_BUDGET');
  await expect(page.locator('[data-issues-for="device.budgetBytes"]')).toContainText('fixed arrays need 32 MiB');

  await page.getByRole('button', { name: 'remove arrays[5] (lookup)' }).click();
  await expect(page.getByTestId('array-row')).toHaveCount(5);
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
});

test('faults, the recovery ladder and kernel parameters are edited with validation by path', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Add fault' }).click();
  await expect(page.getByTestId('fault-row')).toHaveCount(1);
  await page.getByLabel('kind of faults[0]').selectOption('device-lost');
  await page.getByLabel('when faults[0] strikes').selectOption('duringChunk');
  await page.getByLabel('during chunk (faults[0])').fill('-1');
  await expect(page.locator('[data-issues-for="faults[0].duringChunk"]')).toHaveText('duringChunk must be at least 0');
  await page.getByLabel('during chunk (faults[0])').fill('1');
  await expect(page.getByTestId('scenario-valid')).toBeVisible();

  await page.getByRole('button', { name: 'move f16 earlier' }).click();
  await expect(page.getByRole('list', { name: 'recovery ladder, in order' })).toHaveText(/f16.*shrink.*cpu/s);
  await page.getByRole('button', { name: 'take cpu off the ladder' }).click();
  await expect(page.getByRole('button', { name: 'Add cpu' })).toBeVisible();

  await page.getByLabel('value of dt').fill('fast');
  await expect(page.locator('[data-issues-for="kernel.dt"]')).toHaveText('kernel parameters must be numbers');
});

test('every control is labelled and reachable by keyboard', async ({ page }) => {
  await openApp(page);
  const unlabelled = await unlabelledControls(page);
  expect(unlabelled).toEqual([]);

  // Tab from the preset picker goes through the scenario's actions to the editor's first field.
  await page.getByLabel('Preset', { exact: true }).focus();
  for (const control of [
    page.getByRole('button', { name: 'Copy link' }),
    page.getByRole('button', { name: 'Download JSON' }),
    page.getByLabel('Open JSON…'),
    page.getByLabel('Open trace…'),
    page.getByLabel('Import requests…'),
    page.getByLabel('name', { exact: true }),
  ]) {
    await page.keyboard.press('Tab');
    await expect(control).toBeFocused();
  }
});
