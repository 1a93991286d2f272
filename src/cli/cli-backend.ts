/**
 * Where a CLI command runs a scenario: `--backend auto|webgpu|cpu` made into a backend,
 * a device and the words that say which, for `run` and `soak` alike.
 */
import type { Scenario } from '../core/scenario.ts';

/** The `--backend` choices. */
export const kBackendChoices = ['auto', 'webgpu', 'cpu'] as const;
/** One of {@link kBackendChoices}. */
export type BackendChoice = (typeof kBackendChoices)[number];

/** A backend to run on, and what to tell the user about it. */
export interface CliBackend {
  backend: 'webgpu' | 'cpu';
  device?: GPUDevice;
  requestDevice?: () => Promise<GPUDevice>;
  /** Where it runs, in words (the report's `device`). */
  words: string;
  /** Uncaptured WebGPU errors seen so far. */
  uncaptured: string[];
  /** Destroys the device, if one was acquired. */
  dispose(): void;
}

/** The backend for `choice`, or why `--backend webgpu` has none. */
export async function chooseBackend(choice: BackendChoice, scenario: Scenario): Promise<{ ok: true; value: CliBackend } | { ok: false; message: string }> {
  const uncaptured: string[] = [];
  const cpu = (words: string): CliBackend => ({ backend: 'cpu', words, uncaptured, dispose: () => {} });
  const f64 = scenario.arrays.find((a) => a.dtype === 'f64');
  if (choice === 'cpu') return { ok: true, value: cpu("the kernels' CPU twins") };
  if (choice === 'auto' && f64) return { ok: true, value: cpu(`the CPU: array "${f64.name}" is f64, which WGSL cannot store`) };
  const { acquireNodeDevice } = await import('../engine/node-device.ts');
  const acquired = await acquireNodeDevice({ uncapturedError: (m) => uncaptured.push(m) });
  if (!acquired.ok) return choice === 'webgpu' ? acquired : { ok: true, value: cpu(`the CPU: ${acquired.message}`) };
  const { device, requestDevice, via, description } = acquired.value;
  return {
    ok: true,
    value: {
      backend: 'webgpu',
      device,
      requestDevice,
      words: `${via === 'swiftshader' ? 'SwiftShader' : 'WebGPU adapter'}: ${description}`,
      uncaptured,
      dispose: () => device.destroy(),
    },
  };
}
