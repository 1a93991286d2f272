// --host-budget is read without ever throwing: a positive whole number of bytes, the machine's default when absent, else a sentence.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { defaultHostBudget, readHostBudget } from '../../src/cli/host-options.ts';

test.each([
  ['1', 1],
  ['67108864', 67108864],
  ['9007199254740991', 9007199254740991],
])('%s bytes', (value, bytes) => {
  expect(readHostBudget(value)).toEqual({ ok: true, bytes });
});

test('absent: half of this machine\'s memory', () => {
  expect(readHostBudget(undefined)).toEqual({ ok: true, bytes: defaultHostBudget() });
  expect(defaultHostBudget()).toBeGreaterThan(0);
});

test('any value is a budget or a sentence naming the flag, never an exception', () => {
  const prototypeNamed = fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', '-1', '0', '1e3', '0x10', ' 5', '5 ', '', '9007199254740993', '١٢');
  fc.assert(
    fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.string(), prototypeNamed), (value) => {
      const read = readHostBudget(value);
      if (read.ok) expect(Number.isSafeInteger(read.bytes) && read.bytes > 0).toBe(true);
      else expect(read.message).toMatch(/^--host-budget must be a positive whole number of bytes, got /);
    }),
    { numRuns: 3000, seed: 5 },
  );
});
