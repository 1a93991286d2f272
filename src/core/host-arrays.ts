/**
 * Host arrays and the chunk layout.
 *
 * A host array holds all runs of one array, row-major in its shape with `runs` set to
 * the scenario's run count. A chunk buffer holds the same shape with `runs` set to the
 * chunk's run count, densely packed. When the chunk axis is not the outermost dimension
 * a chunk is a strided block of the host array, so packing copies `outer` blocks of
 * `runs × inner` elements, never one contiguous range.
 */
import type { Dtype } from './dtypes.ts';
import { fromHalfBits, toHalfBits } from './f16.ts';
import { kRunsAxis, type ArraySpec, type Scenario } from './scenario.ts';

/** The typed array that stores one dtype (f16 as its raw bits). */
export type HostArray = Float32Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
/** Host arrays by array name. */
export type HostArrays = Record<string, HostArray>;

/** Creates the typed array that stores `count` elements of `dtype`, zeroed. */
export function createStorage(dtype: Dtype, count: number): HostArray {
  switch (dtype) {
    case 'f16':
      return new Uint16Array(count);
    case 'f32':
      return new Float32Array(count);
    case 'i32':
      return new Int32Array(count);
    case 'u32':
      return new Uint32Array(count);
    case 'f64':
      return new Float64Array(count);
  }
}

/** The typed array of `dtype` over `bytes` bytes of `buffer` from `byteOffset`. */
export function storageView(dtype: Dtype, buffer: ArrayBufferLike, byteOffset: number, count: number): HostArray {
  switch (dtype) {
    case 'f16':
      return new Uint16Array(buffer, byteOffset, count);
    case 'f32':
      return new Float32Array(buffer, byteOffset, count);
    case 'i32':
      return new Int32Array(buffer, byteOffset, count);
    case 'u32':
      return new Uint32Array(buffer, byteOffset, count);
    case 'f64':
      return new Float64Array(buffer, byteOffset, count);
  }
}

/** Where one run's elements sit in an array: `outer` blocks of `inner` elements. */
export interface RunLayout {
  /** Whether the array has a chunk axis; a fixed array is one block of `inner` elements. */
  chunked: boolean;
  /** Product of the dimensions before the chunk axis (1 for a fixed array). */
  outer: number;
  /** Product of the dimensions after the chunk axis (all elements for a fixed array). */
  inner: number;
}

/** The run layout of a shape. */
export function runLayout(shape: ArraySpec['shape']): RunLayout {
  const axis = shape.indexOf(kRunsAxis);
  const product = (dims: ArraySpec['shape']) => dims.reduce<number>((n, d) => n * (d as number), 1);
  if (axis < 0) return { chunked: false, outer: 1, inner: product(shape) };
  return { chunked: true, outer: product(shape.slice(0, axis)), inner: product(shape.slice(axis + 1)) };
}

/** Elements of an array holding `runs` runs. */
export function elementCount(layout: RunLayout, runs: number): number {
  return layout.chunked ? layout.outer * runs * layout.inner : layout.inner;
}

/** Host arrays for every array of a scenario, zeroed, in each array's own dtype. */
export function createHostArrays(scenario: Pick<Scenario, 'arrays' | 'runs'>): HostArrays {
  // No prototype: an array named "__proto__" must be an entry, not a prototype.
  const arrays: HostArrays = Object.create(null);
  for (const spec of scenario.arrays) arrays[spec.name] = createStorage(spec.dtype, elementCount(runLayout(spec.shape), scenario.runs));
  return arrays;
}

/**
 * Copies runs `[start, end)` of host array `host` (all `runs` runs) into `chunk`
 * (laid out for `end − start` runs), converting between storage dtypes if they differ.
 */
export function packChunk(
  host: HostArray,
  hostDtype: Dtype,
  chunk: HostArray,
  chunkDtype: Dtype,
  layout: RunLayout,
  runs: number,
  start: number,
  end: number,
): void {
  if (!layout.chunked) {
    copyConverted(host, hostDtype, 0, chunk, chunkDtype, 0, layout.inner);
    return;
  }
  const n = end - start;
  const block = n * layout.inner;
  for (let o = 0; o < layout.outer; o++) {
    copyConverted(host, hostDtype, (o * runs + start) * layout.inner, chunk, chunkDtype, o * block, block);
  }
}

/** The inverse of {@link packChunk}: writes a chunk's runs `[start, end)` back into the host array. */
export function unpackChunk(
  chunk: HostArray,
  chunkDtype: Dtype,
  host: HostArray,
  hostDtype: Dtype,
  layout: RunLayout,
  runs: number,
  start: number,
  end: number,
): void {
  if (!layout.chunked) {
    copyConverted(chunk, chunkDtype, 0, host, hostDtype, 0, layout.inner);
    return;
  }
  const n = end - start;
  const block = n * layout.inner;
  for (let o = 0; o < layout.outer; o++) {
    copyConverted(chunk, chunkDtype, o * block, host, hostDtype, (o * runs + start) * layout.inner, block);
  }
}

function copyConverted(
  src: HostArray,
  srcDtype: Dtype,
  srcOffset: number,
  dst: HostArray,
  dstDtype: Dtype,
  dstOffset: number,
  count: number,
): void {
  if (srcDtype === dstDtype) {
    (dst as Float64Array).set((src as Float64Array).subarray(srcOffset, srcOffset + count), dstOffset);
    return;
  }
  const read = reader(src, srcDtype);
  const write = writer(dst, dstDtype);
  for (let i = 0; i < count; i++) write(dstOffset + i, read(srcOffset + i));
}

/** Element access by value, whatever the storage: f16 is converted, integers wrap as in WGSL. */
export interface ElementView {
  readonly length: number;
  get(i: number): number;
  set(i: number, value: number): void;
}

/** An {@link ElementView} over `storage` holding `dtype`. */
export function elementView(storage: HostArray, dtype: Dtype): ElementView {
  const get = reader(storage, dtype);
  const set = writer(storage, dtype);
  return { length: storage.length, get, set };
}

function reader(storage: HostArray, dtype: Dtype): (i: number) => number {
  if (dtype === 'f16') return (i) => fromHalfBits(storage[i]);
  return (i) => storage[i];
}

function writer(storage: HostArray, dtype: Dtype): (i: number, value: number) => void {
  if (dtype === 'f16') return (i, value) => void (storage[i] = toHalfBits(value));
  return (i, value) => void (storage[i] = value);
}
