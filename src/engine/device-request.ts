/**
 * What the engine asks of a device, browser and Node alike: the adapter's own buffer
 * limits (the spec defaults are lower, and a scenario may plan up to the adapter's) and
 * as many storage bindings as it offers (touch binds one per array).
 */

/** The `requiredLimits` for a device the engine will run on, from its adapter. */
export function engineLimits(adapter: GPUAdapter): Record<string, number> {
  return {
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
  };
}

/** Requests a device from `adapter` with {@link engineLimits}. */
export function requestEngineDevice(adapter: GPUAdapter, label = 'chunkscope'): Promise<GPUDevice> {
  return adapter.requestDevice({ label, requiredLimits: engineLimits(adapter) });
}

/** An adapter in words, as run reports and the CLI name it: vendor, architecture, device, description. */
export function adapterWords(adapter: GPUAdapter): string {
  const info = adapter.info;
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed WebGPU adapter';
}
