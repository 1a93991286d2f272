// The timeline and event log at scale, on a saved trace of 3 922 chunks: wheel, brush and keys change the window and the readout; hover names the allocation and a click shows it in the log; the log reaches its last event and finds events by search; chunks are numbered once zoomed in; screenshots at 1280 and 390 px.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import lzString from 'lz-string';
import lorenz from '../../examples/lorenz-batch.json' with { type: 'json' };
import { axpyChunks, savedTrace } from '../../bench/trace-fixtures.ts';
import { expectNoSidewaysScroll } from './layout.ts';

let trace: { path: string; events: number };

/** The chunk after which the saved run stalls, as a busy machine makes one stall: its band a sliver of its unit on the chunk axis. */
const kStalled = 1961;

test.beforeAll(async () => {
  // 200 000 runs in chunks of 51: 3 922 chunks, the last one 29 runs, as the batch.
  trace = await savedTrace(axpyChunks(200_000, 51), `chunkscope-e2e-3922-${process.pid}.trace.json`);
  const file = JSON.parse(readFileSync(trace.path, 'utf8')) as { events: { t: number; kind: string; index?: number }[] };
  const landed = file.events.findIndex((e) => e.kind === 'chunk-end' && e.index === kStalled);
  // 50 ms is some three hundred chunks' time on a quiet machine and dozens under load: the next chunk begins long after this one landed.
  for (const e of file.events.slice(landed + 1)) e.t += 50;
  writeFileSync(trace.path, JSON.stringify(file));
});

/** Opens the saved trace and waits until the timeline has drawn all of it. */
async function openTrace(page: Page): Promise<Locator> {
  await page.goto('/');
  await page.getByTestId('open-trace').setInputFiles(trace.path);
  await expect(page.getByTestId('replay-banner')).toBeVisible({ timeout: 30_000 });
  const timeline = page.locator('memory-timeline');
  await expect(timeline.getByTestId('timeline-svg')).toHaveAttribute('data-events', String(trace.events), { timeout: 30_000 });
  await timeline.getByTestId('timeline-svg').scrollIntoViewIfNeeded();
  return timeline;
}

/**
 * Runs the default batch in the browser as it comes (buffers reused across chunks, so
 * every allocation is made before the first chunk) and waits for its timeline.
 */
async function runDefault(page: Page): Promise<Locator> {
  await page.goto(`/#scenario=${lzString.compressToEncodedURIComponent(JSON.stringify(lorenz))}`);
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', { timeout: 60_000 });
  const timeline = page.locator('memory-timeline');
  await timeline.getByTestId('timeline-svg').scrollIntoViewIfNeeded();
  await expect(timeline.getByTestId('timeline-peak')).toHaveCount(1);
  return timeline;
}

/** The window shown, as numbers on the axis. */
async function windowOf(timeline: Locator): Promise<[number, number]> {
  const text = (await timeline.getByTestId('timeline-svg').getAttribute('data-window'))!;
  const [a, b] = text.split(',').map(Number);
  return [a, b];
}

/** A point over the plot at `share` of its width (0 left, 1 right), half way up. */
async function plotPoint(timeline: Locator, share: number): Promise<{ x: number; y: number }> {
  const canvas = (await timeline.getByTestId('timeline-canvas').boundingBox())!;
  return { x: canvas.x + canvas.width * share, y: canvas.y + canvas.height / 2 };
}

