/**
 * The one place Node gets a GPUDevice (DESIGN.md, "WebGPU on machines without a GPU"):
 * the `webgpu` package (Dawn), a real adapter first, then Chromium's SwiftShader. It
 * subscribes to `device.lost` and `uncapturederror` (whose default Dawn prints) and hands
 * both to one reporter. Node only: browser code gets its device from `navigator.gpu`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { create } from 'webgpu';
import { kSwiftShaderIcd } from '../../bin/webgpu-env.js';
import { paceDawnPolling } from './dawn-polling.ts';
import { adapterWords, requestEngineDevice } from './device-request.ts';

/** A device and how it was found. */
export interface NodeDevice {
  device: GPUDevice;
  /** `adapter`: the system's Vulkan driver; `swiftshader`: Chromium's CPU Vulkan driver. */
  via: 'adapter' | 'swiftshader';
  /** What the adapter says it is. */
  description: string;
  /** A fresh device from the same adapter, after a loss; wired to the same reporter. */
  requestDevice(): Promise<GPUDevice>;
}

/** Where uncaptured errors and losses go. */
export interface DeviceReporter {
  uncapturedError?(message: string): void;
  lost?(reason: string, message: string): void;
}

/** The outcome of {@link acquireNodeDevice}. */
export type NodeDeviceResult = { ok: true; value: NodeDevice } | { ok: false; message: string };

let gpu: GPU | undefined;

/** Directories where the Vulkan loader looks for drivers (ICD manifests) when no variable names one. */
const kIcdDirectories = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

/**
 * Whether the Vulkan loader can find any driver without our help. Asking Dawn when it
 * cannot makes it print warnings, so look first.
 */
function hasVulkanDriver(): boolean {
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return true;
  return kIcdDirectories.some((dir) => {
    try {
      return readdirSync(dir).some((name) => name.endsWith('.json'));
    } catch {
      return false;
    }
  });
}

/** Finds an adapter (a real one, else SwiftShader) and requests a device with its buffer limits. */
export async function acquireNodeDevice(reporter: DeviceReporter = {}): Promise<NodeDeviceResult> {
  let via: NodeDevice['via'] = 'adapter';
  let adapter: GPUAdapter | null = null;
  try {
    if (hasVulkanDriver()) {
      gpu ??= create([]);
      adapter = await gpu.requestAdapter();
    }
    if (!adapter && existsSync(kSwiftShaderIcd) && process.env.VK_ICD_FILENAMES !== kSwiftShaderIcd) {
      // Dawn reads the ICD list when an instance is created: set it, then create again.
      process.env.VK_ICD_FILENAMES = kSwiftShaderIcd;
      gpu = create([]);
      adapter = await gpu.requestAdapter();
      via = 'swiftshader';
    }
  } catch (err) {
    return { ok: false, message: `the webgpu package could not start: ${(err as Error).message}` };
  }
  if (!adapter) {
    return {
      ok: false,
      message:
        `no WebGPU adapter: no Vulkan driver answered, and Chromium's SwiftShader (${kSwiftShaderIcd}) ` +
        (existsSync(kSwiftShaderIcd) ? 'gave none either' : 'is not installed') +
        ' — install the chromium package (apt-get install chromium), or run with --backend cpu',
    };
  }
  if (process.env.VK_ICD_FILENAMES === kSwiftShaderIcd) via = 'swiftshader';
  // SwiftShader runs on this machine's cores, which the binding's polling would share.
  if (via === 'swiftshader') paceDawnPolling();
  let fresh: GPUAdapter | null = adapter;
  const requestDevice = async () => {
    // An adapter grants one device; later devices (after a loss) need a new adapter.
    const found = fresh ?? (await gpu!.requestAdapter());
    fresh = null;
    if (!found) throw new Error('the WebGPU adapter is gone: no new device can be had');
    const device = await requestEngineDevice(found);
    device.addEventListener('uncapturederror', (event) => {
      event.preventDefault();
      reporter.uncapturedError?.((event as GPUUncapturedErrorEvent).error.message);
    });
    device.lost.then((info) => reporter.lost?.(info.reason, info.message));
    return device;
  };
  return { ok: true, value: { device: await requestDevice(), via, description: adapterWords(adapter), requestDevice } };
}
