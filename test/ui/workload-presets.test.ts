// One workload preset per story in examples/workloads, each the file it names, each a workload the planner accepts.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { prepareWorkload } from '../../src/engine/prepare-workload.ts';
import { kPresets } from '../../src/ui/presets.ts';
import { kWorkloadPresets } from '../../src/ui/workload-presets.ts';

const kDir = new URL('../../examples/workloads/', import.meta.url);

test('every workload example is a preset, and ids are unique among all presets', () => {
  const files = readdirSync(kDir).filter((f) => f.endsWith('.json')).map((f) => `examples/workloads/${f}`).sort();
  expect(kWorkloadPresets.map((p) => p.file).sort()).toEqual(files);
  const ids = [...kPresets, ...kWorkloadPresets].map((p) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
});

test.each(kWorkloadPresets)('$id is $file, and it plans', ({ file, scenario }) => {
  expect(scenario).toEqual(JSON.parse(readFileSync(new URL(file.replace('examples/workloads/', ''), kDir), 'utf8')));
  expect(prepareWorkload(scenario).ok).toBe(true);
});
