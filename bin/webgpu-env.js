// Where WebGPU comes from in Node (DESIGN.md, "WebGPU on machines without a GPU").
// The `webgpu` package (Dawn) needs a Vulkan loader; Debian's chromium ships one beside
// its SwiftShader driver. The loader path must be in LD_LIBRARY_PATH before the process
// starts, so launchers (bin/chunkscope.js, `npm run bench`, vitest.config.ts) start
// their TypeScript in a child whose environment has it.
//
// Run directly, `node bin/webgpu-env.js entry.ts args…` runs entry.ts that way.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Chromium's directory holding its Vulkan loader and SwiftShader driver. */
export const kChromiumDir = process.env.CHUNKSCOPE_CHROMIUM_LIB_DIR ?? '/usr/lib/chromium';
/** The ICD file that points the Vulkan loader at SwiftShader. */
export const kSwiftShaderIcd = `${kChromiumDir}/vk_swiftshader_icd.json`;

const kSystemLoaders = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
];

/** `env` with Chromium's Vulkan loader on the library path when the system has none. */
export function withVulkanLoader(env = process.env) {
  const chromiumLoader = `${kChromiumDir}/libvulkan.so.1`;
  if (kSystemLoaders.some((path) => existsSync(path)) || !existsSync(chromiumLoader)) return env;
  const paths = (env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean);
  if (paths.includes(kChromiumDir)) return env;
  return { ...env, LD_LIBRARY_PATH: [...paths, kChromiumDir].join(delimiter) };
}

/** Signals a launcher passes on to its child: what `timeout`, Ctrl-C and CI job killers send. */
const kForwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs the TypeScript file `entry` with `args` through tsx in a child that can reach
 * Vulkan; resolves to its exit code (128 + the signal's number if a signal ended it).
 * SIGINT, SIGTERM and SIGHUP sent to this process are passed on to the child, which
 * decides what they mean (a run cancels and reports), and this process waits for it.
 */
export function runTypeScript(entry, args) {
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx/esm')).href;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, entry, ...args], { stdio: 'inherit', env: withVulkanLoader() });
    const forward = (signal) => child.kill(signal);
    for (const signal of kForwardedSignals) process.on(signal, forward);
    const settle = (code) => {
      for (const signal of kForwardedSignals) process.off(signal, forward);
      resolve(code);
    };
    child.on('error', (err) => {
      console.error(`could not start Node: ${err.message}`);
      settle(70);
    });
    child.on('exit', (code, signal) => settle(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('usage: node bin/webgpu-env.js <entry.ts> [args…]');
    process.exit(64);
  }
  process.exit(await runTypeScript(resolve(entry), args));
}
