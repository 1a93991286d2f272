/**
 * The engine's public surface, browser-safe (the UI's worker imports this; Node gets its
 * device from node-device.ts, which is not re-exported here).
 *
 *   const outcome = await runScenario(scenario, { backend: 'webgpu', device, requestDevice, onProgress, signal });
 *   if (outcome.ok) show(outcome.report); else explain(outcome.error);
 */
export { runScenario, runPrepared, planOptionsFor, prepareRun, kKeepOutputsBytes } from './run-scenario.ts';
export { kDiscardOutputs, MemoryOutputs, type OutputSink, type OutputsEnd } from './output-sink.ts';
export { HostMemory } from './host-memory.ts';
export { checkHostBudget, hostBytes, hostParts, type HostBudgetError, type HostPart } from './host-budget.ts';
export type { PreparedRun, PrepareError, RunOptions, RunOutcome, RunProgress, RunReport, RunFailure, RunSetupError, Verification } from './run-scenario.ts';
export { composeReport, reportFromTrace } from './run-report.ts';
export type { ReportedRun } from './run-report.ts';
export type { Comparison, ArrayComparison } from './verify.ts';
export { AllocationError, CancelledError, DeviceLostError, EngineError } from './errors.ts';
export { adapterWords, engineLimits, requestEngineDevice } from './device-request.ts';
export { generateInputs } from '../kernels/inputs.ts';
export { kernelFor, kKernels } from '../kernels/registry.ts';
export { runSoak } from './soak.ts';
export type { SoakCycleOutcome, SoakOptions, SoakReport } from './soak.ts';
export type { SoakSample } from '../core/soak.ts';
