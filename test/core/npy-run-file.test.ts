import { expect, test } from 'vitest';
import { NpyRunFile } from '../../src/core/npy.ts';

test('a leading chunk axis is cut by truncating: no moves, the file ends after the finished runs', () => {
  const file = new NpyRunFile({ name: 'a', role: 'output', dtype: 'f32', shape: ['runs', 3] }, 10);
  expect(file.header.length % 64).toBe(0);
  expect(file.fullBytes).toBe(file.header.length + 10 * 3 * 4);
  expect(file.blockAt(0, 4)).toBe(file.header.length + 4 * 3 * 4);
  expect(file.cutMoves(4)).toEqual([]);
  expect(file.bytesFor(4)).toBe(file.header.length + 4 * 3 * 4);
  expect(file.shapeFor(4)).toEqual([4, 3]);
});

test('an inner chunk axis moves each outer block down, in order, to close the gap', () => {
  const file = new NpyRunFile({ name: 'b', role: 'output', dtype: 'u32', shape: [2, 'runs', 2] }, 10);
  const h = file.header.length;
  // Outer block o of every run starts at o × 10 runs × 2 elements × 4 bytes.
  expect(file.blockAt(1, 0)).toBe(h + 80);
  expect(file.cutMoves(3)).toEqual([{ from: h + 80, to: h + 24, bytes: 24 }]);
  expect(file.cutMoves(10)).toEqual([]);
  expect(file.bytesFor(3)).toBe(h + 2 * 3 * 2 * 4);
  // The rewritten header keeps the first one's length, so the data stays where it was.
  expect(file.headerFor(3).length).toBe(h);
  expect(new TextDecoder().decode(file.headerFor(3))).toContain("'shape': (2, 3, 2)");
});

test('a fixed array keeps its shape and size whatever the runs finished', () => {
  const file = new NpyRunFile({ name: 'c', role: 'output', dtype: 'f16', shape: [5] }, 10);
  expect(file.cutMoves(0)).toEqual([]);
  expect(file.shapeFor(0)).toEqual([5]);
  expect(file.bytesFor(0)).toBe(file.header.length + 10);
});
