// The app shell: it loads the default scenario, shows the plan the worker computed, and the worker sees WebGPU.
import { expect, test } from '@playwright/test';

test('loads the default scenario and shows its plan', async ({ page }) => {
  await page.goto('/');
  const plan = page.locator('plan-view');
  // The figures `chunkscope plan examples/lorenz-batch.json` prints.
  await expect(plan.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await expect(plan.getByTestId('plan-final-chunk')).toHaveText('6,340 runs (dangling)');
  await expect(plan.getByTestId('plan-bound-by')).toContainText('budget');
  // Which constraint binds, and by how much the next one would allow more.
  await expect(plan.getByTestId('bound-sentence')).toHaveText(
    'the budget holds chunkLength to 6,830 runs; the next constraint, maxStorageBufferBindingSize (array "state"), would allow 111,848 runs, 16.4× as many.',
  );
  // Bytes per array: a chunk's buffer of each, and the fixed array whole.
  const arrays = plan.getByTestId('plan-arrays').locator('tbody tr');
  await expect(arrays).toHaveCount(5);
  await expect(arrays.filter({ hasText: 'state' })).toContainText('7.82 MiB');
  await expect(arrays.filter({ hasText: 'driver_coefficients' })).toContainText('allocated once, whole');
  await expect(plan.getByTestId('plan-peak')).toHaveText('8 MiB of 8 MiB');
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
