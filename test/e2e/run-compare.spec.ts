// Compare: pin a run as A, change the budget (B is then a plan), run again (B is a run): the table shows A, B and B − A in words; both timelines share one axis; Clear comparison; usable from the keyboard at 1280 and 390 px.
import { expect, test } from '@playwright/test';
import { expectNoSidewaysScroll } from './layout.ts';
import { unlabelledControls } from './control-audit.ts';
import { kRunEnds } from './timeouts.ts';

test('pin a run, change the budget, run again: the table shows both runs and how they differ', async ({ page }) => {
  await page.goto('/');
  const compare = page.getByTestId('compare-section');
  const table = compare.getByTestId('compare-table');
  const row = (id: string) => table.locator(`tr[data-row="${id}"]`);
  await page.getByTestId('run-button').click();
  await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);

  // When A's first chunk began, past its set-up (adapter, pipelines, fixed uploads).
  const firstChunk = async () => Number(await page.locator('[data-testid="run-results"] memory-timeline').getByTestId('timeline-svg').getAttribute('data-first-chunk'));
  const firstA = await firstChunk();
  expect(firstA).toBeGreaterThan(0);

  // From the keyboard: focus the pin button and press Enter.
  await compare.getByTestId('pin-button').focus();
  await page.keyboard.press('Enter');
  await expect(compare.getByTestId('compare-hint')).toContainText('A is the pinned run of Lorenz batch. Now run again');
  await expect(table).toHaveCount(0);

  // An edited budget: B is the plan until it runs.
  await page.getByLabel('budget, exact').fill('4 MiB');
  await expect(page.getByTestId('plan-chunks')).toHaveText('6 chunks of 3,414 runs');
  await expect(row('chunks')).toContainText('3 chunks');
  await expect(row('chunks').locator('td').nth(1)).toHaveText('6 chunks');
  await expect(row('chunks').locator('td.diff')).toHaveText('+3 chunks');
  await expect(row('budget').locator('td.diff')).toHaveText('−4 MiB (4,194,304 B)');
  await expect(row('measured-peak')).toHaveCount(0);
  await expect(compare.getByTestId('compare-plan-only')).toContainText('Only A ran');

  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('last-run')).toContainText('Last run finished', kRunEnds);
  await expect(compare.getByTestId('compare-hint')).toContainText('B is the run of Lorenz batch');
  await expect(row('chunk-length').locator('td')).toHaveText(['6,830 runs', '3,414 runs', '−3,416 runs']);
  await expect(row('final-chunk').locator('td')).toHaveText(['6,340 runs', '2,930 runs', '−3,410 runs']);
  const peakA = (await row('predicted-peak').locator('td').first().innerText()).trim();
  await expect(row('measured-peak').locator('td').first()).toHaveText(peakA);
  await expect(row('measured-peak').locator('td.diff')).toHaveText(/^−\d/);
  await expect(row('time').locator('td.diff')).toContainText("× A's time");
  await expect(row('fallbacks').locator('td.diff')).toHaveText('same');
  await expect(row('faults').locator('td')).toHaveText(['0 faults', '0 faults', 'same']);
  await expect(row('verification').locator('td')).toHaveText(['passed', 'passed', 'same']);
  // Both runs on one timeline: B stacked, A's device bytes as a line on the same axes, each budget named.
  const timeline = compare.getByTestId('compare-timeline');
  await expect(timeline).toHaveCount(1);
  const canvas = timeline.getByTestId('timeline-canvas');
  await expect(canvas).toHaveAttribute('data-compare-peak', /^\d+$/);
  await expect(timeline.getByTestId('timeline-legend')).toContainText('device bytes (A)');
  await expect(timeline.getByTestId('timeline-legend')).toContainText('device bytes (B)');
  await expect(timeline.getByTestId('timeline-compare-budget')).toContainText('A budget 8 MiB');
  // A's line is aligned at its first chunk: drawn shifted by B's set-up time less A's.
  await expect(page.locator('[data-testid="run-results"] memory-timeline').getByTestId('timeline-svg')).not.toHaveAttribute('data-first-chunk', String(firstA));
  const firstB = await firstChunk();
  await expect.poll(async () => Number(await canvas.getAttribute('data-compare-shift'))).toBeCloseTo(firstB - firstA, 6);
  await expect(timeline.getByTestId('timeline-legend-compare')).toContainText(/device bytes \(A\)(, drawn [\d.]+ (ms|s) (later|earlier) so its first chunk begins with this run's|, its first chunk beginning with this run's)$/);
  // A's line reaches higher than B's: A ran with the bigger budget, so the y of its peak is smaller.
  const drawnPeak = async (which: string) => Number(await canvas.getAttribute(`data-${which}-peak`));
  expect(await drawnPeak('compare')).toBeGreaterThan(await drawnPeak('device'));

  // After two runs, with the comparison, its timeline, the report and the log all on the page, every control is still named and reachable.
  expect(await unlabelledControls(page)).toEqual([]);

  for (const { name, width, height } of [{ name: '1280', width: 1280, height: 800 }, { name: '390', width: 390, height: 844 }]) {
    await page.setViewportSize({ width, height });
    await expectNoSidewaysScroll(page);
    await compare.screenshot({ path: `screenshots/compare-${name}.png` });
  }

  await compare.getByTestId('clear-compare').click();
  await expect(table).toHaveCount(0);
  await expect(compare.getByTestId('pin-button')).toHaveText('Pin for comparison');
});

test('two plans, no run: only the plan rows', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
  const compare = page.getByTestId('compare-section');
  await compare.getByTestId('pin-button').click();
  await expect(compare.getByTestId('compare-hint')).toContainText('A is the pinned plan of Lorenz batch');
  await page.getByLabel('runs', { exact: true }).fill('105');
  await expect(page.getByTestId('plan-chunks')).toHaveText('1 chunk of 105 runs');
  const table = compare.getByTestId('compare-table');
  await expect(table.locator('tbody tr')).toHaveCount(5);
  await expect(table.locator('tr[data-row="chunks"] td')).toHaveText(['3 chunks', '1 chunk', '−2 chunks']);
  await expect(table.locator('tr[data-row="budget"] td.diff')).toHaveText('same');
  await expect(compare.getByTestId('compare-plan-only')).toHaveText('Two plans, no run: only what the planner decides is compared.');
});
