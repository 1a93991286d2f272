import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from './test/find-chromium.ts';
import { kAppPort } from './vite.config.ts';

const kBaseUrl = `http://127.0.0.1:${kAppPort}`;

// Browser tests run the served app in real Chromium with WebGPU (SwiftShader on
// machines without a GPU). Set CHUNKSCOPE_CHROMIUM to choose the browser binary.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  // Two cores here: SwiftShader is CPU-bound, so more workers only slow each other down.
  workers: process.env.CI ? 1 : 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Sized for SwiftShader on a busy 2-core machine: a limit here only bounds a hang, and
  // no test asserts speed (timings live in `npm run bench`). Runs wait on test/e2e/timeouts.ts.
  timeout: 600_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: kBaseUrl,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: findChromium(), args: chromiumArgs() },
    trace: 'retain-on-failure',
  },
  webServer: {
    // The same command a person runs; vite.config.ts fixes the host and port.
    command: 'npm start',
    url: kBaseUrl,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
  },
});
