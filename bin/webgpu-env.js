// Where WebGPU comes from in Node (DESIGN.md, "WebGPU on machines without a GPU").
// The `webgpu` package (Dawn) needs a Vulkan loader; Debian's chromium ships one beside
// its SwiftShader driver. The loader path must be in LD_LIBRARY_PATH before the process
// starts, so launchers (bin/chunkscope.js, vitest.config.ts) call this for their children.
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';

/** Chromium's SwiftShader Vulkan driver, as Debian installs it. */
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
