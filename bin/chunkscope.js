#!/usr/bin/env node
// The `chunkscope` command: src/cli/main.ts through tsx, in a child that can reach a
// Vulkan loader (see webgpu-env.js); signals sent to us reach it, and its exit code is ours.
import { fileURLToPath } from 'node:url';
import { runTypeScript } from './webgpu-env.js';

process.exit(await runTypeScript(fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)), process.argv.slice(2)));
