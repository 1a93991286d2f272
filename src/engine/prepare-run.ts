/**
 * The one place a run is prepared: parse → kernel → plan options → plan. `chunkscope
 * plan`, `chunkscope run`, the worker's plan and run, a replayed trace and the engine
 * itself all come through here, so the plan shown is always the plan run (DESIGN.md,
 * "One source of truth for a plan").
 */
import { planScenario, type Plan, type PlanError, type PlanOptions } from '../core/planner.ts';
import { parseScenario, type Limits, type Scenario, type ScenarioIssue } from '../core/scenario.ts';
import type { Kernel } from '../kernels/kernel.ts';
import { kernelFor } from '../kernels/registry.ts';

/** What a run needs before it touches a device. */
export interface PreparedRun {
  /** The scenario with every default applied. */
  scenario: Scenario;
  kernel: Kernel;
  options: PlanOptions;
  plan: Plan;
}

/** Why a scenario cannot be prepared: not a scenario, not for its kernel, or no plan. */
export type PrepareError =
  | { code: 'INVALID_SCENARIO'; message: string; path?: string; issues: ScenarioIssue[] }
  | PlanError;

/** The outcome of {@link prepareRun}. */
export type Prepared = { ok: true; run: PreparedRun } | { ok: false; error: PrepareError };

/** Where a run will go: a device, or only the limits an adapter offers (the worker plans before it asks for a device). */
export interface PrepareOptions {
  device?: GPUDevice;
  adapterLimits?: Partial<Limits>;
}

/**
 * Prepares any JSON value (or an already parsed scenario) for a run. Never throws.
 * Without a device or adapter limits the plan is the one every device gets: an adapter's
 * limits can only turn a feasible plan into `LIMIT_ABOVE_ADAPTER`, never change it.
 */
export function prepareRun(input: unknown, where: PrepareOptions = {}): Prepared {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, error: invalid(`the scenario has ${problems(parsed.issues.length)}`, parsed.issues) };
  const scenario = parsed.scenario;
  const lookup = kernelFor(scenario);
  if (!lookup.ok) return { ok: false, error: invalid('the scenario does not fit its kernel', lookup.issues) };
  const options = planOptionsFor(lookup.kernel, where);
  const planned = planScenario(scenario, options);
  if (!planned.ok) return { ok: false, error: planned.error };
  return { ok: true, run: { scenario, kernel: lookup.kernel, options, plan: planned.plan } };
}

/** Plan options for a kernel where a run will go: its dispatch limit, and the device's or adapter's limits. */
export function planOptionsFor(kernel: Pick<Kernel, 'runsPerWorkgroup'>, where: PrepareOptions = {}): PlanOptions {
  const limits = where.device?.limits ?? where.adapterLimits;
  return {
    kernel: { runsPerWorkgroup: kernel.runsPerWorkgroup },
    ...(limits && {
      adapterLimits: {
        maxBufferSize: limits.maxBufferSize,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      },
    }),
  };
}

function invalid(message: string, issues: ScenarioIssue[]): PrepareError {
  const path = issues[0]?.path;
  return { code: 'INVALID_SCENARIO', message, ...(path !== undefined && { path }), issues };
}

function problems(count: number): string {
  return `${count} ${count === 1 ? 'problem' : 'problems'}`;
}
