/**
 * A workload inside a link, as scenario-link.ts carries a scenario: `#workload=…`, the
 * workload's JSON as written (it has no defaults-applied form to write back), compressed.
 */
import LZString from 'lz-string';
import { packedJsonFromFragment } from './scenario-link.ts';
import type { ScenarioIssue } from './scenario.ts';
import { isWorkloadJson, parseWorkload } from './workload.ts';

/** The fragment key that holds a workload: `#workload=…`. */
export const kWorkloadLinkKey = 'workload';

/** What a fragment held: no workload, a valid workload's JSON, or a sentence on why it could not be read. */
export type LinkedWorkload =
  | { kind: 'none' }
  | { kind: 'workload'; workload: Record<string, unknown> }
  | { kind: 'error'; message: string; issues: ScenarioIssue[] };

/** The URL fragment (without `#`) that carries the workload `json`, or its problems when it is not a valid workload. */
export function workloadToFragment(json: unknown): { ok: true; fragment: string } | { ok: false; issues: ScenarioIssue[] } {
  let text: string | undefined;
  try {
    text = JSON.stringify(json);
  } catch (error) {
    // A caller in the same process can hand a value JSON cannot write (a bigint, a cycle) among keys the schema ignores.
    return { ok: false, issues: [{ path: '', message: `cannot be written as JSON: ${(error as Error).message}` }] };
  }
  // What the link carries is checked, not the value handed in: JSON drops undefined values and functions.
  const carried: unknown = text === undefined ? undefined : JSON.parse(text);
  if (!isWorkloadJson(carried)) return { ok: false, issues: [{ path: 'kind', message: 'must be "workload"' }] };
  const parsed = parseWorkload(carried);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  return { ok: true, fragment: `${kWorkloadLinkKey}=${LZString.compressToEncodedURIComponent(text)}` };
}

/** Reads the workload from a URL fragment (with or without `#`). Never throws. */
export function workloadFromFragment(fragment: string): LinkedWorkload {
  const unpacked = packedJsonFromFragment(fragment, kWorkloadLinkKey, 'workload');
  if (unpacked.kind !== 'json') return unpacked.kind === 'none' ? unpacked : { ...unpacked, issues: [] };
  const { json } = unpacked;
  if (!isWorkloadJson(json)) return { kind: 'error', message: 'this link holds JSON that is not a workload', issues: [{ path: 'kind', message: 'must be "workload"' }] };
  const parsed = parseWorkload(json);
  if (!parsed.ok) return { kind: 'error', message: 'this link holds a workload that is not valid', issues: parsed.issues };
  return { kind: 'workload', workload: json as Record<string, unknown> };
}
