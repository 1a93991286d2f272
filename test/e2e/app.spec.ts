// The app shell: it loads the default scenario, shows the plan the worker computed, and the worker sees WebGPU.
import { expect, test } from '@playwright/test';

test('loads the default scenario and shows its plan', async ({ page }) => {
  await page.goto('/');
  const plan = page.locator('plan-view');
  // The figures `chunkscope plan examples/lorenz-batch.json` prints.
  await expect(plan.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await expect(plan.getByTestId('plan-final-chunk')).toHaveText('6,340 runs (dangling)');
  await expect(plan.getByTestId('plan-bound-by')).toContainText('budget');
  await expect(page.locator('chunkscope-app header')).toContainText('Lorenz batch');
});

test('the simulator worker reports a WebGPU adapter', async ({ page }) => {
  await page.goto('/');
  const device = page.locator('device-info-panel');
  await expect(device.getByTestId('device-info')).toBeVisible();
  await expect(device.getByTestId('device-adapter')).not.toBeEmpty();
  // SwiftShader's adapter offers 1 GiB buffers; any WebGPU adapter offers at least the 256 MiB default.
  await expect(device.getByTestId('device-info')).toContainText('maxBufferSize');
});
