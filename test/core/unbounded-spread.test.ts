// No list of unbounded length is spread into a call anywhere in src/: past about 100 000
// items it overflows the stack (`Math.max(...rows)` did, on a plan of 200 000 arrays).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const kSrc = fileURLToPath(new URL('../../src/', import.meta.url));
/** Calls that take their list as arguments; array and object literals may spread freely. */
const kSpreadCall = /\b(?:Math\.(?:max|min)|\.push|\.unshift|\.splice|String\.fromCharCode|\.apply)\((?:[^(){}]*,\s*)?\.\.\./;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('no call in src/ takes a spread list', () => {
  const found = sourceFiles(kSrc).flatMap((file) =>
    readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (kSpreadCall.test(line) ? [`${file.slice(kSrc.length)}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(found).toEqual([]);
});

test('the check finds what it looks for', () => {
  expect(kSpreadCall.test('const w = Math.max(...rows.map((r) => r.length));')).toBe(true);
  expect(kSpreadCall.test('issues.push(...more);')).toBe(true);
  expect(kSpreadCall.test("lines.push('', ...more);")).toBe(true);
  expect(kSpreadCall.test('const all = [...a, ...b];')).toBe(false);
  expect(kSpreadCall.test("events.push({ t, kind: 'free', ...place });")).toBe(false);
});
