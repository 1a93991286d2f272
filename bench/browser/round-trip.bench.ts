/**
 * `npm run bench:browser`: the per-chunk cost in Chromium, in the app's worker (issue 14):
 * (T(N chunks) − T(1 chunk)) ÷ (N − 1) for axpy with one and two buffer sets, against the
 * one-round-trip floor probe run in the same page, round by round. Prints a Markdown
 * table and writes bench/browser-results.json. Not part of `npm test`: figures depend on the machine.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { summarize } from '../measure.ts';
import { sectionMarkdown, type BenchRow } from '../section.ts';
import type { BrowserBenchOptions, BrowserBenchResult } from './round-trip-page.ts';

const kOptions: BrowserBenchOptions = {
  runs: Number(process.env.CHUNKSCOPE_BENCH_BROWSER_RUNS ?? 32_000),
  chunks: Number(process.env.CHUNKSCOPE_BENCH_BROWSER_CHUNKS ?? 500),
  rounds: Number(process.env.CHUNKSCOPE_BENCH_REPS ?? 9),
};
const kResults = fileURLToPath(new URL('../browser-results.json', import.meta.url));

test('per-chunk cost in the app\'s worker against the round-trip floor', async ({ page }) => {
  test.setTimeout(30 * 60_000);
  page.on('console', (m) => console.error(`page: ${m.text()}`));
  await page.goto('/bench/browser/round-trip.html');
  await page.waitForFunction(() => 'chunkscopeBench' in window);
  const result: BrowserBenchResult = await page.evaluate(
    (options) => (window as unknown as { chunkscopeBench(o: typeof options): Promise<BrowserBenchResult> }).chunkscopeBench(options),
    kOptions,
  );
  const { chunks, runs, rounds } = kOptions;
  const floor = summarize(result.floor);
  const rows: BenchRow[] = [];
  for (const sets of [1, 2]) {
    const one = result.runs[`1x${sets}`];
    const many = result.runs[`${chunks}x${sets}`];
    const perChunk = summarize(many.map((t, i) => (t - one[i]) / (chunks - 1)));
    const ofFloor = summarize(perChunk.samples.map((t, i) => t / result.floor[i]));
    rows.push({ name: `axpy ${runs} runs, ${sets} set${sets > 1 ? 's' : ''}, 1 chunk (worker run, verified)`, timing: summarize(one) });
    rows.push({ name: `axpy ${runs} runs, ${sets} set${sets > 1 ? 's' : ''}, ${chunks} chunks (worker run, verified)`, timing: summarize(many) });
    rows.push({
      name: `per-chunk cost, ${sets} set${sets > 1 ? 's' : ''}: (T(${chunks}) − T(1)) ÷ ${chunks - 1}`,
      timing: perChunk,
      figure: `${ofFloor.medianMs.toFixed(2)}× the floor (${ofFloor.minMs.toFixed(2)}–${ofFloor.maxMs.toFixed(2)})`,
      ...(sets === 1 ? { goal: '≤ 1.25× the floor', met: ofFloor.medianMs <= 1.25 } : { goal: 'below the floor', met: ofFloor.medianMs < 1 }),
    });
  }
  rows.push({ name: `floor: writeBuffer, ${runs / chunks}-run dispatch, copy, mapAsync of a reused buffer (per round trip, on the page)`, timing: floor });
  const staged = summarize(result.floorStaging);
  rows.push({ name: 'floor with inputs through a reused MAP_WRITE staging buffer (per round trip)', timing: staged, figure: `${(staged.medianMs / floor.medianMs).toFixed(2)}× the floor` });
  const two = summarize(result.floorTwoInFlight);
  rows.push({ name: 'floor with a MAP_WRITE staging buffer and two round trips in flight (per round trip)', timing: two, figure: `${(two.medianMs / floor.medianMs).toFixed(2)}× the floor` });
  const section = {
    title: 'Per-chunk cost in Chromium (the app\'s worker)',
    note: `Playwright drives bench/browser/round-trip.html: SimulatorClient.run (the app's worker, a live-update callback, verification on) of axpy over ${runs} runs as 1 and ${chunks} chunks, one and two buffer sets, interleaved over ${rounds} rounds with the floor probe (bench/round-trip-probes.ts) on the page's own device; per-chunk cost and its ratio to the floor per round, medians. Adapter: ${result.adapter}.`,
    rows,
  };
  console.log(`${sectionMarkdown(section)}\n`);
  writeFileSync(kResults, `${JSON.stringify({ date: new Date().toISOString(), options: kOptions, result, section }, null, 2)}\n`);
});
