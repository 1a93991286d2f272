// Scenarios travel: the address follows each valid edit and a reload keeps it; a copied link replays
// the exact plan in another page; a broken link says so; a JSON file opens from the picker or a drop.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const examplePath = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

/** Drops a file on the plan section, as a person dragging it from their file manager would (dragenter, then drop). */
async function dropFile(page: Page, name: string, text: string, { release = true } = {}) {
  await page.locator('plan-view').evaluate(
    (target, { name, text, release }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: name.endsWith('.json') ? 'application/json' : 'text/plain' }));
      target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
      if (release) target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
    },
    { name, text, release },
  );
}

test('an edit reaches the address without new history entries, and a reload keeps it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  expect(page.url()).not.toContain('#scenario=');
  const entries = await page.evaluate(() => history.length);
  await page.getByLabel('budget, exact').fill('256 KiB');
  await expect(page.getByTestId('plan-chunks')).toHaveText('95 chunks of 212 runs');
  await expect.poll(() => page.url()).toContain('#scenario=');
  const afterBudget = page.url();
  await page.getByLabel('runs', { exact: true }).fill('3000');
  await expect(page.getByTestId('plan-chunks')).toHaveText('15 chunks of 212 runs');
  await expect.poll(() => page.url()).not.toBe(afterBudget);
  // replaceState, not pushState: Back leaves the app instead of stepping through keystrokes.
  expect(await page.evaluate(() => history.length)).toBe(entries);

  await page.reload();
  await expect(page.getByLabel('runs', { exact: true })).toHaveValue('3000');
  await expect(page.getByTestId('plan-chunks')).toHaveText('15 chunks of 212 runs');
  await expect(page.getByTestId('plan-final-chunk')).toHaveText('32 runs (dangling)');
  await expect(page.getByTestId('scenario-name')).toHaveText('Lorenz batch');
});

test('an invalid edit leaves the last valid scenario in the address, and says so', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('runs', { exact: true }).fill('3000');
  await expect.poll(() => page.url()).toContain('#scenario=');
  const valid = page.url();
  await page.getByLabel('runs', { exact: true }).fill('0');
  await expect(page.getByTestId('address-stale')).toContainText('keeps the last valid scenario');
  expect(page.url()).toBe(valid);
  await page.screenshot({ path: 'screenshots/address-stale-1280.png' });

  await page.reload();
  await expect(page.getByLabel('runs', { exact: true })).toHaveValue('3000');
  await expect(page.getByTestId('address-stale')).toHaveCount(0);
});

test('a preset chosen is carried by the address', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('Preset', { exact: true }).selectOption('two-buffer-sets');
  await expect(page.getByTestId('plan-chunks')).toHaveText('6 chunks of 3,415 runs');
  await expect.poll(() => page.url()).toContain('#scenario=');
  await page.reload();
  await expect(page.getByTestId('notice')).toHaveText('Scenario loaded from the link.');
  await expect(page.getByTestId('plan-chunks')).toHaveText('6 chunks of 3,415 runs');
});

test('Copy link copies an address that shows the same plan in a new page', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('runs', { exact: true }).fill('105');
  await page.getByLabel('budget, exact').fill('256 KiB');
  await expect(page.getByTestId('plan-chunks')).toHaveText('1 chunk of 105 runs');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('notice')).toHaveText('Link copied: it replays this exact scenario.');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#scenario=');
  expect(link).toBe(page.url());

  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('notice')).toHaveText('Scenario loaded from the link.');
  await expect(other.getByLabel('runs', { exact: true })).toHaveValue('105');
  await expect(other.getByTestId('plan-chunks')).toHaveText('1 chunk of 105 runs');
  await expect(other.getByTestId('plan-bound-by')).toHaveText(await page.getByTestId('plan-bound-by').innerText());
});

test('a damaged link says why and leaves the default scenario', async ({ page }) => {
  await page.goto('/#scenario=not-a-scenario');
  await expect(page.getByTestId('load-problem')).toContainText("The link was not loaded: this link");
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
});

test('a scenario file opens from the picker, is planned, and the address follows', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('Open JSON…').setInputFiles(examplePath('dangling-final-chunk.json'));
  await expect(page.getByTestId('notice')).toHaveText('Opened dangling-final-chunk.json.');
  await expect(page.getByTestId('plan-chunks')).toHaveText('5 chunks of 25 runs');
  await expect(page.getByTestId('plan-final-chunk')).toHaveText('5 runs (dangling)');
  await expect.poll(() => page.url()).toContain('#scenario=');
  await page.reload();
  await expect(page.getByTestId('plan-chunks')).toHaveText('5 chunks of 25 runs');
});

