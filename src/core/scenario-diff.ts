/**
 * Which settings differ between two scenarios, each with both values in words, so a
 * comparison can name its sides by what differs ("B: budget 8 MiB → 16 MiB") and list
 * every difference. Pure; settings are compared leaf by leaf, defaults applied.
 */
import { stringifyJson } from './json.ts';
import { formatPath, isJsonObject, type Scenario } from './scenario.ts';
import { formatBytes } from './units.ts';

/** One setting that differs: where, and its value on each side (`—` where a side lacks it). */
export interface SettingDifference {
  /** The path of the setting, as issues write it: `device.budgetBytes`, `arrays[3].dtype`. */
  path: string;
  a: string;
  b: string;
}

/** Every setting whose value differs between `a` and `b`, in the order of `a`'s fields. */
export function scenarioDifferences(a: Scenario, b: Scenario): SettingDifference[] {
  const left = leaves(a);
  const right = leaves(b);
  const differences: SettingDifference[] = [];
  for (const path of new Set([...left.keys(), ...right.keys()])) {
    const x = left.get(path);
    const y = right.get(path);
    if (x !== y) differences.push({ path, a: words(path, x), b: words(path, y) });
  }
  return differences;
}

/** `budget 8 MiB → 16 MiB`, plus how many more settings differ: a side's name in a comparison. */
export function differenceLabel(differences: readonly SettingDifference[]): string {
  if (differences.length === 0) return 'the same scenario';
  const [first] = differences;
  const more = differences.length - 1;
  return `${shortName(first.path)} ${first.a} → ${first.b}${more ? ` (and ${more} more ${more === 1 ? 'setting' : 'settings'})` : ''}`;
}

function shortName(path: string): string {
  return path === 'device.budgetBytes' ? 'budget' : path.replace(/^(planner|device\.limits|kernel|recovery)\./, '');
}

/**
 * The scenario's leaves: path → JSON text. A list of scalars (a shape, the ladder) is one
 * leaf; an empty list has none, so a fault on one side only shows as its fields.
 */
function leaves(value: unknown, keys: (string | number)[] = [], out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value) && (value.length === 0 || value.some((v) => typeof v === 'object' && v !== null))) {
    value.forEach((v, i) => leaves(v, [...keys, i], out));
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) leaves(value[key], [...keys, key], out);
  } else {
    out.set(formatPath(keys), stringifyJson(value, 0));
  }
  return out;
}

function words(path: string, json: string | undefined): string {
  if (json === undefined) return '—';
  const value: unknown = JSON.parse(json);
  if (typeof value === 'number' && /(Bytes|Size)$/.test(path)) return formatBytes(value);
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return typeof value === 'string' ? value : json;
}
