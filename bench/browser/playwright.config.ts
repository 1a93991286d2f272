import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../test/find-chromium.ts';
import { kAppPort } from '../../vite.config.ts';

const kBaseUrl = `http://127.0.0.1:${kAppPort}`;

// The browser benchmark (round-trip.bench.ts): one worker, no retries, the served app.
export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  outputDir: '../../test-results/bench',
  workers: 1,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: kBaseUrl,
    browserName: 'chromium',
    launchOptions: { executablePath: findChromium(), args: chromiumArgs() },
  },
  webServer: {
    command: 'npm start',
    url: kBaseUrl,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
  },
});
