/**
 * What a JSON file dropped or opened on the app holds, judged by its content rather
 * than its name: people rename files, and a solver's dump is called anything.
 */
import { isJsonObject } from '../core/scenario.ts';
import { kTraceFormat } from '../core/trace-file.ts';

/** The kinds of JSON the app opens, and `foreign` for any other. */
export type JsonFileKind = 'scenario' | 'legacy-requests' | 'trace' | 'pytorch-snapshot' | 'foreign';

/**
 * A trace says so in `format`; legacy requests are a list, or a map whose every value
 * has a `shape`; a scenario is an object with any of its own top-level keys (so an
 * invalid one still reaches the editor, which names its problems); a PyTorch snapshot
 * (`torch.cuda.memory._snapshot()`) has `segments` or `device_traces`, either one, so a
 * broken one still reaches the snapshot reader, which names its problems.
 */
export function jsonFileKind(json: unknown): JsonFileKind {
  if (Array.isArray(json)) return 'legacy-requests';
  if (!isJsonObject(json)) return 'foreign';
  if (json.format === kTraceFormat) return 'trace';
  if ('version' in json || 'runs' in json || 'arrays' in json) return 'scenario';
  if (Object.hasOwn(json, 'segments') || Object.hasOwn(json, 'device_traces')) return 'pytorch-snapshot';
  const values = Object.values(json);
  if (values.length > 0 && values.every((v) => isJsonObject(v) && 'shape' in v)) return 'legacy-requests';
  return 'foreign';
}
