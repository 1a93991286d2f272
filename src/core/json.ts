/**
 * JSON for values that hold bigints: byte counts stay numbers while they are safe
 * integers and become decimal strings beyond, so no reader loses precision silently.
 */

/** A `JSON.stringify` replacer that writes bigints as numbers or, past 2^53, decimal strings. */
export function bigintReplacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
}

/** `JSON.stringify` with {@link bigintReplacer}. */
export function stringifyJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, bigintReplacer, indent);
}

/**
 * A user-given JSON value as short text for a message. Never throws: `String(x)` does on
 * an object whose `toString` is not a function (`{"toString": 1}`).
 */
export function describeJsonValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? JSON.stringify(value) : String(value);
  try {
    const text = JSON.stringify(value, bigintReplacer) ?? typeof value;
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  } catch {
    return Array.isArray(value) ? 'a list' : 'an object';
  }
}
