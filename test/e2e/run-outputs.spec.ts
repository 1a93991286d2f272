// "Download finished runs": the emergency-stop soak keeps its results and offers them as a zip (read back: the manifest's verified runs, y.npy's header and shape), by keyboard, marked stale once the scenario changes; a run whose ladder gives up offers its finished prefix; the worker zips anew for each download and a new run replaces the files; nothing kept (over the cap, no run finished) is a disabled button with its reason. Screenshots at 1280 and 390 px (screenshots/, gitignored).
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { parseScenario } from '../../src/core/scenario.ts';
import { outputsRefusal } from '../../src/worker/outputs-store.ts';
import { expectNoSidewaysScroll } from './layout.ts';
import { kRunEnds } from './timeouts.ts';

/** The files of a downloaded zip, by name. */
async function unzipped(download: Download): Promise<Record<string, Uint8Array>> {
  return unzipSync(readFileSync((await download.path())!));
}

/** The header dict of a .npy file, as text: `{'descr': '<f4', 'fortran_order': False, 'shape': (1000,), }`. */
function npyHeader(bytes: Uint8Array): string {
  expect([...bytes.subarray(0, 8)]).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const length = bytes[8] | (bytes[9] << 8);
  // The data starts on a 64-byte boundary.
  expect((10 + length) % 64).toBe(0);
  return new TextDecoder().decode(bytes.subarray(10, 10 + length)).trim();
}

/** Presses the download button from the keyboard and returns the file. */
async function downloadByKeyboard(page: Page, button: Locator): Promise<Download> {
  await button.focus();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  return download;
}

test('the emergency-stop preset keeps its results and offers them for download', async ({ page }) => {
  await page.goto('/');
  const soakSection = page.getByTestId('soak-section');
  const button = soakSection.getByTestId('download-outputs');
  await expect(button).toBeDisabled();
  await expect(soakSection.getByTestId('outputs-what')).toHaveText('Nothing to download yet: soak the scenario first.');
  await page.getByLabel('Preset', { exact: true }).selectOption('emergency-stop');
  await soakSection.getByTestId('soak-button').click();
  await expect(soakSection.getByTestId('soak-verdict')).toContainText('stopped:', kRunEnds);
  await expect(button).toBeEnabled();
  await expect(soakSection.getByTestId('outputs-what')).toContainText(/^The last cycle: [\d,]+ of 1,000 runs finished.*, each verified as it landed: passed\. 1 \.npy file and manifest\.json, /);

  const download = await downloadByKeyboard(page, button);
  expect(download.suggestedFilename()).toMatch(/^emergency-stop-.+-outputs\.zip$/);
  await expect(soakSection.getByTestId('outputs-saved')).toContainText(`Saved ${download.suggestedFilename()}`);
  const files = await unzipped(download);
  expect(Object.keys(files).sort()).toEqual(['manifest.json', 'y.npy']);
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
  expect(manifest).toMatchObject({ format: 'chunkscope-outputs', runs: 1000, verified: { passed: true } });
  const finished: number = manifest.runsFinished;
  expect(finished).toBeGreaterThan(0);
  expect(manifest.verified.twin.runs.ranges).toEqual([[0, finished]]);
  expect(manifest.arrays).toEqual([{ name: 'y', file: 'y.npy', dtype: 'f32', descr: '<f4', shape: [finished] }]);
  const header = npyHeader(files['y.npy']);
  expect(header).toBe(`{'descr': '<f4', 'fortran_order': False, 'shape': (${finished},), }`);
  // After the header, one f32 per finished run.
  expect(files['y.npy'].byteLength - (files['y.npy'][8] | (files['y.npy'][9] << 8)) - 10).toBe(finished * 4);

  for (const { name, width, height } of [{ name: '1280', width: 1280, height: 800 }, { name: '390', width: 390, height: 844 }]) {
    await page.setViewportSize({ width, height });
    await expectNoSidewaysScroll(page);
    await soakSection.scrollIntoViewIfNeeded();
    await soakSection.screenshot({ path: `screenshots/soak-outputs-${name}.png` });
  }

  // Another scenario: the soak's files stay downloadable, marked as the earlier scenario's.
  await page.getByLabel('Preset', { exact: true }).selectOption('clean-soak');
  await expect(soakSection.getByTestId('outputs-stale')).toContainText('From an earlier scenario: these are the finished runs of “Emergency stop');
  await expect(button).toBeEnabled();
  await soakSection.getByTestId('outputs-stale').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/soak-outputs-stale-390.png' });
});

