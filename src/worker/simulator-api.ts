/**
 * The contract between the UI and the simulator worker: what crosses comlink.
 *
 * Only plain, structured-cloneable data: bigints survive postMessage, class instances
 * and WebGPU objects do not, so device information is copied out into records.
 */
import type { Plan, PlanError } from '../core/planner.ts';
import type { ScenarioIssue } from '../core/scenario.ts';

/** The outcome of planning a scenario as written: a plan, an infeasible plan, or an invalid scenario. */
export type PlanReply =
  | { ok: true; plan: Plan }
  | { ok: false; error: PlanError; issues?: undefined }
  | { ok: false; error: PlanError & { code: 'INVALID_SCENARIO' }; issues: ScenarioIssue[] };

/** What the worker's `navigator.gpu` offers, copied out of the live adapter. */
export type DeviceInfo =
  | {
      available: true;
      /** GPUAdapterInfo's text fields (vendor, architecture, device, description) and flags. */
      adapter: Record<string, string | number | boolean>;
      /** Every limit the adapter supports, by name. */
      limits: Record<string, number>;
      /** Feature names, sorted. */
      features: string[];
    }
  | {
      available: false;
      /** Why there is no adapter, in words a person can act on. */
      reason: string;
    };

/** The object `simulator.worker.ts` exposes through comlink. */
export interface SimulatorApi {
  /** Validates and plans a scenario (any JSON value) against the scenario's limits and the adapter's. */
  plan(scenarioJson: unknown): Promise<PlanReply>;
  /** The WebGPU adapter the worker sees, or why there is none. */
  deviceInfo(): Promise<DeviceInfo>;
}
