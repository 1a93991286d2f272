// Which route a dropped or opened JSON file takes, by content: every example file, a trace, a PyTorch snapshot (broken ones too), foreign JSON, and any hostile value.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { jsonFileKind, type JsonFileKind } from '../../src/ui/json-file-kind.ts';
import { exampleFiles } from '../core/example-files.ts';
import { hostileValue, kPrototypeKeys } from '../fuzz/hostile-json.ts';

describe.each([
  { folder: '', kind: 'scenario' },
  { folder: 'presets', kind: 'scenario' },
  { folder: 'legacy', kind: 'legacy-requests' },
  { folder: 'workloads', kind: 'workload' },
  { folder: 'pytorch', kind: 'pytorch-snapshot' },
])('examples/$folder', ({ folder, kind }) => {
  test.each(exampleFiles(folder))(`$file is a ${kind}`, ({ json }) => {
    expect(jsonFileKind(json)).toBe(kind);
  });
});

test.each([
  { what: 'a trace file', json: { format: 'chunkscope-trace', version: 1, scenario: {}, events: [] }, kind: 'trace' },
  { what: 'a label → request map', json: { state: { shape: [3, 10], total_runs: 10 } }, kind: 'legacy-requests' },
  { what: 'an empty list', json: [], kind: 'legacy-requests' },
  { what: 'an invalid scenario (its problems are the editor’s to name)', json: { version: 2, runs: -1 }, kind: 'scenario' },
  { what: 'an invalid workload (its problems are the workload editor’s to name)', json: { kind: 'workload', lanes: 0 }, kind: 'workload' },
  { what: 'a snapshot with no history', json: { segments: [], device_traces: [] }, kind: 'pytorch-snapshot' },
  { what: 'a snapshot missing its segments (the reader names what is missing)', json: { device_traces: [[]] }, kind: 'pytorch-snapshot' },
  { what: 'a snapshot whose segments are not a list', json: { segments: 3, device_traces: 'x' }, kind: 'pytorch-snapshot' },
  { what: 'a package.json', json: { name: 'x', dependencies: {} }, kind: 'foreign' },
  { what: 'an empty object', json: {}, kind: 'foreign' },
  { what: 'a string', json: 'dark mode', kind: 'foreign' },
  { what: 'null', json: null, kind: 'foreign' },
])('$what → $kind', ({ json, kind }) => {
  expect(jsonFileKind(json)).toBe(kind);
});

test('any value, prototype-named keys included, gets a kind and never a throw', () => {
  const kinds: readonly JsonFileKind[] = ['scenario', 'workload', 'legacy-requests', 'trace', 'pytorch-snapshot', 'foreign'];
  const prototypeKeyed = fc.dictionary(fc.constantFrom(...kPrototypeKeys), fc.anything(), { minKeys: 1 });
  fc.assert(
    fc.property(fc.oneof(fc.anything(), hostileValue, prototypeKeyed), (value) => {
      expect(kinds).toContain(jsonFileKind(value));
    }),
    { numRuns: 2000, seed: 41 },
  );
  // Keys a plain object inherits are not its own: no snapshot, scenario or trace by inheritance.
  expect(jsonFileKind(Object.create({ segments: [], device_traces: [] }))).toBe('foreign');
});
