// Which Chromium the browser tests pick: the environment variable, then Debian's path, and a helpful error.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { chromiumArgs, findChromium, kChromiumEnv, kSystemChromium } from './find-chromium.ts';

describe('findChromium', () => {
  test('the environment variable wins when it names a file', () => {
    expect(findChromium({ [kChromiumEnv]: process.execPath })).toBe(process.execPath);
  });

  test('a variable naming a missing file is an error that names the variable', () => {
    expect(() => findChromium({ [kChromiumEnv]: '/nonexistent/chromium' })).toThrow(new RegExp(`${kChromiumEnv}=/nonexistent/chromium does not exist`));
  });

  test.skipIf(!existsSync(kSystemChromium))('without the variable, Debian\'s chromium is used', () => {
    expect(findChromium({})).toBe(kSystemChromium);
  });
});

test('the flags give WebGPU, survive GPU-process crashes, and stay off the network', () => {
  expect(chromiumArgs()).toEqual(
    expect.arrayContaining([
      '--enable-unsafe-webgpu',
      '--disable-domain-blocking-for-3d-apis',
      '--disable-gpu-process-crash-limit',
      '--disable-background-networking',
    ]),
  );
});
