// Screenshots of the run report, memory timeline and event log after a run, at 1280×800 and 390 px (screenshots/, gitignored); the three downloads of a run.
import { expect, test } from '@playwright/test';
import { expectNoSidewaysScroll } from './layout.ts';
import { parseTraceFile } from '../../src/core/trace-file.ts';
import { kRunEnds } from './timeouts.ts';

const kWidths = [
  { name: '1280', width: 1280, height: 800 },
  { name: '390', width: 390, height: 844 },
] as const;

for (const { name, width, height } of kWidths) {
  test(`run views at ${name} px`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    // A fault preset: the views then show a fault, a fallback and two attempts, not just the happy path.
    await page.getByLabel('Preset', { exact: true }).selectOption('oom-third-allocation');
    await page.getByTestId('run-button').click();
    await expect(page.locator('run-report').getByTestId('run-status')).toHaveText('finished', kRunEnds);
    await expectNoSidewaysScroll(page);
    await page.screenshot({ path: `screenshots/after-run-${name}.png`, fullPage: true });
    await page.locator('run-report').screenshot({ path: `screenshots/run-report-${name}.png` });
    const timeline = page.locator('memory-timeline');
    await timeline.getByTestId('timeline-svg').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await timeline.screenshot({ path: `screenshots/timeline-${name}.png` });
    await page.locator('run-report').getByTestId('show-peak').click();
    await expect(page.locator('event-log [data-testid="event-row"].highlight')).toBeInViewport();
    await page.locator('event-log').screenshot({ path: `screenshots/event-log-${name}.png` });

    // The trace downloads in the Chrome trace-event format, with the fault as an instant event.
    const [chrome] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-chrome-trace').click()]);
    expect(chrome.suggestedFilename()).toBe('out-of-memory-on-the-3rd-allocation-recovered-by-shrinking.chrome.json');
    const parsed = JSON.parse(await (await chrome.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString()));
    expect(parsed.traceEvents.some((e: { name: string }) => e.name === 'oom')).toBe(true);

    // And as the versioned trace file the CLI writes, with the scenario as run and the device.
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trace').click()]);
    const trace = JSON.parse(await (await file.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString()));
    expect(trace).toMatchObject({ format: 'chunkscope-trace', version: 1, scenario: { runs: 3000, faults: [{ kind: 'out-of-memory', onAllocation: 3 }] } });
    expect(trace.device).toContain('WebGPU in the browser');
    expect(parseTraceFile(trace)).toMatchObject({ ok: true });
    expect(trace.events.filter((e: { kind: string }) => e.kind === 'fallback')).toHaveLength(1);

    // And the timeline as CSV, as `chunkscope run --csv` writes it: a row per event, ending with nothing live.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    expect(csv.suggestedFilename()).toBe('out-of-memory-on-the-3rd-allocation-recovered-by-shrinking.timeline.csv');
    const lines = (await (await csv.createReadStream()).toArray().then((parts) => Buffer.concat(parts).toString())).trim().split('\n');
    expect(lines[0]).toBe('t_ms,kind,label,bytes,device_bytes,staging_bytes');
    expect(lines).toHaveLength(trace.events.length + 1);
    expect(lines.at(-1)).toMatch(/,done,ok,,0,0$/);
    const measured = (await page.locator('run-report').getByTestId('run-measured-peak').textContent())!;
    const csvPeak = Math.max(...lines.slice(1).map((line) => Number(line.split(',').at(-2))));
    expect(measured).toContain(`(${csvPeak.toLocaleString('en-US')} B)`);
  });
}