/** Each chunk allocates its own buffers; the 13th allocation (in chunk 2 of 4) fails and the ladder is empty. */
const kGivesUp = {
  version: 1,
  name: 'Lorenz batch out of memory in chunk 2, no ladder',
  runs: 3000,
  arrays: [
    { name: 'initial_values', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
    { name: 'parameters', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
    { name: 'driver_coefficients', role: 'input', dtype: 'f32', shape: [64, 4] },
    { name: 'state', role: 'output', dtype: 'f32', shape: [20, 3, 'runs'] },
    { name: 'status', role: 'output', dtype: 'u32', shape: ['runs'] },
  ],
  device: { budgetBytes: 262144 },
  planner: { reuseBuffers: false },
  kernel: { name: 'lorenz-rk4', steps: 100, dt: 0.05, saveEvery: 5 },
  faults: [{ kind: 'out-of-memory', onAllocation: 13 }],
  recovery: { ladder: [], maxAttempts: 1 },
  seed: 5,
};

test('a run whose ladder gives up offers its finished prefix', async ({ page }) => {
  await page.goto('/');
  const results = page.getByTestId('run-results');
  const button = results.getByTestId('download-outputs');
  await expect(button).toBeDisabled();
  await expect(results.getByTestId('outputs-what')).toHaveText('Nothing to download yet: run the scenario first.');
  await page.getByLabel('Open JSON…').setInputFiles({ name: 'gives-up.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(kGivesUp)) });
  await expect(page.getByTestId('scenario-name')).toHaveText(kGivesUp.name);
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('stopped: recovery ladder exhausted', kRunEnds);
  // The run bar says it in the same words as the report, not the status's code.
  await expect(page.getByTestId('last-run')).toContainText('Last run stopped: recovery ladder exhausted');
  await expect(results.getByTestId('outputs-what')).toHaveText(/^1,948 of 3,000 runs finished \(the recovery ladder gave up\), each verified as it landed: passed\. 2 \.npy files and manifest\.json, .+, as chunkscope run --outputs writes them\.$/);

  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe('lorenz-batch-out-of-memory-in-chunk-2-no-ladder-outputs.zip');
  const files = await unzipped(download);
  const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json']));
  expect(manifest).toMatchObject({ status: 'ladder-exhausted', runs: 3000, runsFinished: 1948, verified: { passed: true, twin: { runs: { ranges: [[0, 1948]] } } } });
  expect(npyHeader(files['state.npy'])).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (20, 3, 1948), }");
  expect(npyHeader(files['status.npy'])).toBe("{'descr': '<u4', 'fortran_order': False, 'shape': (1948,), }");

  for (const { name, width, height } of [{ name: '1280', width: 1280, height: 800 }, { name: '390', width: 390, height: 844 }]) {
    await page.setViewportSize({ width, height });
    await expectNoSidewaysScroll(page);
    await button.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `screenshots/run-outputs-${name}.png` });
  }

  // The run's trace, opened as a replay, carries no outputs: the button says so; the next Run brings the run's back.
  const [trace] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trace').click()]);
  await page.getByTestId('open-trace').setInputFiles({ name: 'gives-up.trace.json', mimeType: 'application/json', buffer: readFileSync((await trace.path())!) });
  await expect(page.getByTestId('replay-banner')).toBeVisible();
  await expect(button).toBeDisabled();
  await expect(results.getByTestId('outputs-what')).toHaveText('A replayed trace holds no outputs: only a run here keeps its finished runs.');

  // An edit makes the results stale; the download stays, marked so.
  await page.getByTestId('run-button').click();
  await expect(button).toBeEnabled(kRunEnds);
  await page.getByLabel('Preset', { exact: true }).selectOption('lorenz-batch');
  await expect(results.getByTestId('outputs-stale')).toBeVisible();
  await expect(button).toBeEnabled();
});

test('the worker zips the kept files anew for each download (the zip is moved out, the files stay), and a new run replaces them', async ({ page }) => {
  await page.goto('/');
  const result = await page.evaluate(async ({ path, scenario }) => {
    const { SimulatorClient } = await import(/* @vite-ignore */ path);
    const client = new SimulatorClient();
    try {
      const first = await client.run(scenario, () => {});
      const id = first.ok && first.outputs?.kept ? first.outputs.id : -1;
      const a: Uint8Array | undefined = await client.outputsZip(id);
      const b: Uint8Array | undefined = await client.outputsZip(id);
      await client.run(scenario, () => {});
      const replaced = await client.outputsZip(id);
      const same = !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);
      return { offer: first.ok && first.outputs, same, b: b && Array.from(b), replaced: replaced === undefined };
    } finally {
      client.dispose();
    }
  }, { path: '/src/worker/simulator-client.ts', scenario: kGivesUp });
  expect(result.offer).toMatchObject({ kept: true, status: 'ladder-exhausted', runs: 3000, runsFinished: 1948, verified: 'passed' });
  expect(result.same).toBe(true);
  const files = unzipSync(Uint8Array.from(result.b!));
  expect(Object.keys(files).sort()).toEqual(['manifest.json', 'state.npy', 'status.npy']);
  // 20 × 3 f32 and one u32 per finished run, after the headers.
  expect(files['state.npy'].byteLength + files['status.npy'].byteLength).toBeGreaterThan(1948 * 61 * 4);
  expect(result.replaced).toBe(true);
});

