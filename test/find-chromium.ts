/**
 * Which Chromium the browser tests drive, and with which flags (DESIGN.md, "WebGPU on
 * machines without a GPU"). Playwright's own browser download cannot work on machines
 * without network access, so a system Chromium comes first.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** The environment variable that names a Chromium binary for the browser tests. */
export const kChromiumEnv = 'CHUNKSCOPE_CHROMIUM';
/** Where Debian's `chromium` package puts the browser. */
export const kSystemChromium = '/usr/bin/chromium';

/**
 * `$CHUNKSCOPE_CHROMIUM`, else /usr/bin/chromium, else Playwright's own browser.
 * Throws, saying how to get one, when none exists.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const named = env[kChromiumEnv];
  if (named) {
    if (existsSync(named)) return named;
    throw new Error(`${kChromiumEnv}=${named} does not exist — point it at a Chromium binary, or unset it to use ${kSystemChromium}`);
  }
  if (existsSync(kSystemChromium)) return kSystemChromium;
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && existsSync(bundled)) return bundled;
  throw new Error(
    'no Chromium found for the browser tests — on Debian or Ubuntu run `apt-get install chromium`, ' +
      `or set ${kChromiumEnv} to a Chromium binary (any Chromium with WebGPU, version 113 or later)`,
  );
}

/** Flags that give headless Chromium a WebGPU adapter and keep it from reaching the network. */
export function chromiumArgs(): string[] {
  const args = [
    // SwiftShader's WebGPU adapter is behind this flag in headless Chromium.
    '--enable-unsafe-webgpu',
    // After a GPU-process crash (CDP Browser.crashGpuProcess) a new adapter must still be granted.
    '--disable-domain-blocking-for-3d-apis',
    '--disable-gpu-process-crash-limit',
    // No network here: background fetches would stall the browser on connections that never open.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ];
  // Chromium refuses to start its sandbox as root (containers, CI).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}
