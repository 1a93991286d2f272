// Workload links: every workload example survives workload → link → workload; broken links and hostile values say so and never throw.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { expect, test } from 'vitest';
import { workloadFromFragment, workloadToFragment } from '../../src/core/workload-link.ts';
import { hostileValue, mutationsOf } from '../fuzz/hostile-json.ts';

const kDir = new URL('../../examples/workloads/', import.meta.url);
const kExamples = readdirSync(kDir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, json: JSON.parse(readFileSync(new URL(file, kDir), 'utf8')) as Record<string, unknown> }));

test('there are the ten workload examples to round-trip', () => {
  expect(kExamples.length).toBe(10);
});

test.each(kExamples)('$file: workload → link → workload is the identity', ({ json }) => {
  const written = workloadToFragment(json);
  if (!written.ok) throw new Error(JSON.stringify(written.issues));
  expect(written.fragment).toMatch(/^workload=[A-Za-z0-9+\-$]+$/);
  expect(workloadFromFragment(`#${written.fragment}`)).toEqual({ kind: 'workload', workload: json });
  expect(workloadFromFragment(written.fragment.replace(/\+/g, ' '))).toEqual({ kind: 'workload', workload: json });
});

test.each([
  { what: 'no workload in the fragment', fragment: '#scenario=abc', kind: 'none' },
  { what: 'garbage', fragment: '#workload=%%%not-lz', kind: 'error' },
  { what: 'a scenario in a workload link', fragment: `#workload=${compressToEncodedURIComponent('{"version":1,"runs":1,"arrays":[]}')}`, kind: 'error' },
  { what: 'an invalid workload', fragment: `#workload=${compressToEncodedURIComponent('{"version":1,"kind":"workload","lanes":0}')}`, kind: 'error' },
])('$what → $kind', ({ fragment, kind }) => {
  const linked = workloadFromFragment(fragment);
  expect(linked.kind).toBe(kind);
  if (linked.kind === 'error') expect(linked.message).toMatch(/link/);
});

test('an invalid workload gives no link, with every problem at its path', () => {
  const written = workloadToFragment({ version: 1, kind: 'workload', device: { budgetBytes: -1 }, lanes: 1, jobs: [] });
  expect(written.ok).toBe(false);
  if (!written.ok) expect(written.issues.map((i) => i.path)).toContain('device.budgetBytes');
});

test('property: no value, however hostile, makes either direction throw', () => {
  fc.assert(
    fc.property(fc.oneof(hostileValue, mutationsOf(kExamples[0].json)), (value) => {
      const written = workloadToFragment(value);
      if (written.ok) expect(workloadFromFragment(written.fragment).kind).toBe('workload');
      else expect(written.issues.length).toBeGreaterThan(0);
      expect(['none', 'error', 'workload']).toContain(workloadFromFragment(value as string).kind);
      if (typeof value === 'string') workloadFromFragment(`workload=${value}`);
    }),
    { numRuns: 400 },
  );
});
