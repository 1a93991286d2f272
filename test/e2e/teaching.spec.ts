// The app that teaches (issue 17): results beside the controls, the run bar on phones, stale results marked, the arithmetic and what-if equal to the CLI's, stepping to the dangling chunk, f64 on the CPU in the browser, a clean load, Ctrl+Enter and the tab order.
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { unlabelledControls } from './control-audit.ts';
import { kRunEnds } from './timeouts.ts';

const count = (n: number) => n.toLocaleString('en-US');

/** `chunkscope plan FILE --json [--what-if]` as a user runs it: the numbers the page must show. */
function cli(file: string, whatIf = false): { code: number; json: any } {
  try {
    return { code: 0, json: JSON.parse(execFileSync(process.execPath, ['bin/chunkscope.js', 'plan', file, '--json', ...(whatIf ? ['--what-if'] : [])], { encoding: 'utf8' })) };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { code: e.status, json: JSON.parse(e.stdout) };
  }
}

/** Each preset's id and file as the app holds them (the dev server serves its modules). */
async function presets(page: Page): Promise<{ id: string; file: string }[]> {
  return page.evaluate(async (path) => {
    const { kPresets } = await import(/* @vite-ignore */ path);
    return kPresets.map((p: { id: string; file: string }) => ({ id: p.id, file: p.file }));
  }, '/src/ui/presets.ts');
}

async function loaded(page: Page) {
  await page.goto('/');
  await expect(page.locator('plan-view').getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
}

test('no console error and no failed request on load, favicon included; a one-line intro', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await loaded(page);
  await expect.poll(() => page.evaluate(async () => (await fetch('/favicon.svg')).status)).toBe(200);
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', '/favicon.svg');
  await expect(page.getByTestId('intro')).toContainText('cut into chunks that fit a memory budget');
  expect(problems).toEqual([]);
});

test('1280×800: after Run the progress, then the report and the timeline, are in view without scrolling', async ({ page }) => {
  await loaded(page);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-progress')).toBeInViewport();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  await expect(page.locator('run-report').getByTestId('run-status')).toBeInViewport();
  await expect(page.locator('[data-testid="run-results"] memory-timeline')).toBeInViewport();
  // The page itself never scrolled: each column scrolls on its own.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
});

test('390×844: the run bar stays on screen while the page scrolls; Run is the first Tab stop and Ctrl+Enter runs', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await loaded(page);
  for (const y of [1500, 4000, 100_000]) {
    await page.evaluate((to) => window.scrollTo(0, to), y);
    await expect(page.getByTestId('run-button')).toBeInViewport({ ratio: 1 });
  }
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('run-button')).toBeFocused();
  // Ctrl+Enter from inside the editor runs too.
  await page.locator('scenario-editor').getByLabel('runs', { exact: true }).focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
});

test('results of an earlier scenario are marked after a preset change; a preset over edits can be undone', async ({ page }) => {
  await loaded(page);
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  await expect(page.getByTestId('stale-note')).toHaveCount(0);
  await page.getByLabel('Preset', { exact: true }).selectOption('fixed-exceeds-budget');
  await expect(page.getByTestId('stale-note')).toHaveText(/From an earlier scenario — run again/);
  await expect(page.getByTestId('run-results')).toHaveClass(/stale/);
  // Edits, then a preset: Undo brings the edits back.
  await page.getByLabel('Preset', { exact: true }).selectOption('dangling-final-chunk');
  await page.locator('scenario-editor').getByLabel('runs', { exact: true }).fill('107');
  await expect(page.getByTestId('plan-final-chunk')).toHaveText('7 runs (dangling)');
  await page.getByLabel('Preset', { exact: true }).selectOption('two-buffer-sets');
  await expect(page.getByTestId('plan-chunks')).toHaveText('6 chunks of 3,415 runs');
  await expect(page.getByTestId('notice')).toContainText('Undo brings them back');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('plan-final-chunk')).toHaveText('7 runs (dangling)');
  await expect(page.getByTestId('undo')).toHaveCount(0);
});

