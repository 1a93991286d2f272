// Every preset loads and plans to the outcome its sentence states.
import { expect, test, type Page } from '@playwright/test';
import { kRunEnds } from './timeouts.ts';

/** Each preset's id and sentence as the app holds them (the dev server serves its modules). */
async function presetSentences(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async (path) => {
    const { kPresets } = await import(/* @vite-ignore */ path);
    return Object.fromEntries(kPresets.map((p: { id: string; teaches: string }) => [p.id, p.teaches]));
  }, '/src/ui/presets.ts');
}

const kOutcomes = [
  { id: 'lorenz-batch', chunks: '3 chunks of 6,830 runs', final: '6,340 runs (dangling)' },
  { id: 'dangling-final-chunk', chunks: '5 chunks of 25 runs', final: '5 runs (dangling)' },
  { id: 'chunk-axis-last', chunks: '3 chunks of 6,921 runs', ranges: ['3 strided ranges of 27 KiB', '300 strided ranges of 27 KiB'] },
  { id: 'chunk-axis-first', chunks: '3 chunks of 6,921 runs', ranges: ['one contiguous range', 'one contiguous range'] },
  { id: 'fixed-exceeds-budget', error: 'FIXED_EXCEEDS_BUDGET' },
  { id: 'slice-exceeds-limit', error: 'SLICE_EXCEEDS_LIMIT' },
  { id: 'two-buffer-sets', chunks: '6 chunks of 3,415 runs', final: '2,925 runs (dangling)' },
  { id: 'f64-on-cpu', chunks: '4 chunks of 500 runs', final: '500 runs (no dangling chunk)' },
] as const;

for (const outcome of kOutcomes) {
  test(`preset ${outcome.id}`, async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
    await page.getByLabel('Preset', { exact: true }).selectOption(outcome.id);
    await expect(page.getByTestId('preset-teaches')).toContainText((await presetSentences(page))[outcome.id]);
    if ('error' in outcome) {
      await expect(page.getByTestId('plan-error-code')).toHaveText(outcome.error);
      // Nothing to run: a plan that cannot exist leaves Run disabled.
      await expect(page.getByTestId('run-button')).toBeDisabled();
      // The planner's sentence also stands beside the field it names.
      await expect(page.locator('scenario-editor .plan-problem')).toHaveCount(1);
      return;
    }
    await expect(page.getByTestId('plan-chunks')).toHaveText(outcome.chunks);
    if ('final' in outcome) await expect(page.getByTestId('plan-final-chunk')).toHaveText(outcome.final);
    if ('ranges' in outcome) await expect(page.getByTestId('host-ranges')).toHaveText([...outcome.ranges]);
  });
}

// The soak presets soak to the outcome their sentences state.
const kSoakOutcomes = [
  { id: 'clean-soak', verdict: 'steady', growth: '0 B a cycle over 50 cycles', leaked: '0 leaked buffers (0 B) alive at the end', verified: '50 of 50 cycles verified.' },
  { id: 'leak-one-buffer', verdict: 'leaking', growth: '3.91 KiB (4,000 B) a cycle over 20 cycles', leaked: '20 leaked buffers (78.1 KiB (80,000 B)) alive at the end', verified: '20 of 20 cycles verified.' },
  { id: 'emergency-stop', verdict: 'stopped', growth: 'stopped in cycle 4 at 15.6 KiB (16,000 B), the finished cycles kept', leaked: '4 leaked buffers (15.6 KiB (16,000 B)) alive at the end', verified: '4 of 4 cycles verified.' },
] as const;

