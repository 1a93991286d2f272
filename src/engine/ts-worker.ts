/**
 * Starts a `worker_threads` thread on a TypeScript module (Node only). Workers do not
 * inherit the parent's `--import` hooks, so the thread first registers tsx and the `?raw`
 * loader the kernels' WGSL needs, then imports the module: the same code runs under the
 * CLI (tsx), vitest and the benchmarks.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** A worker thread running `entry` (a .ts module URL) with `workerData`. */
export function startTypeScriptWorker(entry: URL, workerData: unknown): Worker {
  const require = createRequire(import.meta.url);
  // The ESM build of tsx's API: its `register()` hooks this thread's imports.
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const raw = new URL('../cli/raw-imports.ts', import.meta.url).href;
  const code = `
    import(${JSON.stringify(tsx)})
      .then((tsx) => { tsx.register(); return import(${JSON.stringify(raw)}); })
      .then((raw) => { raw.registerRawImports(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}
