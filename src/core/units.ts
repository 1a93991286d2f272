/**
 * Byte counts for people: binary units (KiB, MiB, GiB…), exact below 1 KiB.
 */
const kBinaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;

/** `1536` → `"1.5 KiB"`; `40` → `"40 B"`. Accepts numbers and bigints of any size. */
export function formatBytes(bytes: number | bigint): string {
  let value = typeof bytes === 'bigint' ? bytes : BigInt(Math.trunc(bytes));
  const negative = value < 0n;
  if (negative) value = -value;
  let unit = 0;
  // Divide in bigint until the remainder fits a float exactly, then finish in floats.
  let scaled = value;
  while (scaled >= 1n << 40n && unit < kBinaryUnits.length - 1) {
    scaled >>= 10n;
    unit++;
  }
  let n = Number(scaled);
  while (n >= 1024 && unit < kBinaryUnits.length - 1) {
    n /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(n) : trimZeros(n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0));
  return `${negative ? '-' : ''}${text} ${kBinaryUnits[unit]}`;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** Thousands separated by commas: `100000` → `"100,000"`. */
export function formatCount(n: number | bigint): string {
  return n.toLocaleString('en-US');
}

/** `400 B` below 1 KiB, else `1.5 MiB (1,572,864 B)`: exact where a person must compare. */
export function formatBytesExact(bytes: number | bigint): string {
  return BigInt(bytes) < 1024n ? `${bytes} B` : `${formatBytes(bytes)} (${formatCount(bytes)} B)`;
}

/** Milliseconds with a unit and no false precision: `3.2 ms`, `48 ms`, `1.25 s`. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/**
 * A ratio as a multiplier, the one way every view and command prints one: rounded to two
 * decimals below 10×, one below 100×, whole above (`1.95×`, `16.4×`, `240×`).
 */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '∞×';
  return `${trimZeros(ratio.toFixed(ratio < 10 ? 2 : ratio < 100 ? 1 : 0))}×`;
}
