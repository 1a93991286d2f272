// Which route a dropped or opened JSON file takes, by content: every example file, a trace, and foreign JSON.
import { describe, expect, test } from 'vitest';
import { jsonFileKind } from '../../src/ui/json-file-kind.ts';
import { exampleFiles } from '../core/example-files.ts';

describe.each([
  { folder: '', kind: 'scenario' },
  { folder: 'presets', kind: 'scenario' },
  { folder: 'legacy', kind: 'legacy-requests' },
  { folder: 'workloads', kind: 'workload' },
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
  { what: 'a package.json', json: { name: 'x', dependencies: {} }, kind: 'foreign' },
  { what: 'an empty object', json: {}, kind: 'foreign' },
  { what: 'a string', json: 'dark mode', kind: 'foreign' },
  { what: 'null', json: null, kind: 'foreign' },
])('$what → $kind', ({ json, kind }) => {
  expect(jsonFileKind(json)).toBe(kind);
});
