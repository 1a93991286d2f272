// A PyTorch snapshot in the app: opened by file input or drop, its peaks and top frame shown with its timeline and log; replayed on the browser's WebGPU under a budget with the figures `chunkscope replay-snapshot --json` prints; a malformed one lists its problems by path; the editor's allocator model turns the fragmentation example's failure on and off.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBytesExact, formatCount } from '../../src/core/units.ts';
import { kRepoRoot, runCli } from '../cli/cli-process.ts';
import { unlabelledControls } from './control-audit.ts';
import { expectNoSidewaysScroll } from './layout.ts';
import { kRunEnds } from './timeouts.ts';

const kSnapshot = join(kRepoRoot, 'examples/pytorch/snapshot-oom.json');
const kFragmentation = join(kRepoRoot, 'examples/caching-fragmentation.json');
const MiB = 2 ** 20;

/** Console errors and uncaught page errors: the app must log none. */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function openApp(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('run-button')).toBeEnabled();
}

/** What `chunkscope replay-snapshot --json` says for the example under `budget` and `model`. */
async function cliReplay(budget: number, model: string) {
  const cli = await runCli(['replay-snapshot', kSnapshot, '--budget', String(budget), '--model', model, '--json']);
  expect([0, 7]).toContain(cli.code);
  return JSON.parse(cli.stdout);
}

async function replayInPage(page: Page, budget: number, model: string) {
  const panel = page.locator('snapshot-panel');
  await panel.getByTestId('replay-budget').fill(String(budget));
  await panel.getByTestId('replay-model').selectOption(model);
  await panel.getByTestId('replay-button').click();
  const result = panel.getByTestId('replay-result');
  await expect(result).toContainText(`under ${formatBytesExact(budget)}, ${model} allocator`, kRunEnds);
  return result;
}

test('a snapshot opened by file input shows its peaks, the top frame, the timeline and the log; replays match the CLI', async ({ page }) => {
  const errors = watchConsole(page);
  await openApp(page);
  await page.getByTestId('open-json').setInputFiles(kSnapshot);
  await expect(page.getByTestId('notice')).toContainText('Opened snapshot-oom.json as a PyTorch snapshot (device 0, 11 trace entries)');
  const panel = page.locator('snapshot-panel');
  // The hand count of the fixture (test/cli/snapshot-commands.test.ts): 10 MiB allocated at entry 3's 5 MiB, 12 MiB reserved, an OOM at entry 10.
  await expect(panel.getByTestId('snapshot-allocated-peak')).toHaveText(`${formatBytesExact(10 * MiB)} at 0.450 ms`);
  await expect(panel.getByTestId('snapshot-peak-set-by')).toHaveText(`entry 3: ${formatBytesExact(5 * MiB)} at 0x7f3a02000000`);
  await expect(panel.getByTestId('snapshot-peak-frames').locator('li').first()).toHaveText('attention (model.py:57)');
  await expect(panel.getByTestId('snapshot-reserved-peak')).toHaveText(formatBytesExact(12 * MiB));
  await expect(panel.getByTestId('snapshot-oom')).toContainText(`at entry 10`);
  await expect(panel.getByTestId('snapshot-oom')).toContainText(`${formatBytesExact(5 * MiB)} reserved but free`);
  const timeline = page.getByTestId('snapshot-timeline');
  await expect(timeline.getByTestId('timeline-peak')).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-peak')).toContainText('10 MiB');
  // Reserved above allocated, from the snapshot's segment events, as for a caching run.
  await expect(timeline.getByTestId('timeline-legend-reserved')).toContainText('reserved peak 12 MiB');
  await expect(timeline.getByTestId('timeline-canvas')).toHaveAttribute('data-reserved-peak', String(12 * MiB));
  const log = page.locator('event-log');
  await expect(log).toHaveCount(1);
  await panel.getByTestId('snapshot-show-peak').click();
  await expect(log.locator('[data-testid="event-row"].highlight')).toContainText('attention (model.py:57)');

  // One byte under the allocated peak fails exactly where it was set (exact), 12 MiB fails where PyTorch did (caching), 10 MiB fits (exact).
  for (const { budget, model } of [
    { budget: 10 * MiB - 1, model: 'exact' },
    { budget: 12 * MiB, model: 'caching' },
    { budget: 10 * MiB, model: 'exact' },
    { budget: 16 * MiB, model: 'caching' },
  ]) {
    const cli = await cliReplay(budget, model);
    const result = await replayInPage(page, budget, model);
    await expect(result).toHaveAttribute('data-fits', cli.failure ? 'no' : 'yes');
    await expect(result.getByTestId('replay-head')).toContainText(`${formatCount(cli.requestsDone)} of ${formatCount(cli.requests)} requests`);
    await expect(result.getByTestId('replay-live-after')).toHaveText(String(cli.liveBuffersAfter));
    if (cli.failure) {
      const f = cli.failure;
      await expect(result.getByTestId('replay-verdict')).toContainText(`request ${f.request} (entry ${f.entry}, ${formatBytesExact(f.bytes)}) fails${f.failedInSnapshot ? ', as it did in the snapshot' : ''}`);
      await expect(result.getByTestId('replay-message')).toHaveText(f.message);
      await expect(result.getByTestId('replay-allocated')).toHaveText(formatBytesExact(f.stats.allocatedBytes));
      await expect(result.getByTestId('replay-reserved')).toHaveText(formatBytesExact(f.stats.reservedBytes));
      await expect(result.getByTestId('replay-reserved-free')).toHaveText(formatBytesExact(f.stats.reservedFreeBytes));
      await expect(result.getByTestId('replay-largest-free')).toHaveText(formatBytesExact(f.stats.largestFreeBytes));
      await expect(result.getByTestId('replay-fragmentation')).toContainText(f.stats.fragmentation.toFixed(2));
      if (model === 'caching') await expect(result.getByTestId('replay-expandable')).toContainText(formatBytesExact(f.expandableBytes));
    } else {
      await expect(result.getByTestId('replay-verdict')).toHaveText(`Fits: allocated peak ${formatBytesExact(cli.allocatedPeakBytes)}, reserved peak ${formatBytesExact(cli.reservedPeakBytes)}.`);
    }
    if (model === 'caching') await expect(result.getByTestId('replay-expandable-peak')).toContainText(formatBytesExact(cli.expandablePeakBytes));
  }
  expect(await unlabelledControls(page)).toEqual([]);

  // The caching failure on 12 MiB, where PyTorch failed, is what the screenshots show.
  await replayInPage(page, 12 * MiB, 'caching');
  for (const { name, width, height } of [{ name: '1280', width: 1280, height: 800 }, { name: '390', width: 390, height: 844 }]) {
    await page.setViewportSize({ width, height });
    await expectNoSidewaysScroll(page);
    // The results column scrolls on its own at 1280: the panel's top, then its timeline, each in view; at 390 the page is one column.
    if (width > 900) {
      await page.locator('snapshot-panel').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `screenshots/snapshot-${name}.png` });
      await page.getByTestId('snapshot-timeline').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `screenshots/snapshot-timeline-${name}.png` });
      await page.locator('event-log').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: `screenshots/snapshot-log-${name}.png` });
    } else {
      await page.getByTestId('snapshot-results').screenshot({ path: `screenshots/snapshot-${name}.png` });
    }
  }
  expect(errors).toEqual([]);
});

