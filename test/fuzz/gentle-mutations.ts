/**
 * What `npm run fuzz` adds to hostile-json.ts: a seeded source of choices (so a finding
 * replays from its seed) and gentle mutations, one plausible value put somewhere in a
 * real file, so that many results stay valid and reach the planner and the runs.
 */

/** Values that keep a file close to valid. */
export const kGentle = [0, 1, 2, 3, 7, 64, 1024, 65_535, 2 ** 20, 2 ** 30, 'runs', 'f32', 'u32', 'f16', 'f64', 'input', 'output', 'inout', 'scratch', [1, 'runs'], ['runs'], [4, 4], true, false, 'shrink', 'cpu', 'out-of-memory'] as const;

/** A seeded source of random choices (mulberry32). */
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

/** Paths to every value inside a plain JSON document, `[]` being the root itself. */
function pathsOf(root: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [[]];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (value === null || typeof value !== 'object') return;
    for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
      const next = [...path, key];
      paths.push(next);
      walk((value as Record<string | number, unknown>)[key], next);
    }
  };
  walk(root, []);
  return paths;
}

/** `doc` (plain JSON) with one value inside replaced by a gentle one, or one key removed. */
export function gentlyMutated(doc: unknown, random: Random): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(doc));
  const path = random.pick(pathsOf(copy).slice(1));
  if (!path) return copy;
  const parent = path.slice(0, -1).reduce<any>((v, k) => v[k], copy);
  const key = path.at(-1)!;
  if (random.below(6) === 0 && !Array.isArray(parent)) delete parent[key];
  else parent[key] = structuredClone(random.pick(kGentle));
  return copy;
}
