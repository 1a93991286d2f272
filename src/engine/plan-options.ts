/**
 * The plan options the engine plans with, in one place: the worker's plan, a run and a
 * replayed trace must all get the same plan for the same scenario.
 */
import type { PlanOptions } from '../core/planner.ts';
import type { Kernel } from '../kernels/kernel.ts';

/** Plan options for a scenario's kernel on a device (its limits, when there is one). */
export function planOptionsFor(kernel: Kernel, device?: GPUDevice): PlanOptions {
  return {
    kernel: { runsPerWorkgroup: kernel.runsPerWorkgroup },
    ...(device && {
      adapterLimits: {
        maxBufferSize: device.limits.maxBufferSize,
        maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
        maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
      },
    }),
  };
}
