/**
 * Legacy allocation requests → a scenario.
 *
 * GPU batch solvers often describe their allocations as array requests:
 * `{ shape, dtype, chunk_axis_index, total_runs, unchunkable, memory }`. Importing a
 * list of them (or a label → request map) lets a user replay their solver's allocation
 * here. The classic mistakes of that API are named plainly rather than crashing.
 */
import type { Dtype } from './dtypes.ts';
import { isJsonObject, kRunsAxis, parseScenario, type ArraySpec, type Scenario, type ScenarioIssue } from './scenario.ts';

/** Stable codes of the mistakes an import names. */
export const kLegacyMistakes = [
  'NOT_A_REQUEST_LIST',
  'MALFORMED_REQUEST',
  'TOTAL_RUNS_DISAGREE',
  'CHUNKED_WITHOUT_TOTAL_RUNS',
  'CHUNK_AXIS_OUTSIDE_SHAPE',
  'UNIT_CHUNK_AXIS',
  'CHUNK_AXIS_LENGTH_MISMATCH',
  'FIXED_WITH_TOTAL_RUNS',
  'NO_CHUNKED_REQUEST',
] as const;
/** One of {@link kLegacyMistakes}. */
export type LegacyMistakeCode = (typeof kLegacyMistakes)[number];

/** A mistake in the requests: its code, where, and what to do. */
export interface LegacyMistake {
  code: LegacyMistakeCode;
  path: string;
  message: string;
}

/** The outcome of {@link importLegacyRequests}. */
export type LegacyImport =
  | { ok: true; scenario: Scenario; notes: string[] }
  | { ok: false; mistakes: LegacyMistake[]; issues: ScenarioIssue[] };

/** What the import may take beside the requests. */
export interface LegacyImportOptions {
  /** The scenario's name. */
  name?: string;
  /** The budget to plan against; the scenario default when absent. */
  budgetBytes?: number;
}

/** Legacy dtype names → dtypes; a Map, so `"constructor"` names nothing. */
const kLegacyDtypes: ReadonlyMap<string, Dtype> = new Map([
  ['float16', 'f16'],
  ['float32', 'f32'],
  ['float64', 'f64'],
  ['int32', 'i32'],
  ['uint32', 'u32'],
  ['f16', 'f16'],
  ['f32', 'f32'],
  ['f64', 'f64'],
  ['i32', 'i32'],
  ['u32', 'u32'],
]);
const kMemories = ['device', 'mapped', 'pinned', 'managed'] as const;

interface Request {
  path: string;
  label: string;
  shape: number[];
  dtype: Dtype;
  chunkAxis: number;
  totalRuns: number | undefined;
  unchunkable: boolean;
  memory: (typeof kMemories)[number];
}

/**
 * Converts a list (or label → request map) of legacy array requests into a scenario.
 * Every mistake is named, not only the first: each request's fields are checked apart,
 * and the well-formed requests are checked together even when others are malformed.
 * Never throws.
 */
export function importLegacyRequests(json: unknown, options: LegacyImportOptions = {}): LegacyImport {
  const entries = requestEntries(json);
  if (!entries) {
    return fail([{ code: 'NOT_A_REQUEST_LIST', path: '', message: 'expected a list of array requests, or an object mapping labels to requests' }]);
  }
  const mistakes: LegacyMistake[] = [];
  const requests = entries.flatMap(([path, label, raw]) => {
    const request = readRequest(path, label, raw, mistakes);
    return request ? [request] : [];
  });

  const notes: string[] = [];
  const device = requests.filter((r) => {
    if (r.memory === 'device') return true;
    notes.push(`${r.path} ("${r.label}") is ${r.memory} host memory: left out of the device budget`);
    return false;
  });

  const chunked: (Request & { totalRuns: number })[] = [];
  for (const r of device) {
    if (r.unchunkable) {
      if (r.totalRuns !== undefined) {
        mistakes.push({
          code: 'FIXED_WITH_TOTAL_RUNS',
          path: `${r.path}.total_runs`,
          message: `"${r.label}" is unchunkable (a fixed array) but gives total_runs ${r.totalRuns} — drop total_runs, or set unchunkable to false`,
        });
      }
    } else if (r.totalRuns === undefined) {
      mistakes.push({
        code: 'CHUNKED_WITHOUT_TOTAL_RUNS',
        path: r.path,
        message: `"${r.label}" may be chunked but has no total_runs, so nothing says how many runs its chunk axis holds — give total_runs, or mark it unchunkable`,
      });
    } else {
      chunked.push({ ...r, totalRuns: r.totalRuns });
    }
  }

  const runs = batchRuns(chunked);
  for (const r of chunked) {
    if (r.chunkAxis < 0 || r.chunkAxis >= r.shape.length) {
      mistakes.push({
        code: 'CHUNK_AXIS_OUTSIDE_SHAPE',
        path: `${r.path}.chunk_axis_index`,
        message: `chunk_axis_index ${r.chunkAxis} is outside the ${r.shape.length}-d shape [${r.shape.join(', ')}] of "${r.label}" — use 0 to ${r.shape.length - 1}`,
      });
    }
    if (runs && r.totalRuns !== runs.value) {
      // The disagreement is the mistake; a length at the chunk axis that differs follows from it.
      mistakes.push({
        code: 'TOTAL_RUNS_DISAGREE',
        path: `${r.path}.total_runs`,
        message: r.totalRuns === 1
          ? `"${r.label}" gives total_runs 1 but ${runs.path} gives ${runs.value} — an array that is the same for every run is a fixed array: mark it unchunkable and drop total_runs`
          : `"${r.label}" gives total_runs ${r.totalRuns} but ${runs.path} gives ${runs.value} — every chunked request of one batch has the same total_runs`,
      });
      continue;
    }
    const length = r.shape[r.chunkAxis];
    if (length === undefined || length === r.totalRuns) continue;
    mistakes.push(
      length === 1
        ? {
            code: 'UNIT_CHUNK_AXIS',
            path: `${r.path}.shape[${r.chunkAxis}]`,
            message: `"${r.label}" has length 1 at its chunk axis ${r.chunkAxis}, but total_runs is ${r.totalRuns} — the chunk axis index likely points at the wrong axis, or the shape was built for one run`,
          }
        : {
            code: 'CHUNK_AXIS_LENGTH_MISMATCH',
            path: `${r.path}.shape[${r.chunkAxis}]`,
            message: `"${r.label}" has length ${length} at its chunk axis ${r.chunkAxis}, but total_runs is ${r.totalRuns} — they must be equal`,
          },
    );
  }
  if (mistakes.length) return fail(mistakes);
  if (!runs) {
    return fail([{ code: 'NO_CHUNKED_REQUEST', path: '', message: 'no device request is chunked, so nothing says how many runs the batch has — give one request a total_runs' }]);
  }

  const names = new Set<string>();
  const arrays: ArraySpec[] = device.map((r) => ({
    name: uniqueName(identifier(r.label), names),
    // Requests do not say which way data flows: inout uploads and reads back, the safe choice.
    role: 'inout',
    dtype: r.dtype,
    shape: r.unchunkable ? r.shape : r.shape.map((d, axis) => (axis === r.chunkAxis ? kRunsAxis : d)),
  }));
  const input = {
    version: 1,
    name: options.name ?? 'Imported requests',
    runs: runs.value,
    arrays,
    ...(options.budgetBytes !== undefined && { device: { budgetBytes: options.budgetBytes } }),
  };
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, mistakes: [], issues: parsed.issues };
  return { ok: true, scenario: parsed.scenario, notes };
}

