/**
 * The simulator's module worker: everything that touches WebGPU runs here, never on the
 * main thread, so a slow adapter request or a long run cannot freeze the page.
 */
import * as Comlink from 'comlink';
import { planScenario } from '../core/planner.ts';
import { parseScenario, kLimitNames, type Limits } from '../core/scenario.ts';
import type { DeviceInfo, PlanReply, SimulatorApi } from './simulator-api.ts';

// One adapter request per worker: the answer does not change while the page lives,
// and a fresh request on every keystroke would cost more than the plan itself.
let adapterRequest: Promise<GPUAdapter | null> | undefined;

function requestAdapter(): Promise<GPUAdapter | null> {
  if (!('gpu' in navigator) || !navigator.gpu) return Promise.resolve(null);
  adapterRequest ??= navigator.gpu.requestAdapter().catch(() => null);
  return adapterRequest;
}

/** The planner-relevant limits of the real adapter, so a scenario asking for more is reported. */
async function adapterLimits(): Promise<Partial<Limits> | undefined> {
  const adapter = await requestAdapter();
  if (!adapter) return undefined;
  return Object.fromEntries(kLimitNames.map((name) => [name, adapter.limits[name]]));
}

/** Copies the enumerable attributes of a WebIDL object (its getters live on the prototype). */
function copyAttributes<T>(source: object, keep: (value: unknown) => value is T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key in source) {
    const value = (source as Record<string, unknown>)[key];
    if (keep(value)) out[key] = value;
  }
  return out;
}

const isScalar = (x: unknown): x is string | number | boolean =>
  typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
const isNumber = (x: unknown): x is number => typeof x === 'number';

const simulator: SimulatorApi = {
  async plan(scenarioJson: unknown): Promise<PlanReply> {
    const parsed = parseScenario(scenarioJson);
    if (!parsed.ok) {
      const count = parsed.issues.length;
      return {
        ok: false,
        error: {
          code: 'INVALID_SCENARIO',
          message: `the scenario has ${count} ${count === 1 ? 'problem' : 'problems'}`,
          path: parsed.issues[0]?.path,
        },
        issues: parsed.issues,
      };
    }
    return planScenario(parsed.scenario, { adapterLimits: await adapterLimits() });
  },

  async deviceInfo(): Promise<DeviceInfo> {
    if (!('gpu' in navigator) || !navigator.gpu) {
      return {
        available: false,
        reason: 'this browser exposes no WebGPU in workers — use a recent Chromium (headless needs --enable-unsafe-webgpu) on https or 127.0.0.1',
      };
    }
    const adapter = await requestAdapter();
    if (!adapter) {
      return { available: false, reason: 'navigator.gpu.requestAdapter() gave no adapter — this machine offers no WebGPU device' };
    }
    return {
      available: true,
      adapter: copyAttributes(adapter.info, isScalar),
      limits: copyAttributes(adapter.limits, isNumber),
      features: [...adapter.features].sort(),
    };
  },
};

Comlink.expose(simulator);
