/**
 * A Lorenz batch past one dispatch: 5 000 000 runs with a budget large enough that only
 * maxComputeWorkgroupsPerDimension × 64 runs per chunk bounds it (2 chunks). Its first
 * allocation fails and its ladder is empty, so a run stops at once with its plan.
 */
export const kDispatchBound = {
  version: 1,
  name: 'Lorenz past one dispatch',
  runs: 5_000_000,
  arrays: [
    { name: 'initial_values', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
    { name: 'parameters', role: 'input', dtype: 'f32', shape: [3, 'runs'] },
    { name: 'driver_coefficients', role: 'input', dtype: 'f32', shape: [64, 4] },
    { name: 'state', role: 'output', dtype: 'f32', shape: [1, 3, 'runs'] },
    { name: 'status', role: 'output', dtype: 'u32', shape: ['runs'] },
  ],
  device: { budgetBytes: 2 ** 30, limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 } },
  kernel: { name: 'lorenz-rk4', steps: 10, dt: 0.01, saveEvery: 10 },
  recovery: { ladder: [], maxAttempts: 1 },
  faults: [{ kind: 'out-of-memory', onAllocation: 1 }],
};
