/** The example files, read from disk so a new example is tested without editing a list. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const kExamples = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Every `*.json` directly in `examples/` (or in `examples/<folder>/`), parsed. */
export function exampleFiles(folder = ''): { file: string; json: unknown }[] {
  const dir = `${kExamples}${folder}`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) }));
}

/** Every scenario example: `examples/*.json` and the app's presets, `presets/…` named as such. */
export function scenarioExampleFiles(): { file: string; json: unknown }[] {
  return [...exampleFiles(), ...exampleFiles('presets').map((e) => ({ ...e, file: `presets/${e.file}` }))];
}