test('nothing kept is a disabled button with the reason: outputs over the cap, and a run with no run finished', async ({ page }) => {
  await page.goto('/');
  const overCap = { ...kGivesUp, runs: 600_000 };
  const parsed = parseScenario(overCap);
  if (!parsed.ok) throw new Error(parsed.issues[0].message);
  const reason = outputsRefusal(parsed.scenario);
  expect(reason).toMatch(/^This run's outputs take 140 MiB, over the 128 MiB the page keeps for download/);
  const offers = [
    { offer: { kept: false, reason }, says: reason! },
    { offer: { kept: true, id: 1, status: 'cancelled', runs: 3000, runsFinished: 0, verified: 'not verified', files: [] }, says: 'Nothing to download: no run finished (stopped early).' },
  ];
  for (const { offer, says } of offers) {
    await page.evaluate((offer) => {
      document.querySelector('#probe')?.remove();
      const element = Object.assign(document.createElement('outputs-download'), { id: 'probe', offer });
      document.body.append(element);
    }, offer);
    const probe = page.locator('#probe');
    await expect(probe.getByTestId('outputs-what')).toHaveText(says);
    await expect(probe.getByTestId('download-outputs')).toBeDisabled();
    // Still in the tab order, so a keyboard user reaches it and hears why it does nothing.
    await probe.getByTestId('download-outputs').focus();
    await expect(probe.getByTestId('download-outputs')).toBeFocused();
    await expect(probe.getByTestId('download-outputs')).toHaveAccessibleDescription(says);
    // Enter on it does nothing: no zip is asked for, nothing is said.
    await page.keyboard.press('Enter');
    await expect(probe.getByTestId('download-outputs')).toHaveText('Download finished runs');
    await expect(probe.getByTestId('outputs-saved')).toHaveText('');
  }
});
