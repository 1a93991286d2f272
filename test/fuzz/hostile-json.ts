/**
 * Hostile JSON for the readers' fuzz properties: any value, with keys that reach into
 * Object.prototype, byte-order marks, huge and odd numbers and deep nesting; and valid
 * documents with one value somewhere inside replaced by such a value, so a reader is
 * driven past its first checks into the field readers where the throws hide.
 */
import fc from 'fast-check';

/** Keys that are members of Object.prototype, or were once a way to pollute it. */
export const kPrototypeKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toJSON'];

const key = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 2, arbitrary: fc.constantFrom(...kPrototypeKeys) });

const oddNumber = fc.constantFrom(
  0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 52, 2 ** 53, 2 ** 64, 1e-320, 0.1, NaN, Infinity, -Infinity,
);
const oddString = fc.constantFrom('\uFEFF{}', '\uFEFF', 'runs', '', ' '.repeat(3), '\u0000', '__proto__', 'f32', 'constructor');

/** Any value a hostile file, message or link can hold (plus what JSON cannot, for in-process callers). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ key, maxDepth: 4, withNullPrototype: true, withBoxedValues: true, withSparseArray: true }),
  fc.jsonValue({ maxDepth: 4 }),
  oddNumber,
  oddString,
  deeplyNested(),
  // An object whose toString or valueOf is no function: String(x) and `${x}` throw on it.
  fc.dictionary(fc.constantFrom(...kPrototypeKeys), fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { minKeys: 1 }),
);

function deeplyNested(): fc.Arbitrary<unknown> {
  return fc.integer({ min: 50, max: 2000 }).map((depth) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
    return value;
  });
}

/** Every path (list of keys) into a JSON value, the root included. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

/** `doc` (plain JSON) with the value at `path` replaced, or with a key added beside it. */
function replaced(doc: unknown, path: (string | number)[], value: unknown, addKey?: string): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(doc));
  if (path.length === 0) return value;
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (addKey !== undefined && !Array.isArray(parent)) Object.defineProperty(parent, addKey, { value, enumerable: true, writable: true, configurable: true });
  else parent[last] = value;
  return copy;
}

/** `doc` with one value somewhere inside it replaced by a hostile one, or a hostile key added. */
export function mutationsOf(doc: unknown): fc.Arbitrary<unknown> {
  // Paths grouped by depth, a depth picked first: a trace's few top-level fields are hit
  // as often as its thousands of event fields.
  const byDepth = new Map<number, (string | number)[][]>();
  for (const path of pathsOf(doc)) byDepth.set(path.length, [...(byDepth.get(path.length) ?? []), path]);
  const path = fc.constantFrom(...byDepth.values()).chain((paths) => fc.constantFrom(...paths));
  return fc.tuple(path, hostileValue, fc.option(key, { nil: undefined })).map(([path, value, addKey]) => replaced(doc, path, value, addKey));
}
