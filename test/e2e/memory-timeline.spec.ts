// The memory timeline: drawn (the canvas and its marks) while the run goes on, reserved bytes above allocated under the caching allocator, stacked by array or usage class (keyboard too), the limits placed or named; screenshots at both widths.
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import lzString from 'lz-string';
import caching from '../../examples/caching-fragmentation.json' with { type: 'json' };
import { formatBytes } from '../../src/core/units.ts';
import { expectNoSidewaysScroll } from './layout.ts';
import { kRunEnds } from './timeouts.ts';

const kWidths = [
  { name: '1280', width: 1280, height: 800 },
  { name: '390', width: 390, height: 844 },
] as const;

/** 256 KiB cuts the default batch into 95 chunks: a run of a few seconds, long enough to watch. */
async function manyChunks(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('budget, exact').fill('256 KiB');
  await expect(page.getByTestId('plan-chunks')).toContainText('95 chunks of');
}

test('the timeline grows while the run goes on, then shows the whole run', async ({ page }) => {
  await manyChunks(page);
  // Sample the live chart every frame: how many chunk bands it drew while the run was still going.
  // (Its memory line is flat mid-run: every buffer, staging included, is made before the first chunk.)
  await page.evaluate(() => {
    const w = window as unknown as { liveSamples: number[] };
    w.liveSamples = [];
    const root = document.querySelector('chunkscope-app')!.shadowRoot!;
    const sample = () => {
      const timeline = root.querySelector('memory-timeline[live]');
      const svg = timeline?.shadowRoot?.querySelector('[data-testid="timeline-svg"]');
      if (svg && root.querySelector('run-bar')?.shadowRoot?.querySelector('[data-testid="run-progress"]')) w.liveSamples.push(Number(svg.getAttribute('data-events')));
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  await page.getByTestId('run-button').click();
  const live = page.locator('memory-timeline[live]');
  await expect(live.getByTestId('timeline-live')).toHaveText('live');
  await expect(live.getByTestId('timeline-peak')).toHaveCount(1);
  await expect(live.getByTestId('timeline-budget')).toHaveCount(1);
  // A keyboard user steps through the live chart; the run ending must not take the focus away.
  await live.getByTestId('timeline-svg').focus();
  await page.keyboard.press('ArrowRight');
  await expect(live.getByTestId('timeline-svg')).toHaveAttribute('aria-valuenow', '1');
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  const focused = await page.evaluate(() => {
    const app = document.activeElement;
    const timeline = app?.shadowRoot?.activeElement;
    return [app?.localName, timeline?.localName, timeline?.shadowRoot?.activeElement?.getAttribute('data-testid')];
  });
  expect(focused).toEqual(['chunkscope-app', 'memory-timeline', 'timeline-svg']);
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('memory-timeline').getByTestId('timeline-svg')).toHaveAttribute('aria-valuenow', '2');
  // A slider also steps with Up and Down, as screen readers' increment and decrement send them.
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('memory-timeline').getByTestId('timeline-svg')).toHaveAttribute('aria-valuenow', '1');

  const samples = await page.evaluate(() => (window as unknown as { liveSamples: number[] }).liveSamples);
  const distinct = [...new Set(samples)];
  console.log(`live timeline event counts drawn mid-run: ${distinct.join(', ')}`);
  // Several different drawings while the run was in flight: it grew, it was not drawn once at the end.
  expect(distinct.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);

  const done = page.locator('memory-timeline');
  await expect(done).toHaveCount(1);
  await expect(done.getByTestId('timeline-live')).toHaveCount(0);
  // 95 chunks, one band each; the peak equals the report's measured peak.
  await expect(done.getByTestId('timeline-band')).toHaveCount(95);
  const measured = (await page.locator('run-report').getByTestId('run-measured-peak').textContent())!;
  const peakTitle = (await done.getByTestId('timeline-peak').locator('title').textContent())!;
  expect(peakTitle).toContain(`peak ${measured.split(' (')[0]}`);
  // The peak names the buffer that set it, as the report does; staging has a line of its own.
  const setBy = (await page.locator('run-report').getByTestId('run-peak-set-by').textContent())!;
  expect(setBy.length).toBeGreaterThan(0);
  expect(peakTitle).toContain(`set by ${setBy.split(' (')[0]}`);
  await expect(done.getByTestId('timeline-legend')).toContainText('staging bytes (host-visible)');
  expect(Number(await done.getByTestId('timeline-canvas').getAttribute('data-staging-peak'))).toBeGreaterThan(0);
  // Hover: the pointer over the chart's middle names the allocation drawn there (or, above the stack, the event at that instant).
  const readout = done.getByTestId('timeline-readout');
  const fromKeyboard = (await readout.textContent())!;
  await done.getByTestId('timeline-svg').scrollIntoViewIfNeeded();
  const box = (await done.getByTestId('timeline-svg').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(readout).not.toHaveText(fromKeyboard);
  await expect(readout).toContainText(/^[\d.]+ (ms|s): .* device.*, .* staging(, (in chunk \d+|outside any chunk) — under the pointer: .+ event #[\d,]+ in the log| — (alloc|free) .+)$/);
  // Before the worker answers, the readout already says what the page holds of that pixel
  // column: the move is read in the update it causes, before any message from the worker
  // (a task) can arrive. The answer then names the allocation.
  const firstWords = await page.evaluate(async () => {
    const timeline = document.querySelector('chunkscope-app')!.shadowRoot!.querySelector('memory-timeline')! as HTMLElement & { updateComplete: Promise<boolean> };
    const svg = timeline.shadowRoot!.querySelector('[data-testid="timeline-svg"]')!;
    const r = svg.getBoundingClientRect();
    svg.dispatchEvent(new PointerEvent('pointermove', { clientX: r.x + r.width * 0.3, clientY: r.y + r.height / 2, bubbles: true, composed: true }));
    await timeline.updateComplete;
    return timeline.shadowRoot!.querySelector('[data-testid="timeline-readout"]')!.textContent;
  });
  expect(firstWords).toMatch(/^[\d.]+ (ms|s): .+ device, .+ staging in this pixel column(, in chunk \d+)?; looking up the allocation under the pointer…$/);
  await expect(readout).not.toContainText('looking up');
  await expect(readout).toContainText(/ — (under the pointer: |alloc |free )/);
});

test('the stack switches between arrays and usage classes, by keyboard too, and the readout names the layers', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  const timeline = page.locator('memory-timeline');
  const layers = timeline.getByTestId('timeline-layer');
  // Every array of the plan, in the plan's order, then nothing else.
  const planned = await page.locator('plan-view').getByTestId('plan-arrays').locator('tbody tr td:first-child strong').allTextContents();
  const drawn = await layers.evaluateAll((paths) => paths.map((p) => p.getAttribute('data-layer')));
  expect(planned.length).toBeGreaterThan(1);
  expect(drawn).toEqual(planned);

  await timeline.getByLabel('array', { exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(timeline.getByLabel('usage class')).toBeChecked();
  await expect(layers).toHaveCount(1);
  await expect(layers).toHaveAttribute('data-layer', 'storage');

  await page.keyboard.press('ArrowLeft');
  await expect(timeline.getByLabel('array', { exact: true })).toBeChecked();
  await timeline.getByTestId('timeline-svg').focus();
  await page.keyboard.press('End');
  await expect(timeline.getByTestId('timeline-readout')).toContainText('free');
  await page.keyboard.press('PageUp');
  await expect(timeline.getByTestId('timeline-readout')).toContainText(' device');

  // The default limits are far above a 1 MiB budget: named, not drawn off the chart.
  await expect(timeline.getByTestId('timeline-limit')).toHaveCount(0);
  await expect(timeline.getByTestId('timeline-limits-off-scale')).toHaveText('off the scale: maxBufferSize 256 MiB, maxStorageBufferBindingSize 128 MiB (per buffer)');
});

test('a limit under the budget is drawn as a line on the chart', async ({ page }) => {
  await page.goto('/');
  // The per-buffer binding limit lowered under the budget: a reference line where it falls.
  await page.getByLabel('maxStorageBufferBindingSize', { exact: true }).fill('512 KiB');
  await expect(page.getByTestId('plan-bound-by')).toHaveText(/budget|maxStorageBufferBindingSize/);
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  const timeline = page.locator('memory-timeline');
  await expect(timeline.getByTestId('timeline-limit')).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-limit')).toHaveAttribute('data-limit', 'maxStorageBufferBindingSize');
  await expect(timeline.getByTestId('timeline-limits-off-scale')).toHaveText('off the scale: maxBufferSize 256 MiB (per buffer)');
});

/** `chunkscope run FILE --json` as a user runs it (a run that recovered exits non-zero but still reports). */
function cliRun(file: string): any {
  try {
    return JSON.parse(execFileSync(process.execPath, ['bin/chunkscope.js', 'run', file, '--json'], { encoding: 'utf8' }));
  } catch (error) {
    return JSON.parse((error as { stdout: string }).stdout);
  }
}

test('a caching-allocator run draws reserved bytes above the allocated ones: legend, peak, and the readout at the failure', async ({ page }) => {
  const cli = cliRun('examples/caching-fragmentation.json');
  const reservedPeak: number = cli.allocator.reservedPeak.measuredBytes;
  const failure: { allocatedBytes: number; reservedBytes: number } = cli.allocator.failure;
  expect(failure.reservedBytes).toBeGreaterThan(failure.allocatedBytes);
  await page.goto(`/#scenario=${lzString.compressToEncodedURIComponent(JSON.stringify(caching))}`);
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  const timeline = page.locator('[data-testid="run-results"] memory-timeline');
  await timeline.getByTestId('timeline-svg').scrollIntoViewIfNeeded();
  await expect(timeline.getByTestId('timeline-legend-reserved')).toContainText(`reserved peak ${formatBytes(reservedPeak)}`);
  await expect(timeline.getByTestId('timeline-reserved-peak')).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-canvas')).toHaveAttribute('data-reserved-peak', String(reservedPeak));
  // Just before the request that failed: fewer bytes allocated than reserved, as the out-of-memory message says.
  const request = timeline.locator('[data-testid="timeline-marker"][data-kind="oom"]').last();
  const box = (await request.boundingBox())!;
  await page.mouse.move(box.x - 1, box.y + box.height * 0.9);
  const readout = timeline.getByTestId('timeline-readout');
  await expect(readout).toContainText(`${formatBytes(failure.reservedBytes)} reserved`);
  await expect(readout).toHaveText(new RegExp(`^[\\d.]+ ms: ${formatBytes(failure.allocatedBytes).replace('.', '\\.')} device`));
  await timeline.screenshot({ path: 'screenshots/timeline-reserved-1280.png' });
});

test('a run without segments draws no reserved line', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  const timeline = page.locator('[data-testid="run-results"] memory-timeline');
  await expect(timeline.getByTestId('timeline-peak')).toHaveCount(1);
  await expect(timeline.getByTestId('timeline-legend-reserved')).toHaveCount(0);
  await expect(timeline.getByTestId('timeline-reserved-peak')).toHaveCount(0);
  await expect(timeline.getByTestId('timeline-canvas')).not.toHaveAttribute('data-reserved-peak', /./);
});

for (const { name, width, height } of kWidths) {
  test(`timeline screenshots at ${name} px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await page.getByLabel('Preset', { exact: true }).selectOption('oom-third-allocation');
    await page.getByTestId('run-button').click();
    await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
    const timeline = page.locator('memory-timeline');
    await timeline.getByTestId('timeline-svg').focus();
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    await timeline.screenshot({ path: `screenshots/timeline-by-array-${name}.png` });
    await timeline.getByLabel('usage class').check();
    await timeline.screenshot({ path: `screenshots/timeline-by-usage-${name}.png` });
    await expectNoSidewaysScroll(page);
  });
}
