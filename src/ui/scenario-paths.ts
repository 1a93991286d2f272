/**
 * Editing a scenario as JSON by path, and finding the validator's issues for a field.
 *
 * The editor keeps the scenario as the user wrote it, invalid parts included, so the
 * validator's paths (`arrays[2].shape[1]`) point at the very field that holds them.
 */
import { isJsonObject, type ScenarioIssue } from '../core/scenario.ts';

/** A path into JSON: object keys and array indices. */
export type JsonPath = readonly (string | number)[];

/** `['arrays', 2, 'shape']` → `arrays[2].shape`, the validator's way of writing paths. */
export function pathText(path: JsonPath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A copy of `root` with the value at `path` replaced; `undefined` removes an object key. */
export function setAt(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  if (typeof key === 'number') {
    const list = Array.isArray(root) ? [...root] : [];
    list[key] = setAt(list[key], rest, value);
    return list;
  }
  const record: Record<string, unknown> = isJsonObject(root) ? { ...root } : {};
  const next = setAt(record[key], rest, value);
  if (next === undefined) delete record[key];
  else record[key] = next;
  return record;
}

/** The value at `path`, or undefined where the path leads nowhere. */
export function getAt(root: unknown, path: JsonPath): unknown {
  let value = root;
  for (const key of path) {
    if (typeof key === 'number' ? !Array.isArray(value) : !isJsonObject(value)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** Whether an issue at `issuePath` belongs to the field at `fieldPath` (itself or something inside it). */
export function isWithin(issuePath: string, fieldPath: string): boolean {
  return issuePath === fieldPath || issuePath.startsWith(`${fieldPath}[`) || issuePath.startsWith(`${fieldPath}.`);
}

/** The issues at or inside `fieldPath`. */
export function issuesWithin(issues: readonly ScenarioIssue[], fieldPath: string): ScenarioIssue[] {
  return issues.filter((issue) => isWithin(issue.path, fieldPath));
}
