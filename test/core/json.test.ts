// Bigint byte counts in JSON: numbers while safe, decimal strings beyond 2^53.
import { expect, test } from 'vitest';
import { stringifyJson } from '../../src/core/json.ts';

test.each([
  { value: 0n, json: '0' },
  { value: 9_007_199_254_740_991n, json: '9007199254740991' },
  { value: 9_007_199_254_740_992n, json: '"9007199254740992"' },
  { value: -9_007_199_254_740_992n, json: '"-9007199254740992"' },
  { value: 10n ** 30n, json: '"1000000000000000000000000000000"' },
])('$value → $json', ({ value, json }) => {
  expect(stringifyJson({ bytes: value }, 0)).toBe(`{"bytes":${json}}`);
});
