/**
 * WebGPU's flag values, spelled out: the engine takes a `GPUDevice` and never a global,
 * and `GPUBufferUsage` / `GPUMapMode` are globals (absent in Node unless installed).
 * The values are fixed by the WebGPU specification.
 */

/** `GPUBufferUsage` flags. */
export const kBufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  STORAGE: 0x0080,
} as const;

/** `GPUMapMode` flags. */
export const kMapMode = { READ: 0x0001, WRITE: 0x0002 } as const;
