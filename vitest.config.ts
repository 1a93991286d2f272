import { defineConfig } from 'vitest/config';
import { withVulkanLoader } from './bin/webgpu-env.js';

// Test workers are forked from this process: give them a Vulkan loader for Dawn.
Object.assign(process.env, withVulkanLoader());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    pool: 'forks',
    // SwiftShader on a busy 2-core machine: a limit only bounds a hang; no test asserts speed.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
