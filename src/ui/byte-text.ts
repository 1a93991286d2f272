/**
 * Byte counts as people type them: `8388608`, `8 MiB`, `1.5 GiB`, `64k`.
 *
 * Binary units (KiB = 1024 B) as everywhere in chunkscope; KB, MB and GB are read as
 * their binary twins too, because a budget typed as "8 MB" almost always means 8 MiB.
 */

// A Map: a typed unit such as "constructor" must find nothing.
const kUnitShift: ReadonlyMap<string, number> = new Map(Object.entries({ b: 0, k: 10, kb: 10, kib: 10, m: 20, mb: 20, mib: 20, g: 30, gb: 30, gib: 30, t: 40, tb: 40, tib: 40 }));

/** The byte count `text` names, or undefined when it names none (fractions of a byte included). */
export function parseByteText(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)(?:e(\d+))?\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const shift = kUnitShift.get((match[3] || 'b').toLowerCase());
  if (shift === undefined) return undefined;
  const bytes = Number(match[1]) * 10 ** Number(match[2] ?? 0) * 2 ** shift;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** Positions of the budget slider: 1, 1.25, 1.5, 1.75 × each power of two from 1 KiB to 64 GiB. */
export const kBudgetSteps: readonly number[] = Array.from({ length: 26 * 4 + 1 }, (_, i) => 2 ** (10 + Math.floor(i / 4)) * (1 + (i % 4) / 4));

/** The slider position nearest `bytes` (on a log scale). */
export function nearestBudgetStep(bytes: number): number {
  if (!(bytes > 0)) return 0;
  let best = 0;
  for (let i = 1; i < kBudgetSteps.length; i++) {
    if (Math.abs(Math.log2(kBudgetSteps[i] / bytes)) < Math.abs(Math.log2(kBudgetSteps[best] / bytes))) best = i;
  }
  return best;
}

const kExactUnits = [
  ['TiB', 40],
  ['GiB', 30],
  ['MiB', 20],
  ['KiB', 10],
] as const;

/** `8388608` → `"8 MiB"`, `1572864` → `"1.5 MiB"`, `8388264` → `"8388264 B"`: a unit only where it is exact. */
export function exactByteText(bytes: number): string {
  for (const [unit, shift] of kExactUnits) {
    const value = bytes / 2 ** shift;
    // Three decimals at most, and exact: dividing by a power of two loses nothing.
    if (value >= 1 && Number.isInteger(value * 1000) && value * 2 ** shift === bytes) return `${value} ${unit}`;
  }
  return `${bytes} B`;
}
