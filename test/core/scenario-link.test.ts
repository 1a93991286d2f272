// Scenario links and files: every example survives scenario → link → scenario and scenario → file → scenario; broken links say so.
import { compressToEncodedURIComponent } from 'lz-string';
import { expect, test } from 'vitest';
import { parseScenario } from '../../src/core/scenario.ts';
import { scenarioFromFragment, scenarioToFragment } from '../../src/core/scenario-link.ts';
import { scenarioExampleFiles } from './example-files.ts';

const kValidExamples = scenarioExampleFiles().flatMap(({ file, json }) => {
  const parsed = parseScenario(json);
  return parsed.ok ? [{ file, json, scenario: parsed.scenario }] : [];
});

test('there are valid examples to round-trip', () => {
  expect(kValidExamples.length).toBeGreaterThanOrEqual(5);
});

test.each(kValidExamples)('$file: scenario → link → scenario is the identity', ({ scenario }) => {
  const fragment = scenarioToFragment(scenario);
  expect(fragment).toMatch(/^scenario=[A-Za-z0-9+\-$]+$/);
  expect(scenarioFromFragment(`#${fragment}`)).toEqual({ kind: 'scenario', scenario });
  // A link pasted into a query-string parser turns '+' into ' '; it must still open.
  expect(scenarioFromFragment(fragment.replace(/\+/g, ' '))).toEqual({ kind: 'scenario', scenario });
});

test.each([
  { what: 'no scenario in the fragment', fragment: '#tab=plan', kind: 'none' },
  { what: 'an empty fragment', fragment: '', kind: 'none' },
  { what: 'garbage', fragment: '#scenario=%%%not-lz', kind: 'error' },
  { what: 'a cut-short link', fragment: `#${scenarioToFragment(kValidExamples[0].scenario).slice(0, 40)}`, kind: 'error' },
  { what: 'valid JSON that is not a scenario', fragment: `#scenario=${compressToEncodedURIComponent('{"version":1}')}`, kind: 'error' },
])('$what → $kind', ({ fragment, kind }) => {
  const linked = scenarioFromFragment(fragment);
  expect(linked.kind).toBe(kind);
  if (linked.kind === 'error') expect(linked.message).toMatch(/link/);
});

test.each(kValidExamples)('$file: scenario → file → scenario is the identity', ({ json, scenario }) => {
  // What Download JSON writes and Open JSON… reads: the scenario as JSON text, as the user
  // wrote it (defaults left out) or as a run saved it (every default applied).
  for (const written of [json, scenario]) {
    const text = `${JSON.stringify(written, null, 2)}\n`;
    expect(parseScenario(JSON.parse(text))).toEqual({ ok: true, scenario });
  }
});