test('an invalid edit keeps the last valid plan, greyed, with the problem and its array named', async ({ page }) => {
  await loaded(page);
  await page.getByLabel('shape of arrays[3] (state)').fill('100, 3, rns');
  await expect(page.getByTestId('plan-stale-note')).toContainText('arrays[3].shape[2] of array "state"');
  await expect(page.getByTestId('plan-section')).toHaveClass(/stale/);
  await expect(page.locator('plan-view').getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  await page.getByLabel('shape of arrays[3] (state)').fill('100, 3, runs');
  await expect(page.getByTestId('plan-stale-note')).toHaveCount(0);
});

test('the arithmetic view shows chunkscope plan --json\'s numbers for every preset', async ({ page }) => {
  await loaded(page);
  const details = page.getByTestId('arithmetic');
  for (const preset of await presets(page)) {
    await page.getByLabel('Preset', { exact: true }).selectOption(preset.id);
    await expect(page.getByTestId('preset-teaches')).toContainText(preset.file);
    const { code, json } = cli(preset.file);
    if (code !== 0) {
      // No plan: no arithmetic of one; the page shows the planner's code instead.
      await expect(page.getByTestId('plan-error-code')).toHaveText(json.error.code);
      await expect(details).toHaveCount(0);
      continue;
    }
    await expect(page.getByTestId('plan-chunks')).toContainText(`${count(json.numChunks)} `);
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
    const step = (what: string) => details.locator(`[data-testid="arith-step"][data-what="${what}"] td.numbers`);
    await expect(step('chunkLength')).toContainText(`= ${count(json.chunkLength)} runs (bound by ${json.boundBy})`);
    await expect(step('numChunks')).toContainText(`= ${count(json.numChunks)}`);
    await expect(step('final chunk')).toContainText(`= ${count(json.finalChunkLength)} runs`);
    await expect(step('fixedBytes')).toContainText(`= ${count(json.fixedBytes)} B`);
    await expect(step('perRunBytes')).toContainText(`= ${count(json.perRunBytes)} B`);
    await expect(step('cap')).toContainText(`= ${count(json.capBytes)} B`);
    for (const c of json.constraints) {
      await expect(step(c.bound)).toContainText(c.maxRuns === null ? 'any number of runs' : `${count(c.maxRuns)} runs`);
    }
    await expect(details.getByTestId('arith-peak-total')).toHaveText(new RegExp(`= ${count(json.predictedPeakBytes)} B$`));
    // The peak is the sum of its rows, row by row as the planner's arrays hold them.
    const rows = await details.getByTestId('arith-peak-row').locator('td.numbers').allTextContents();
    const bytes = rows.map((r) => Number(/([\d,]+) B(?: \(fixed\))?$/.exec(r)![1].replaceAll(',', '')));
    expect(bytes).toEqual(json.arrays.map((a: { bytes: number; buffers: number }) => a.bytes * a.buffers));
    expect(bytes.reduce((x, y) => x + y, 0)).toBe(json.predictedPeakBytes);
  }
});

test('the what-if table\'s rows equal chunkscope plan --what-if --json\'s; adopting a row loads it', async ({ page }) => {
  await loaded(page);
  for (const id of ['lorenz-batch', 'fixed-exceeds-budget']) {
    await page.getByLabel('Preset', { exact: true }).selectOption(id);
    const file = (await presets(page)).find((p) => p.id === id)!.file;
    const { json } = cli(file, true);
    const table = page.locator('what-if-table');
    await expect(table.getByTestId('what-if-row')).toHaveCount(json.rows.length);
    await expect(table.getByTestId('what-if-change')).toHaveText(json.rows.map((r: { change: string }) => r.change));
    const lengths = await table.getByTestId('what-if-row').evaluateAll((rows) =>
      rows.map((r) => r.querySelector('[data-testid="what-if-chunk-length"]')?.textContent ?? 'no plan'));
    expect(lengths).toEqual(json.rows.map((r: { ok: boolean; chunkLength: number }) => (r.ok ? count(r.chunkLength) : 'no plan')));
  }
  // Fixed arrays over the budget: doubling the budget gives a plan; one click adopts it.
  await page.locator('what-if-table').getByRole('button', { name: /adopt: budget .* \(doubled\)/ }).click();
  await expect(page.getByTestId('plan-chunks')).toHaveText('1 chunk of 1,000 runs');
  await expect(page.getByTestId('notice')).toContainText('Adopted the what-if row "budget 1.91 MiB (doubled)"');
});

test('stepping to the last chunk highlights the dangling chunk in the strip, the timeline and the log', async ({ page }) => {
  await loaded(page);
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
  const stepper = page.locator('chunk-stepper');
  const timeline = page.locator('[data-testid="run-results"] memory-timeline');
  const log = page.locator('event-log');
  const steppedRows = log.locator('[data-testid="event-row"][data-stepped]');
  await stepper.getByTestId('step-first').click();
  await expect(stepper.getByTestId('step-readout')).toContainText('chunk 0 of 3 (counting from 0): runs [0, 6,830), 6,830 runs');
  await expect(timeline.getByTestId('timeline-step')).toHaveAttribute('data-chunk', '0');
  // The log draws only rows on screen (it is virtualised): bring it into view.
  await log.locator('lit-virtualizer').scrollIntoViewIfNeeded();
  await expect(steppedRows.first()).toHaveText(/chunk-begin 0: runs 0–6,830$/);
  // Zoomed in on the first eighth of the run, away from the last chunk (which begins as chunk 0
  // lands, while chunk 1 runs): stepping there pans the chart to it.
  const shownWindow = async () => (await timeline.getByTestId('timeline-svg').getAttribute('data-window'))!.split(',').map(Number);
  const windowWidth = async () => { const [a, b] = await shownWindow(); return b - a; };
  const whole = await windowWidth();
  await timeline.getByTestId('timeline-svg').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('+');
  await expect.poll(windowWidth).toBeLessThan(whole / 4);
  for (let i = 0; i < 20; i++) await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(async () => (await shownWindow())[0]).toBe(0);
  const zoomedTo = await timeline.getByTestId('timeline-svg').getAttribute('data-window');
  await stepper.getByTestId('step-last').click();
  await expect(timeline.getByTestId('timeline-svg')).not.toHaveAttribute('data-window', zoomedTo!);
  // The whole run again: with one set the last chunk's band in the lane starts where chunk 1
  // landed, which can lie past the window the step panned to (the middle of chunk 2's span).
  await timeline.getByTestId('timeline-reset').click();
  await expect(timeline.getByTestId('timeline-reset')).toBeDisabled();
  // The strip.
  await expect(page.locator('plan-view').getByTestId('strip-highlight')).toHaveAttribute('data-chunk', '2');
  await expect(page.locator('plan-view li.stepped')).toHaveText('chunk 2: runs [13,660, 20,000), 6,340 runs — dangling final chunk');
  await expect(stepper.getByTestId('step-readout')).toContainText('the dangling final chunk');
  await expect(stepper.getByTestId('step-readout')).toContainText('state set 0 (8196000 B): 7.26 MiB of 7.82 MiB filled');
  // The timeline: chunk 2's span outlined (and shaded on the canvas), its band in the lane marked, and the note naming it.
  const span = timeline.getByTestId('timeline-step');
  await expect(span).toHaveCount(1);
  await expect(span).toHaveAttribute('data-chunk', '2');
  await expect(span).toHaveAttribute('data-dangling', '');
  await expect(timeline.locator('[data-testid="timeline-band"][data-stepped]')).toHaveAttribute('data-index', '2');
  await expect(timeline.locator('[data-testid="timeline-band"][data-stepped]')).toHaveAttribute('data-dangling', '');
  await expect(timeline.getByTestId('timeline-canvas')).toHaveAttribute('data-stepped', '2');
  await expect(timeline.getByTestId('timeline-step-note')).toContainText('Shaded: chunk 2, runs [13,660, 20,000), the dangling final chunk');
  // The span ends where the band does on the axis, when chunk 2 landed (the band, in the one
  // set's lane, starts when chunk 1 landed; the span when chunk 2 was packed, as chunk 0 landed).
  // Polled: the worker's finer view of the new window may redraw both between two measurements.
  const edges = async () => {
    const band = (await timeline.locator('[data-testid="timeline-band"][data-index="2"]').boundingBox())!;
    const spanBox = (await span.boundingBox())!;
    return { endsTogether: Math.abs(spanBox.x + spanBox.width - (band.x + band.width)) < 2, spanFirst: spanBox.x <= band.x + 1 };
  };
  await expect.poll(edges).toEqual({ endsTogether: true, spanFirst: true });
  // The log: chunk 2's rows marked and scrolled to, from its chunk-begin to its chunk-end, and no other chunk's.
  await log.locator('lit-virtualizer').scrollIntoViewIfNeeded();
  await expect(steppedRows.first()).toHaveText(/chunk-begin 2: runs 13,660–20,000$/);
  await expect(log.locator('[data-testid="event-row"][data-stepped][data-kind="chunk-end"]')).toHaveText(/chunk-end 2: runs 13,660–20,000$/);
  await expect(log.locator('[data-testid="event-row"][data-stepped][data-kind="chunk-begin"]')).toHaveCount(1);
  await expect(steppedRows.first()).toBeInViewport();
  // The chunk numbers are the trace's, from 0: three chunks, so chunk 2 is the last of them.
  await expect(log).toContainText('chunk-begin (3)');
  // Done: nothing stays highlighted.
  await stepper.getByTestId('step-clear').click();
  await expect(timeline.getByTestId('timeline-step')).toHaveCount(0);
  await expect(steppedRows).toHaveCount(0);
});

test('two buffer sets: the stepper says which set each chunk uses', async ({ page }) => {
  await loaded(page);
  await page.getByLabel('Preset', { exact: true }).selectOption('two-buffer-sets');
  const stepper = page.locator('chunk-stepper');
  await stepper.getByTestId('step-first').click();
  await expect(stepper.getByTestId('step-set')).toHaveText('buffer set 0');
  await stepper.getByTestId('step-next').click();
  await expect(stepper.getByTestId('step-set')).toHaveText('buffer set 1');
  await expect(page.locator('plan-view').getByTestId('strip-highlight')).toHaveAttribute('data-chunk', '1');
});

test('an f64 preset runs on the CPU in the browser and verifies; WebGPU says before Run that it cannot', async ({ page }) => {
  await loaded(page);
  await page.getByLabel('Preset', { exact: true }).selectOption('f64-on-cpu');
  await expect(page.getByTestId('backend-note')).toContainText('auto runs this on the CPU: WebGPU cannot store array "x" (f64)');
  await page.getByTestId('backend-select').selectOption('webgpu');
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await expect(page.getByTestId('run-blocked')).toContainText('WGSL has no 64-bit float');
  await page.getByTestId('use-cpu').click();
  await expect(page.getByTestId('backend-select')).toHaveValue('cpu');
  await page.getByTestId('run-button').click();
  const report = page.locator('run-report');
  await expect(report.getByTestId('run-status')).toHaveText('finished', kRunEnds);
  await expect(report.getByTestId('run-runs-done')).toHaveText('2,000 of 2,000 on the CPU');
  await expect(report.getByTestId('run-verification')).toContainText('passed');
  await expect(report.getByTestId('run-peak-match')).toHaveText('= predicted');
});

test('every control has a name and is in the tab order; Tab reaches Run first, then backend, then the presets', async ({ page }) => {
  await loaded(page);
  expect(await unlabelledControls(page)).toEqual([]);
  await page.locator('body').focus();
  const order: string[] = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return (el as HTMLElement | null)?.dataset.testid ?? el?.id ?? el?.tagName ?? '';
    }));
  }
  expect(order.slice(0, 3)).toEqual(['run-button', 'backend-select', 'preset']);
});

test('Compare names B by what differs and lists every differing setting', async ({ page }) => {
  await loaded(page);
  const compare = page.getByTestId('compare-section');
  await compare.getByTestId('pin-button').click();
  await page.locator('what-if-table').getByRole('button', { name: 'adopt: budget 16 MiB (doubled)' }).click();
  await expect(page.getByTestId('plan-chunks')).toHaveText('2 chunks of 13,661 runs');
  await expect(compare.getByTestId('compare-hint')).toContainText('B: budget 8 MiB → 16 MiB.');
  await expect(compare.getByTestId('compare-differences').locator('li')).toHaveText(['device.budgetBytes: 8 MiB → 16 MiB']);
  await expect(compare.locator('run-compare').getByTestId('compare-b-name')).toHaveText('(B: budget 8 MiB → 16 MiB)');
});