for (const outcome of kSoakOutcomes) {
  test(`soak preset ${outcome.id} soaks to its stated outcome`, async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Preset', { exact: true }).selectOption(outcome.id);
    await expect(page.getByTestId('preset-teaches')).toContainText((await presetSentences(page))[outcome.id]);
    const soak = page.locator('soak-panel');
    await soak.getByTestId('soak-button').click();
    await expect(soak.getByTestId('soak-verdict')).toContainText(`${outcome.verdict}:`, kRunEnds);
    await expect(soak.getByTestId('soak-verdict')).toContainText(outcome.growth);
    await expect(soak.getByTestId('soak-verdict')).toContainText(outcome.leaked);
    await expect(soak.getByTestId('soak-cycles-verified')).toHaveText(outcome.verified);
    await expect(soak.getByTestId('soak-chart')).toBeVisible();
    if (outcome.verdict !== 'steady') await expect(soak.getByTestId('soak-fit')).toBeVisible();
    // Run is free again once the soak ends.
    await expect(page.getByTestId('run-button')).toBeEnabled();
  });
}

// The fault presets run to the outcome their sentences state.
const kFaultOutcomes = [
  { id: 'oom-third-allocation', faults: ['oom', 'fallback'], fallback: 'fallback start → shrink, chunkLength 974 → 487', chunks: '7 over 2 attempts' },
  { id: 'device-lost', faults: ['device-lost', 'fallback'], fallback: 'fallback start → retry, chunkLength 974 → 974, resuming at run 974', chunks: '4 over 2 attempts' },
  { id: 'f16-rung', faults: ['oom', 'fallback'], fallback: 'fallback start → f16, chunkLength 2,000 → 2,000', chunks: '1 over 2 attempts' },
] as const;

for (const outcome of kFaultOutcomes) {
  test(`fault preset ${outcome.id} runs to its stated outcome`, async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Preset', { exact: true }).selectOption(outcome.id);
    await expect(page.getByTestId('preset-teaches')).toContainText((await presetSentences(page))[outcome.id]);
    await page.getByTestId('run-button').click();
    const report = page.locator('run-report');
    await expect(report.getByTestId('run-status')).toHaveText('finished', kRunEnds);
    await expect(report.getByTestId('run-runs-done')).toContainText(/^(\S+) of \1 /);
    await expect(report.getByTestId('run-verification')).toContainText('passed');
    const kinds = await report.getByTestId('run-faults').locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    expect(kinds).toEqual([...outcome.faults]);
    await expect(report.getByTestId('run-faults')).toContainText(outcome.fallback);
    await expect(report.getByTestId('run-chunks')).toHaveText(outcome.chunks);
    await expect(report.getByTestId('run-live-after')).toHaveText('0');
    // The recovered attempt's peak is the one its plan predicted.
    await expect(report.getByTestId('run-last-attempt-peak')).toBeVisible();
    const [measured, predicted] = (await report.getByTestId('run-last-attempt-peak').textContent())!.split(' measured, ');
    expect(predicted).toBe(`${measured} predicted`);
    if (outcome.id === 'f16-rung') {
      await expect(report.getByTestId('run-verification')).toContainText('f16 cost');
      // "their bytes halve": every f32 byte of the first plan's peak halves; the u32 status (2,000 runs × 4 B) does not.
      const bytesOf = (text: string) => Number(text.match(/\(([\d,]+) B\)/)![1].replace(/,/g, ''));
      const first = bytesOf((await report.getByTestId('run-predicted-peak').textContent())!);
      const status = 2000 * 4;
      expect(bytesOf(measured)).toBe((first - status) / 2 + status);
    }
    await expect(page.locator('memory-timeline').getByTestId('timeline-marker')).toHaveCount(2);
  });
}

test('every preset in the picker is tested here, and each states one sentence', async ({ page }) => {
  await page.goto('/');
  const sentences = await presetSentences(page);
  expect([...kOutcomes, ...kFaultOutcomes, ...kSoakOutcomes].map((o) => o.id).sort()).toEqual(Object.keys(sentences).sort());
  for (const sentence of Object.values(sentences)) {
    expect(sentence).toMatch(/^[A-Z0-9].*\.$/);
    // One sentence: no full stop inside it followed by another sentence.
    expect(sentence.slice(0, -1)).not.toMatch(/[.!?]\s/);
  }
});
