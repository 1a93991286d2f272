/**
 * Lets Node import `…?raw` files as strings, the way Vite does, so the kernels' WGSL
 * (imported with `?raw` for the browser build and vitest) loads in the CLI too. The
 * hooks are registered from a data: URL so they need no file of their own.
 */
import { register } from 'node:module';

const kHooks = `
import { readFile } from 'node:fs/promises';
export async function resolve(specifier, context, next) {
  if (!specifier.endsWith('?raw')) return next(specifier, context);
  return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
}
export async function load(url, context, next) {
  if (!url.endsWith('?raw')) return next(url, context);
  const file = new URL(url);
  file.search = '';
  const text = await readFile(file, 'utf8');
  return { format: 'module', source: 'export default ' + JSON.stringify(text) + ';', shortCircuit: true };
}
`;

let registered = false;

/** Registers the `?raw` hooks once; modules imported afterwards (dynamically) can use `?raw`. */
export function registerRawImports(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(kHooks)}`);
}
