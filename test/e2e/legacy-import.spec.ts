// Legacy array requests in the app: every example in examples/legacy/ imported through Import requests…
// shows its message — the valid one becomes a planned scenario, each mistake is named and changes nothing.
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const kLegacyDir = fileURLToPath(new URL('../../examples/legacy/', import.meta.url));

/** What each example must show: the mistake's code and where it points, as `chunkscope import-requests` prints them. */
const kMistakes = [
  { file: 'chunk-axis-outside-shape.json', code: 'CHUNK_AXIS_OUTSIDE_SHAPE', path: '[0].chunk_axis_index', says: 'chunk_axis_index 3 is outside the 3-d shape [100, 3, 20000] of "state"' },
  { file: 'chunked-without-total-runs.json', code: 'CHUNKED_WITHOUT_TOTAL_RUNS', path: '[1]', says: '"state" may be chunked but has no total_runs' },
  { file: 'fixed-with-total-runs.json', code: 'FIXED_WITH_TOTAL_RUNS', path: '[1].total_runs', says: '"driver_coefficients" is unchunkable (a fixed array) but gives total_runs 20000' },
  { file: 'total-runs-disagree.json', code: 'TOTAL_RUNS_DISAGREE', path: '[1].total_runs', says: '"state" gives total_runs 10000 but [0].total_runs gives 20000' },
  { file: 'unit-chunk-axis.json', code: 'UNIT_CHUNK_AXIS', path: '[1].shape[2]', says: '"state" has length 1 at its chunk axis 2, but total_runs is 20000' },
  { file: 'fixed-given-one-run.json', code: 'TOTAL_RUNS_DISAGREE', path: '[1].total_runs', says: '"driver_coefficients" gives total_runs 1 but [0].total_runs gives 5' },
  // Every mistake is listed, not only the first: this is the fourth of five.
  { file: 'several-mistakes.json', code: 'UNIT_CHUNK_AXIS', path: '[3].shape[2]', says: '"state" has length 1 at its chunk axis 2', count: 5 },
] as const;
const kValid = 'lorenz-requests.json';

test('every legacy example is covered here', () => {
  const files = readdirSync(kLegacyDir).filter((f) => f.endsWith('.json')).sort();
  expect(files).toEqual([...kMistakes.map((m) => m.file), kValid].sort());
});

test(`${kValid} becomes a scenario that is planned, and the host-memory request is noted`, async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('Import requests…').setInputFiles(`${kLegacyDir}${kValid}`);
  await expect(page.getByTestId('notice')).toContainText('Imported lorenz-requests.json: 5 arrays over 20,000 runs.');
  await expect(page.getByTestId('notice')).toContainText('("host_copy") is pinned host memory: left out of the device budget');
  await expect(page.getByTestId('scenario-name')).toHaveText('lorenz-requests');
  await expect(page.getByTestId('plan-chunks')).toHaveText('1 chunk of 20,000 runs');
  await expect(page.getByTestId('plan-peak')).toHaveText('23.4 MiB of 64 MiB');
  await expect(page.getByTestId('import-mistakes')).toHaveCount(0);
  await expect.poll(() => page.url()).toContain('#scenario=');
});

for (const mistake of kMistakes) {
  const { file, code, path, says } = mistake;
  const count = 'count' in mistake ? mistake.count : 1;
  test(`${file} names ${code} and keeps the scenario`, async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
    await page.getByLabel('Import requests…').setInputFiles(`${kLegacyDir}${file}`);
    const mistakes = page.getByTestId('import-mistakes');
    await expect(mistakes).toContainText(`${file} cannot become a scenario; the scenario is unchanged.`);
    await expect(mistakes.getByRole('listitem')).toHaveCount(count);
    await expect(mistakes.getByRole('listitem').filter({ hasText: `${code} ${path}: ${says}` })).toHaveCount(1);
    await expect(page.getByTestId('scenario-name')).toHaveText('Lorenz batch');
    await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  });
}

test('legacy requests dropped on the app are imported, and a foreign file in Import requests… is named', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  const text = readFileSync(`${kLegacyDir}unit-chunk-axis.json`, 'utf8');
  await page.locator('plan-view').evaluate((target, text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'unit-chunk-axis.json', { type: 'application/json' }));
    target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
  }, text);
  await expect(page.getByTestId('import-mistakes')).toContainText('UNIT_CHUNK_AXIS');

  await page.getByLabel('Import requests…').setInputFiles({ name: 'settings.json', mimeType: 'application/json', buffer: Buffer.from('"dark mode"') });
  await expect(page.getByTestId('import-mistakes')).toContainText('NOT_A_REQUEST_LIST');
  await expect(page.getByTestId('import-mistakes')).toContainText('expected a list of array requests');
});

for (const width of [1280, 390]) {
  test(`the named mistakes read well at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto('/');
    await page.getByLabel('Import requests…').setInputFiles(`${kLegacyDir}chunk-axis-outside-shape.json`);
    await expect(page.getByTestId('import-mistakes')).toBeVisible();
    await page.getByTestId('import-mistakes').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `screenshots/legacy-mistakes-${width}.png` });
  });
}