test('a dropped snapshot opens the same way; a malformed one lists every problem with its path and changes nothing', async ({ page }) => {
  const errors = watchConsole(page);
  await openApp(page);
  const drop = (name: string, text: string) =>
    page.locator('plan-view').evaluate((target, file) => {
      const data = new DataTransfer();
      data.items.add(new File([file.text], file.name, { type: 'application/json' }));
      for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
    }, { name, text });

  await drop('broken.json', JSON.stringify({ segments: [], device_traces: [[{ action: 'alloc', size: 1.5 }, { action: 'free_completed', addr: -1, size: 4 }]] }));
  const issues = page.getByTestId('snapshot-issues');
  await expect(issues).toContainText('broken.json is not a PyTorch memory snapshot');
  await expect(issues).toContainText('device_traces[0][0].size: size must be a whole number below 2^53');
  await expect(issues).toContainText('device_traces[0][0].addr: is required for a "alloc" entry');
  await expect(issues).toContainText('device_traces[0][1].addr');
  await expect(page.getByTestId('snapshot-results')).toHaveCount(0);
  await expect(page.locator('run-report')).toBeVisible();
  for (const { name, width, height } of [{ name: '1280', width: 1280, height: 800 }, { name: '390', width: 390, height: 844 }]) {
    await page.setViewportSize({ width, height });
    await expectNoSidewaysScroll(page);
    await issues.screenshot({ path: `screenshots/snapshot-issues-${name}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  await drop('snapshot-oom.json', readFileSync(kSnapshot, 'utf8'));
  await expect(page.getByTestId('snapshot-issues')).toHaveCount(0);
  await expect(page.locator('snapshot-panel').getByTestId('snapshot-peak-set-by')).toContainText('entry 3');
  // Run takes the snapshot's place, as it takes a replay's.
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  await expect(page.getByTestId('snapshot-results')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the allocator field: the fragmentation example fails under caching and fits when switched to exact', async ({ page }) => {
  const errors = watchConsole(page);
  await openApp(page);
  await page.getByTestId('open-json').setInputFiles(kFragmentation);
  const model = page.getByTestId('allocator-model');
  await expect(model).toHaveValue('caching');
  await expect(page.getByLabel('reuse buffers')).toHaveValue('false');
  await expect(page.getByLabel('round requests to')).toHaveValue('256 B');

  await page.getByTestId('run-button').click();
  const report = page.locator('run-report');
  await expect(report.getByTestId('run-status')).toHaveText('finished', kRunEnds);
  // The first attempt runs out of memory on the dangling final chunk with 3,328 B reserved but free (examples/caching-fragmentation.json); shrink finishes.
  // The refused segments come first; the model's refusal names the figures.
  const oom = report.getByTestId('run-faults').locator('li[data-kind="oom"]', { hasText: 'out of memory (caching allocator)' });
  await expect(oom).toContainText(`tried to allocate ${formatBytesExact(160)}`);
  await expect(oom).toContainText(`${formatBytesExact(4864)} allocated, ${formatBytesExact(8192)} reserved, ${formatBytesExact(3328)} reserved but free`);

  await model.selectOption('exact');
  await expect(page.getByLabel('round requests to')).toHaveCount(0);
  await expect(page.getByTestId('scenario-valid')).toBeVisible();
  await page.getByTestId('run-button').click();
  await expect(report.getByTestId('run-status')).toHaveText('finished', kRunEnds);
  await expect(report.getByTestId('run-faults')).toHaveText('None: the first attempt ran to the end.');

  // Back to caching brings the example's own settings back, not the defaults.
  await model.selectOption('caching');
  await expect(page.getByLabel('round requests to')).toHaveValue('256 B');
  for (const { name, width, height } of [{ name: '1280', width: 1280, height: 800 }, { name: '390', width: 390, height: 844 }]) {
    await page.setViewportSize({ width, height });
    await expectNoSidewaysScroll(page);
    await page.locator('scenario-editor fieldset', { hasText: 'Allocator' }).screenshot({ path: `screenshots/allocator-fields-${name}.png` });
  }
  expect(errors).toEqual([]);
});