test('wheel, brush and keys change the window shown and the readout; reset shows the whole run', async ({ page }) => {
  test.setTimeout(90_000);
  const timeline = await runDefault(page);
  const svg = timeline.getByTestId('timeline-svg');
  const readout = timeline.getByTestId('timeline-readout');
  const [, end] = await windowOf(timeline);
  expect(end).toBeGreaterThan(0);

  // The same spot before and after zooming in about another one reads another allocation.
  const near = await plotPoint(timeline, 0.1);
  await page.mouse.move(near.x, near.y);
  await expect(readout).toContainText('event #');
  const before = (await readout.textContent())!;
  const far = await plotPoint(timeline, 0.9);
  await page.mouse.move(far.x, far.y);
  await page.mouse.wheel(0, -600);
  await expect.poll(async () => (await windowOf(timeline))[1] - (await windowOf(timeline))[0]).toBeLessThan(end * 0.8);
  const [w0, w1] = await windowOf(timeline);
  // Zoomed about the pointer: the window still holds the time under it.
  expect(w0).toBeGreaterThan(0);
  expect(w1).toBeGreaterThan(end * 0.85);
  await page.mouse.move(near.x, near.y);
  await expect(readout).toContainText('event #');
  await expect(readout).not.toHaveText(before);

  // Brushing the overview strip from a fifth to three tenths of it shows that stretch.
  // The results column scrolls on its own: bring the strip under the pointer first.
  await timeline.getByTestId('timeline-overview').scrollIntoViewIfNeeded();
  const strip = (await timeline.getByTestId('timeline-overview').boundingBox())!;
  const canvas = (await timeline.getByTestId('timeline-canvas').boundingBox())!;
  const at = (share: number) => canvas.x + canvas.width * share;
  await page.mouse.move(at(0.2), strip.y + strip.height / 2);
  await page.mouse.down();
  await page.mouse.move(at(0.25), strip.y + strip.height / 2, { steps: 4 });
  await page.mouse.move(at(0.3), strip.y + strip.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await windowOf(timeline))[0] / end).toBeCloseTo(0.2, 1);
  const [b0, b1] = await windowOf(timeline);
  expect(b1 / end).toBeCloseTo(0.3, 1);

  // Keys: + halves the window, Shift+→ pans it later, 0 shows the whole run again.
  await svg.focus();
  await page.keyboard.press('+');
  await expect.poll(async () => { const [a, b] = await windowOf(timeline); return (b - a) / (b1 - b0); }).toBeCloseTo(0.5, 2);
  const [k0] = await windowOf(timeline);
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(async () => (await windowOf(timeline))[0]).toBeGreaterThan(k0);
  await page.keyboard.press('0');
  await expect(svg).toHaveAttribute('data-window', `0,${end}`);

  // The buttons do the same, and Reset is off when there is nothing to reset.
  await timeline.getByTestId('timeline-zoom-in').click();
  await expect.poll(async () => { const [a, b] = await windowOf(timeline); return (b - a) / end; }).toBeCloseTo(0.5, 2);
  await timeline.getByTestId('timeline-reset').click();
  await expect(svg).toHaveAttribute('data-window', `0,${end}`);
  await expect(timeline.getByTestId('timeline-reset')).toBeDisabled();
});

