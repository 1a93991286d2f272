#!/usr/bin/env node
// The `chunkscope` command: runs src/cli/main.ts through tsx in a child process whose
// environment can reach a Vulkan loader (see webgpu-env.js), and passes its exit code on.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withVulkanLoader } from './webgpu-env.js';

const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve('tsx/esm')).href;
const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

const child = spawnSync(process.execPath, ['--import', tsx, main, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: withVulkanLoader(),
});
if (child.error) {
  console.error(`chunkscope: could not start Node: ${child.error.message}`);
  process.exit(70);
}
process.exit(child.status ?? 1);
