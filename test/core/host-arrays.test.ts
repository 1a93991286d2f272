// Host arrays and the chunk layout: packing a chunk of any shape (chunk axis first, middle, last) and unpacking it back, with and without f16 conversion.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createStorage, elementCount, elementView, packChunk, runLayout, unpackChunk } from '../../src/core/host-arrays.ts';

const kShapes: { shape: (number | 'runs')[]; outer: number; inner: number }[] = [
  { shape: ['runs', 3], outer: 1, inner: 3 },
  { shape: [2, 'runs', 3], outer: 2, inner: 3 },
  { shape: [4, 'runs'], outer: 4, inner: 1 },
  { shape: [5, 6], outer: 1, inner: 30 },
];

describe.each(kShapes)('shape $shape', ({ shape, outer, inner }) => {
  const layout = runLayout(shape);

  test('has the run layout', () => {
    expect(layout).toEqual({ chunked: shape.includes('runs'), outer, inner });
  });

  test('a chunk holds exactly its runs, as the shape with runs set to the chunk length', () => {
    const runs = 7;
    const host = createStorage('u32', elementCount(layout, runs));
    // Each element holds its own row-major index, so we can read where it came from.
    host.forEach((_, i) => (host[i] = i));
    const [start, end] = [2, 5];
    const chunk = createStorage('u32', elementCount(layout, end - start));
    packChunk(host, 'u32', chunk, 'u32', layout, runs, start, end);
    const n = layout.chunked ? end - start : 0;
    for (let o = 0; o < (layout.chunked ? outer : 0); o++) {
      for (let r = 0; r < n; r++) {
        for (let i = 0; i < inner; i++) expect(chunk[(o * n + r) * inner + i]).toBe((o * runs + start + r) * inner + i);
      }
    }
    if (!layout.chunked) expect([...chunk]).toEqual([...host]);
  });

  test('unpack puts every chunk back where it came from, for any split', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (runs, chunkLength) => {
        const host = createStorage('f32', elementCount(layout, runs));
        host.forEach((_, i) => (host[i] = i + 0.5));
        const back = createStorage('f32', host.length);
        for (let start = 0; start < runs; start += chunkLength) {
          const end = Math.min(runs, start + chunkLength);
          const chunk = createStorage('f32', elementCount(layout, chunkLength));
          packChunk(host, 'f32', chunk, 'f32', layout, runs, start, end);
          unpackChunk(chunk, 'f32', back, 'f32', layout, runs, start, end);
        }
        expect(back).toEqual(host);
      }),
      { numRuns: 50 },
    );
  });
});

test('packing converts f32 to f16 storage and back, rounding to the nearest f16', () => {
  const layout = runLayout([3, 'runs']);
  const host = Float32Array.from([1, 2.5, 1 / 3, 1000.7, -0.1, 65504]);
  const chunk = createStorage('f16', host.length);
  packChunk(host, 'f32', chunk, 'f16', layout, 2, 0, 2);
  const back = new Float32Array(host.length);
  unpackChunk(chunk, 'f16', back, 'f32', layout, 2, 0, 2);
  expect([...back]).toEqual([1, 2.5, 0.333251953125, 1000.5, -0.0999755859375, 65504]);
  expect(elementView(chunk, 'f16').get(3)).toBe(1000.5);
});
