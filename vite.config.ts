import { defineConfig } from 'vite';

/**
 * The port the app is served on: fixed (strictPort) so Playwright's webServer and people
 * find it. CHUNKSCOPE_PORT moves it, for two checkouts testing side by side.
 */
export const kAppPort = Number(process.env.CHUNKSCOPE_PORT ?? 5173);

/**
 * Cross-origin isolation, so the page and its workers may share memory: a workload's
 * lanes (Web Workers) count every allocation in one device ledger on a SharedArrayBuffer.
 */
const kIsolationHeaders = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

// 127.0.0.1 rather than localhost: headless Chromium grants a WebGPU adapter only to a
// secure context, and the loopback address is one without HTTPS (DESIGN.md).
export default defineConfig({
  server: { host: '127.0.0.1', port: kAppPort, strictPort: true, headers: kIsolationHeaders },
  preview: { host: '127.0.0.1', port: kAppPort, strictPort: true, headers: kIsolationHeaders },
  // The simulator worker is a module worker (comlink + static imports of core).
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
