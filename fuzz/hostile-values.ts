/**
 * Values that try to break a reader: anything JavaScript can hold (prototype-named keys,
 * null-prototype objects, sparse arrays, bigints, -0, NaN), and real files with a few
 * mutations (a value replaced, a key removed or added, a number made huge or fractional,
 * a byte-order mark, deep nesting). Every generator is seeded, so a finding replays.
 */
import fc from 'fast-check';

/** Keys that find something on `Object.prototype` when looked up carelessly. */
export const kPrototypeKeys = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__', 'isPrototypeOf'] as const;

const kKey = fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(...kPrototypeKeys) });

/** Any value at all, prototype-named keys likely. */
export const kAnything = fc.anything({
  key: kKey,
  maxDepth: 4,
  withBigInt: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withBoxedValues: true,
});

/** Values that keep a file close to valid, so the mutations also reach the code past validation. */
export const kGentle = [0, 1, 2, 3, 7, 64, 1024, 65_535, 2 ** 20, 2 ** 30, 'runs', 'f32', 'u32', 'f16', 'f64', 'input', 'output', 'inout', 'scratch', [1, 'runs'], ['runs'], [4, 4], true, false, 'shrink', 'cpu', 'out-of-memory'] as const;

/** Numbers a careless check lets through. */
export const kAwkwardNumbers = [0, -0, -1, 0.5, 1e-300, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 2 ** 64, -(2 ** 31), Infinity, -Infinity, NaN] as const;

/** A seeded source of random choices (mulberry32): mutations must replay from a seed. */
export class Random {
  private _state: number;
  constructor(seed: number) {
    this._state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this._state = (this._state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
}

/** `count` values of `arbitrary`, from `seed`. */
export function sample<T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number): T[] {
  return fc.sample(arbitrary, { numRuns: count, seed });
}

/** Paths to every value inside `root` (objects and arrays), `[]` being the root itself. */
function pathsOf(root: unknown, limit = 400): (string | number)[][] {
  const paths: (string | number)[][] = [[]];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (paths.length >= limit || value === null || typeof value !== 'object') return;
    // Plain objects and arrays only: a boxed string's characters cannot be replaced.
    const proto = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return;
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
      const next = [...path, key];
      paths.push(next);
      walk((value as Record<string | number, unknown>)[key], next);
    }
  };
  walk(root, []);
  return paths;
}

function deeplyNested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/**
 * `base` with 1–`maxMutations` mutations chosen by `random`, each at a random place: a
 * value replaced by one of `replacements` (unless `gentle`, also by an awkward number, a
 * string with a byte-order mark or a value nested thousands deep); a key removed; a
 * prototype-named key added.
 */
export function mutate(base: unknown, random: Random, replacements: readonly unknown[], { maxMutations = 4, gentle = false } = {}): unknown {
  let root = structuredClone(base);
  const count = 1 + random.below(maxMutations);
  for (let m = 0; m < count; m++) {
    const path = random.pick(pathsOf(root));
    const replacement = (() => {
      // Gentle: only the given replacements, so most results stay valid.
      switch (gentle ? 5 : random.below(6)) {
        case 0:
          return random.pick(kAwkwardNumbers);
        case 1:
          return `\uFEFF${random.pick(['f32', 'runs', 'lorenz-rk4', 'input', 'shrink', ''])}`;
        case 2:
          return deeplyNested(500 + random.below(5000), random.pick([1, 'runs', null]));
        default:
          return random.pick(replacements);
      }
    })();
    if (path.length === 0) {
      if (random.below(8) === 0) root = replacement;
      continue;
    }
    const parent = path.slice(0, -1).reduce<any>((v, k) => v[k], root);
    const key = path.at(-1)!;
    const action = random.below(5);
    if (action === 0 && !Array.isArray(parent)) delete parent[key];
    else if (action === 1 && !Array.isArray(parent)) Object.defineProperty(parent, random.pick(kPrototypeKeys), { value: replacement, enumerable: true, configurable: true, writable: true });
    else if (action === 2 && Array.isArray(parent)) parent.push(replacement);
    else parent[key] = replacement;
  }
  return root;
}
