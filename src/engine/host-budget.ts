/**
 * The host memory a run will hold, computed before it starts (issue 13, item 7), and the
 * refusal of a run over the host budget: a sentence naming the bytes, not a process
 * that grows until the system kills it.
 */
import { dtypeBytes } from '../core/dtypes.ts';
import { runLayout } from '../core/host-arrays.ts';
import { formatBytesExact } from '../core/units.ts';
import type { BackendName } from '../core/trace.ts';
import type { PreparedRun } from './prepare-run.ts';
import { outputSpecs } from './output-sink.ts';
import { sampleCapacity } from './run-sample.ts';

/** One part of a run's host memory. */
export interface HostPart {
  what: string;
  bytes: number;
  /** Whether the engine's host side makes it (and counts it in {@link HostMemory}); else it is backend memory. */
  counted: boolean;
}

/** What decides a run's host memory besides its plan. */
export interface HostBytesOptions {
  backend: BackendName;
  /** Whether every output of every run is kept in memory. */
  keepOutputs: boolean;
  verify: boolean;
  /** Chunked-array bytes up to which every run is checked as one chunk (RunOptions.checkEveryRunBytes). */
  checkEveryRunBytes?: number;
}

/** A run refused for its host memory. */
export interface HostBudgetError {
  code: 'HOST_BUDGET_EXCEEDED';
  message: string;
}

/**
 * The host bytes a run will hold at most, part by part: fixed arrays, a chunk's inputs
 * and outputs on their way, the CPU twin of a chunk, the check's sample, outputs kept in
 * memory, and the backend's host memory (the CPU backend's buffers, WebGPU's staging).
 */
export function hostParts(prepared: PreparedRun, options: HostBytesOptions): HostPart[] {
  const { scenario, plan } = prepared;
  const length = plan.chunkLength;
  const f16 = scenario.recovery.ladder.includes('f16');
  let fixed = 0;
  let inputRun = 0;
  let outputRun = 0;
  let allRun = 0;
  let largestInputRun = 0;
  for (const spec of scenario.arrays) {
    const layout = runLayout(spec.shape);
    const bytes = dtypeBytes(spec.dtype);
    if (!layout.chunked) {
      fixed += layout.inner * bytes;
      continue;
    }
    const run = layout.outer * layout.inner * bytes;
    allRun += run;
    if (spec.role === 'input' || spec.role === 'inout') {
      inputRun += run;
      largestInputRun = Math.max(largestInputRun, run);
    }
    if (spec.role === 'output' || spec.role === 'inout') outputRun += run;
  }
  const capacity = sampleCapacity(scenario, plan, options.checkEveryRunBytes);
  const parts: HostPart[] = [
    { what: 'fixed arrays', bytes: fixed * (1 + (options.verify ? 2 : 0) + (options.verify && f16 ? 1 : 0)), counted: true },
  ];
  // After the f16 fallback a chunk's inputs are made, and its outputs read, in the scenario's dtypes first.
  if (f16) parts.push({ what: 'a chunk\'s inputs and outputs in the scenario\'s dtypes', bytes: length * (largestInputRun + outputRun), counted: true });
  if (options.verify) {
    parts.push({ what: 'the CPU twin of a chunk', bytes: length * allRun * (f16 ? 2 : 1), counted: true });
    parts.push({ what: 'outputs of the runs the one-chunk check covers', bytes: capacity * outputRun, counted: true });
  }
  if (options.keepOutputs) {
    const fixedOutputs = outputSpecs(scenario).filter((s) => !runLayout(s.shape).chunked).reduce((sum, s) => sum + runLayout(s.shape).inner * dtypeBytes(s.dtype), 0);
    parts.push({ what: 'every output kept in memory', bytes: scenario.runs * outputRun + fixedOutputs, counted: true });
  }
  const cpu = options.backend === 'cpu' || scenario.recovery.ladder.includes('cpu');
  if (cpu) parts.push({ what: 'the CPU backend\'s buffers', bytes: Number(plan.predictedPeakBytes) + (options.verify ? capacity * allRun : 0), counted: false });
  if (options.backend === 'webgpu') {
    parts.push({ what: 'WebGPU staging buffers', bytes: plan.bufferSets * length * (inputRun + outputRun) + fixed * 2 + (options.verify ? capacity * (inputRun + outputRun) : 0), counted: false });
  }
  return parts.filter((p) => p.bytes > 0);
}

/** The total of {@link hostParts}. */
export function hostBytes(parts: readonly HostPart[]): number {
  return parts.reduce((sum, p) => sum + p.bytes, 0);
}

/** `HOST_BUDGET_EXCEEDED` when the run's host bytes pass `budgetBytes`. */
export function checkHostBudget(prepared: PreparedRun, options: HostBytesOptions & { budgetBytes: number }): HostBudgetError | undefined {
  const parts = hostParts(prepared, options);
  const total = hostBytes(parts);
  if (total <= options.budgetBytes) return undefined;
  const largest = parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const advice = largest.what === 'every output kept in memory'
    ? 'write the outputs to files (chunkscope run --outputs DIR) instead of keeping them'
    : 'lower the device budget (a smaller chunk holds less on the host)';
  return {
    code: 'HOST_BUDGET_EXCEEDED',
    message: `the run needs ${formatBytesExact(total)} of host memory, over the host budget of ${formatBytesExact(options.budgetBytes)};` +
      ` the largest part is ${largest.what}, ${formatBytesExact(largest.bytes)} — ${advice}, or raise the host budget`,
  };
}
