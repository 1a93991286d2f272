// Byte counts as people read them: binary units, exact bytes where they must compare.
import { expect, test } from 'vitest';
import { formatBytes, formatBytesExact, formatRatio } from '../../src/core/units.ts';

test.each([
  { bytes: 0, text: '0 B' },
  { bytes: 1023, text: '1023 B' },
  { bytes: 1024, text: '1 KiB' },
  { bytes: 1536, text: '1.5 KiB' },
  { bytes: 67_108_864, text: '64 MiB' },
  { bytes: 2n ** 70n, text: '1 ZiB' },
  { bytes: 1_073_741_824n * 5n / 2n, text: '2.5 GiB' },
])('formatBytes($bytes) = $text', ({ bytes, text }) => {
  expect(formatBytes(bytes)).toBe(text);
});

test('formatBytesExact adds the exact count once rounding would hide it', () => {
  expect(formatBytesExact(400)).toBe('400 B');
  expect(formatBytesExact(268_468_224)).toBe('256 MiB (268,468,224 B)');
});

test.each([
  { ratio: 1.95, text: '1.95×' },
  { ratio: 1.994, text: '1.99×' },
  { ratio: 2, text: '2×' },
  { ratio: 16.42, text: '16.4×' },
  { ratio: 240.4, text: '240×' },
  { ratio: 16.376, text: '16.4×' },
  { ratio: Infinity, text: '∞×' },
])('formatRatio($ratio) = $text: one way to print a ratio', ({ ratio, text }) => {
  expect(formatRatio(ratio)).toBe(text);
});