function requestEntries(json: unknown): [path: string, label: string, raw: unknown][] | undefined {
  if (Array.isArray(json)) {
    return json.map((raw, i) => {
      const label = isJsonObject(raw) && typeof (raw.label ?? raw.name) === 'string' ? String(raw.label ?? raw.name) : `array_${i}`;
      return [`[${i}]`, label, raw];
    });
  }
  if (isJsonObject(json)) return Object.entries(json).map(([label, raw]) => [label, label, raw]);
  return undefined;
}

/**
 * The batch's runs: the total_runs most chunked requests give, and where it is first
 * given. On a tie a count above 1 wins (total_runs 1 is how a fixed array is often
 * mis-described), then the first given.
 */
function batchRuns(chunked: readonly (Request & { totalRuns: number })[]): { value: number; path: string } | undefined {
  const counts = new Map<number, { value: number; count: number; path: string }>();
  for (const r of chunked) {
    const entry = counts.get(r.totalRuns) ?? { value: r.totalRuns, count: 0, path: `${r.path}.total_runs` };
    entry.count++;
    counts.set(r.totalRuns, entry);
  }
  let best: { value: number; count: number; path: string } | undefined;
  for (const entry of counts.values()) {
    if (!best || entry.count > best.count || (entry.count === best.count && best.value === 1 && entry.value !== 1)) best = entry;
  }
  return best && { value: best.value, path: best.path };
}

function readRequest(path: string, label: string, raw: unknown, mistakes: LegacyMistake[]): Request | undefined {
  const before = mistakes.length;
  const bad = (field: string, message: string) => {
    mistakes.push({ code: 'MALFORMED_REQUEST', path: field ? `${path}.${field}` : path, message });
    return undefined;
  };
  if (!isJsonObject(raw)) return bad('', 'must be an object with shape and dtype');
  const shape = raw.shape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    bad('shape', 'must be a non-empty list of positive integers');
  }
  // Only a string names a dtype: String() of any other value can throw (an object without a prototype) or pass (["f32"]).
  const dtypeName = raw.dtype ?? 'float64';
  const dtype = typeof dtypeName === 'string' ? kLegacyDtypes.get(dtypeName) : undefined;
  if (!dtype) bad('dtype', `must be one of ${[...kLegacyDtypes.keys()].join(', ')}`);
  const memory = raw.memory ?? 'device';
  if (!kMemories.includes(memory as Request['memory'])) bad('memory', `must be one of ${kMemories.join(', ')}`);
  // The solvers' default puts runs on the last axis ("time, variable, run").
  const chunkAxis = raw.chunk_axis_index ?? (Array.isArray(shape) ? shape.length - 1 : 0);
  if (!Number.isSafeInteger(chunkAxis)) bad('chunk_axis_index', 'must be an integer');
  const totalRuns = raw.total_runs ?? undefined;
  if (totalRuns !== undefined && !(Number.isSafeInteger(totalRuns) && (totalRuns as number) > 0)) {
    bad('total_runs', 'must be a positive integer');
  }
  const unchunkable = raw.unchunkable ?? false;
  if (typeof unchunkable !== 'boolean') bad('unchunkable', 'must be true or false');
  if (mistakes.length > before || !dtype) return undefined;
  return {
    path,
    label,
    shape: shape as number[],
    dtype,
    chunkAxis: chunkAxis as number,
    totalRuns: totalRuns as number | undefined,
    unchunkable: unchunkable as boolean,
    memory: memory as Request['memory'],
  };
}

function identifier(label: string): string {
  const cleaned = label.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}_${i}`;
  taken.add(candidate);
  return candidate;
}

function fail(mistakes: LegacyMistake[]): LegacyImport {
  return { ok: false, mistakes, issues: [] };
}
