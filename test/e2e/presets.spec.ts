// Every preset loads and plans to the outcome its sentence states.
import { expect, test } from '@playwright/test';

const kOutcomes = [
  { id: 'lorenz-batch', chunks: '3 chunks of 6,830 runs', final: '6,340 runs (dangling)' },
  { id: 'dangling-final-chunk', chunks: '5 chunks of 25 runs', final: '5 runs (dangling)' },
  { id: 'chunk-axis-last', chunks: '3 chunks of 6,921 runs', ranges: ['3 strided ranges of 27 KiB', '300 strided ranges of 27 KiB'] },
  { id: 'chunk-axis-first', chunks: '3 chunks of 6,921 runs', ranges: ['one contiguous range', 'one contiguous range'] },
  { id: 'fixed-exceeds-budget', error: 'FIXED_EXCEEDS_BUDGET' },
  { id: 'slice-exceeds-limit', error: 'SLICE_EXCEEDS_LIMIT' },
  { id: 'two-buffer-sets', chunks: '6 chunks of 3,415 runs', final: '2,925 runs (dangling)' },
] as const;

for (const outcome of kOutcomes) {
  test(`preset ${outcome.id}`, async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('plan-chunks')).toHaveText('3 chunks of 6,830 runs');
    await page.getByLabel('Preset', { exact: true }).selectOption(outcome.id);
    await expect(page.getByTestId('preset-teaches')).not.toBeEmpty();
    if ('error' in outcome) {
      await expect(page.getByTestId('plan-error-code')).toHaveText(outcome.error);
      // The planner's sentence also stands beside the field it names.
      await expect(page.locator('scenario-editor .plan-problem')).toHaveCount(1);
      return;
    }
    await expect(page.getByTestId('plan-chunks')).toHaveText(outcome.chunks);
    if ('final' in outcome) await expect(page.getByTestId('plan-final-chunk')).toHaveText(outcome.final);
    if ('ranges' in outcome) await expect(page.getByTestId('host-ranges')).toHaveText([...outcome.ranges]);
  });
}
