/**
 * What a JSON file dropped or opened on the app holds, judged by its content rather
 * than its name: people rename files, and a solver's dump is called anything.
 */
import { isJsonObject } from '../core/scenario.ts';
import { kTraceFormat } from '../core/trace-file.ts';
import { isWorkloadJson } from '../core/workload.ts';

/** The kinds of JSON the app opens, and `foreign` for any other. */
export type JsonFileKind = 'scenario' | 'workload' | 'legacy-requests' | 'trace' | 'foreign';

/**
 * A trace says so in `format`, a workload in `kind`; legacy requests are a list, or a map whose every value
 * has a `shape`; a scenario is an object with any of its own top-level keys (so an
 * invalid one still reaches the editor, which names its problems).
 */
export function jsonFileKind(json: unknown): JsonFileKind {
  if (Array.isArray(json)) return 'legacy-requests';
  if (!isJsonObject(json)) return 'foreign';
  if (json.format === kTraceFormat) return 'trace';
  if (isWorkloadJson(json)) return 'workload';
  if ('version' in json || 'runs' in json || 'arrays' in json) return 'scenario';
  const values = Object.values(json);
  if (values.length > 0 && values.every((v) => isJsonObject(v) && 'shape' in v)) return 'legacy-requests';
  return 'foreign';
}
