/**
 * A scenario inside a link: the whole scenario, compressed into the URL fragment, so a
 * bug report is one click from its exact set-up.
 */
// lz-string is CommonJS whose exports Node cannot name: a default import loads in Node
// (the CLI, `npm run fuzz`) as well as through Vite.
import LZString from 'lz-string';
import { parseScenario, type Scenario, type ScenarioIssue } from './scenario.ts';

/** The fragment key that holds a scenario: `#scenario=…`. */
export const kLinkKey = 'scenario';

/** The URL fragment (without `#`) that carries `scenario`. */
export function scenarioToFragment(scenario: Scenario): string {
  return `${kLinkKey}=${LZString.compressToEncodedURIComponent(JSON.stringify(scenario))}`;
}

/** What a fragment held: no scenario, a scenario, or a sentence on why it could not be read. */
export type LinkedScenario =
  | { kind: 'none' }
  | { kind: 'scenario'; scenario: Scenario }
  | { kind: 'error'; message: string; issues: ScenarioIssue[] };

/** What a fragment's `key` held once unpacked: nothing, JSON, or why it could not be read. */
export type PackedJson = { kind: 'none' } | { kind: 'json'; json: unknown } | { kind: 'error'; message: string };

/**
 * Unpacks the JSON a link carries under `key` (a scenario's or a workload's), naming
 * `what` in its sentences. Never throws.
 */
export function packedJsonFromFragment(fragment: string, key: string, what: string): PackedJson {
  const params = new URLSearchParams(typeof fragment === 'string' ? fragment.replace(/^#/, '') : '');
  const packed = params.get(key);
  if (packed === null) return { kind: 'none' };
  // URLSearchParams turns '+' into ' '; lz-string's URI alphabet uses '+'.
  let text: string | null;
  try {
    text = LZString.decompressFromEncodedURIComponent(packed.replace(/ /g, '+'));
  } catch {
    // lz-string throws on some cut-short inputs ("scenario=y") instead of returning null.
    text = null;
  }
  if (!text) return { kind: 'error', message: `this link does not hold a chunkscope ${what} (it may be cut short)` };
  try {
    return { kind: 'json', json: JSON.parse(text) };
  } catch {
    return { kind: 'error', message: `this link holds damaged ${what} data (it may be cut short)` };
  }
}

/** Reads the scenario from a URL fragment (with or without `#`). Never throws. */
export function scenarioFromFragment(fragment: string): LinkedScenario {
  const unpacked = packedJsonFromFragment(fragment, kLinkKey, 'scenario');
  if (unpacked.kind !== 'json') return unpacked.kind === 'none' ? unpacked : { ...unpacked, issues: [] };
  const parsed = parseScenario(unpacked.json);
  if (parsed.ok) return { kind: 'scenario', scenario: parsed.scenario };
  return { kind: 'error', message: 'this link holds a scenario that is not valid', issues: parsed.issues };
}