test('hover names the allocation drawn under the pointer, by its height in the stack; a click shows it in the event log', async ({ page }) => {
  test.setTimeout(90_000);
  const timeline = await runDefault(page);
  const readout = timeline.getByTestId('timeline-readout');
  // By chunk, the middle of the chart is the middle of the second of three chunks, whatever the set-up took.
  await timeline.getByLabel('chunk', { exact: true }).check();
  const canvas = (await timeline.getByTestId('timeline-canvas').boundingBox())!;
  const x = canvas.x + canvas.width * 0.55;
  // Every allocation of this run is made before its first chunk: the last event before the
  // pointer is the same everywhere in the chunks, but each height of the stack is another
  // buffer. Walk up from the axis a pixel at a time (the small arrays are a pixel or two high).
  const named: string[] = [];
  const bottom = canvas.y + canvas.height;
  for (let px = 0.5; px < canvas.height * 0.5; px += px < 12 ? 1 : 20) {
    // Off the chart and back: the readout then shows this position's answer, not the last one's.
    await page.mouse.move(x, canvas.y - 60);
    await expect(readout).toHaveText(/^Point at the chart/);
    await page.mouse.move(x, bottom - px);
    await expect(readout).toContainText('in chunk 1 — ');
    const array = / of ([a-z_]+), (storage|uniform) — allocated/.exec((await readout.textContent())!)?.[1];
    if (array && named.at(-1) !== array) named.push(array);
  }
  // Bottom to top, the buffers named are the stack's layers in the legend's order: several of them, not one.
  const layers = await timeline.getByTestId('timeline-layer').evaluateAll((items) => items.map((li) => li.getAttribute('data-layer')));
  expect(named.length).toBeGreaterThanOrEqual(3);
  expect(named).toEqual(layers.filter((l) => named.includes(l!)));
  // The readout, as PyTorch's viewer names a block: live bytes then, the buffer, its bytes, array and usage class, where it was made, its attempt and its row in the log.
  await page.mouse.move(x, bottom - 0.5);
  await expect(readout).toHaveText(/^[\d.]+ (ms|s): [\d.]+ (B|KiB|MiB) device \(initial_values .*\), [\d.]+ (B|KiB|MiB) staging, in chunk 1 — under the pointer: .+ \([\d.]+ (B|KiB|MiB)\), [\d.]+ (B|KiB|MiB) of initial_values, storage — allocated outside any chunk, attempt 1, event #[\d,]+ in the log$/);
  await expect(timeline.getByTestId('timeline-block')).toHaveCount(1);
  const index = Number(/event #([\d,]+)/.exec((await readout.textContent())!)![1].replaceAll(',', ''));
  await expect(timeline.getByTestId('timeline-svg')).toHaveAttribute('aria-valuetext', (await readout.textContent())!);
  await page.mouse.click(x, bottom - 0.5);
  await page.locator('event-log').scrollIntoViewIfNeeded();
  const row = page.locator(`event-log [data-testid="event-row"][data-index="${index}"]`);
  await expect(row).toHaveClass(/highlight/);
  await expect(row).toBeInViewport();
  await expect(row).toHaveAttribute('data-kind', 'alloc');
  await expect(row).toContainText('initial_values');
});

test('the event log reaches the last event and finds events by search, kind and time', async ({ page }) => {
  test.setTimeout(90_000);
  await openTrace(page);
  const log = page.locator('event-log');
  await expect(log.getByTestId('event-table')).toHaveAttribute('data-count', String(trace.events));
  const list = log.locator('lit-virtualizer');
  await list.scrollIntoViewIfNeeded();
  const last = log.locator(`[data-testid="event-row"][data-index="${trace.events - 1}"]`);
  // Scrolled to the end, the list shows the trace's last event: every event is reachable, not the first 1 000.
  await expect
    .poll(async () => {
      await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      return last.count();
    }, { timeout: 20_000 })
    .toBe(1);
  await expect(last).toHaveAttribute('data-kind', 'done');
  await expect(last).toBeInViewport();

  // A search by kind…
  await log.getByTestId('event-search').fill('chunk-end');
  await expect(log.getByTestId('event-count')).toHaveText(`3,922 of ${trace.events.toLocaleString('en-US')} events match.`);
  await expect(log.getByTestId('event-row').first()).toHaveAttribute('data-kind', 'chunk-end');
  // …and by label, whatever its case: the buffer's allocation and its free.
  await log.getByTestId('event-search').fill('Y SET 0');
  await expect(log.getByTestId('event-count')).toHaveText(`2 of ${trace.events.toLocaleString('en-US')} events match.`);
  const rows = log.getByTestId('event-row');
  await expect(rows).toHaveCount(2);
  expect(await rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-kind')))).toEqual(['alloc', 'free']);
  for (const text of await rows.allTextContents()) expect(text).toContain('y set 0');

  // A time: the first event at or after it is marked, the search cleared to show it.
  await log.getByTestId('event-goto-time').fill('0');
  await log.getByTestId('event-goto-time').press('Enter');
  await expect(log.locator('[data-testid="event-row"][data-index="0"]')).toHaveClass(/highlight/);
});

for (const { name, width, height } of [
  { name: '1280', width: 1280, height: 800 },
  { name: '390', width: 390, height: 844 },
] as const) {
  test(`3 922 chunks are numbered once zoomed in, one that landed before a stall beside its band, the dangling final chunk marked; screenshots at ${name} px`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width, height });
    const timeline = await openTrace(page);
    await timeline.scrollIntoViewIfNeeded();
    // The whole run: too many chunks to draw one by one, and the chart says so.
    await expect(timeline.getByTestId('timeline-bands-hidden')).toContainText('3,922 chunks in view');
    await expect(timeline.getByTestId('timeline-band-number')).toHaveCount(0);
    await timeline.screenshot({ path: `screenshots/timeline-3922-whole-${name}.png` });

    // By chunk (each chunk one unit wide), 512 times in: a few chunks, each numbered, in order.
    await timeline.getByLabel('chunk', { exact: true }).check();
    await timeline.getByTestId('timeline-svg').focus();
    for (let i = 0; i < 9; i++) await page.keyboard.press('+');
    const numbers = timeline.getByTestId('timeline-band-number');
    await expect.poll(() => numbers.count()).toBeGreaterThan(2);
    const shown = (await numbers.allTextContents()).map((text) => Number.parseInt(text, 10));
    for (let i = 1; i < shown.length; i++) expect(shown[i]).toBe(shown[i - 1] + 1);
    expect(shown[0]).toBeGreaterThan(1800);
    // The chunk before the stall is numbered too, beside its sliver of a band.
    expect(shown).toContain(kStalled);
    expect(Number(await timeline.locator(`[data-testid="timeline-band"][data-index="${kStalled}"]`).getAttribute('width'))).toBeLessThan(10);
    await expect(numbers.filter({ hasText: new RegExp(`^${kStalled}$`) })).toHaveClass(/beside/);
    await timeline.screenshot({ path: `screenshots/timeline-3922-zoomed-${name}.png` });

    // The end of the run: the dangling final chunk of 29 runs is marked.
    await page.keyboard.press('End');
    const dangling = timeline.locator('[data-testid="timeline-band"][data-dangling]');
    await expect(dangling).toHaveCount(1);
    await expect(dangling).toHaveAttribute('data-index', '3921');
    await expect(dangling.locator('title')).toContainText('the dangling final chunk: 29 runs');
    // Numbered too, on its band or, when the run's tail leaves it a sliver of its unit, beside it up to the plot's edge.
    await expect(timeline.locator('.band-number.dangling')).toHaveText(/^3921( final| \(final, 29 runs\))?$/);
    await timeline.screenshot({ path: `screenshots/timeline-3922-by-chunk-end-${name}.png` });
    await expectNoSidewaysScroll(page);
  });
}