test('Download JSON saves the edited scenario; opened in a fresh page it gives the same plan and address', async ({ page, context }) => {
  await page.goto('/');
  await page.getByLabel('budget, exact').fill('3 MiB');
  await expect(page.getByTestId('plan-chunks')).toHaveText('8 chunks of 2,560 runs');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
  expect(download.suggestedFilename()).toBe('lorenz-batch.json');
  await expect(page.getByTestId('notice')).toContainText('Saved as lorenz-batch.json');
  const path = await download.path();
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  expect(saved.device.budgetBytes).toBe(3 * 1024 * 1024);
  await expect.poll(() => page.url()).toContain('#scenario=');
  const address = new URL(page.url()).hash;

  const fresh = await context.newPage();
  await fresh.goto('/');
  await expect(fresh.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await fresh.getByLabel('Open JSON…').setInputFiles(path);
  await expect(fresh.getByTestId('plan-chunks')).toHaveText('8 chunks of 2,560 runs');
  await expect(fresh.getByTestId('plan-final-chunk')).toHaveText(await page.getByTestId('plan-final-chunk').innerText());
  await expect.poll(() => new URL(fresh.url()).hash).toBe(address);
});

test.describe('dropping a file anywhere on the app', () => {
  for (const width of [1280, 390]) {
    test(`a scenario file dropped opens like the picker (${width} px)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await page.goto('/');
      await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
      const text = readFileSync(examplePath('dangling-final-chunk.json'), 'utf8');
      await dropFile(page, 'dangling-final-chunk.json', text, { release: false });
      await expect(page.getByTestId('drop-target')).toBeVisible();
      await page.screenshot({ path: `screenshots/drop-target-${width}.png` });
      await dropFile(page, 'dangling-final-chunk.json', text);
      await expect(page.getByTestId('drop-target')).toHaveCount(0);
      await expect(page.getByTestId('notice')).toHaveText('Opened dangling-final-chunk.json.');
      await expect(page.getByTestId('plan-chunks')).toHaveText('5 chunks of 25 runs');
    });
  }

  test('an invalid scenario dropped reaches the editor with its validation messages', async ({ page }) => {
    await page.goto('/');
    await dropFile(page, 'invalid-scenario.json', readFileSync(examplePath('invalid-scenario.json'), 'utf8'));
    await expect(page.getByTestId('notice')).toHaveText('Opened invalid-scenario.json.');
    await expect(page.getByTestId('plan-error-code')).toHaveText('INVALID_SCENARIO');
    // Each problem stands beside its field, and Run waits until they are fixed.
    const editor = page.locator('scenario-editor');
    await expect(editor.locator('.issue', { hasText: 'holds "runs" 2 times; an array has at most one chunk axis' })).toHaveCount(1);
    await expect(editor.locator('.issue', { hasText: 'must be one of f16, f32, i32, u32, f64' })).toHaveCount(1);
    await expect(editor.locator('.issue', { hasText: 'must be a positive integer or "runs"' })).toHaveCount(1);
    await expect(page.getByTestId('run-button')).toBeDisabled();
  });

  for (const { what, name, text, says } of [
    { what: 'a file that is not JSON', name: 'notes.txt', text: 'state: 200 MiB', says: 'notes.txt is not JSON' },
    { what: 'foreign JSON', name: 'package.json', text: '{"name":"x","dependencies":{}}', says: 'package.json is JSON, but neither a chunkscope scenario' },
    // A trace goes to the replay (test/e2e/trace-replay.spec.ts); one without a scenario is refused in the trace reader's words.
    { what: 'a trace file without its scenario', name: 'run.trace.json', text: '{"format":"chunkscope-trace","version":1,"events":[]}', says: "run.trace.json cannot be replayed: the trace's scenario is not valid: scenario: must be a JSON object" },
  ]) {
    test(`${what} says what it is and keeps the scenario`, async ({ page }) => {
      await page.goto('/');
      await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
      await dropFile(page, name, text);
      await expect(page.getByTestId('load-problem')).toContainText(says);
      await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
    });
  }
});
