/**
 * The GPU test fixture: a fresh Dawn device per test (SwiftShader here), every object it
 * hands out tracked and destroyed after the test, and the test failed on any
 * uncaptured WebGPU error.
 */
import { test as base } from 'vitest';
import { acquireNodeDevice, type NodeDevice } from '../../src/engine/node-device.ts';

/** What a GPU test gets. */
export interface GpuFixture {
  /** The device of this test. */
  device: GPUDevice;
  /** Where the adapter came from: the system's Vulkan driver or Chromium's SwiftShader. */
  via: NodeDevice['via'];
  /** A new device from the same adapter (for device-loss recovery), tracked like the first. */
  requestDevice(): Promise<GPUDevice>;
  /** Registers something to destroy after the test (a buffer the test made itself). */
  track<T extends { destroy(): void }>(object: T): T;
  /** Uncaptured errors so far; the fixture fails the test if any remain at its end. */
  uncaptured: string[];
}

let shared: Promise<NodeDevice> | undefined;

async function adapter(): Promise<NodeDevice> {
  shared ??= acquireNodeDevice().then((result) => {
    if (!result.ok) throw new Error(result.message);
    return result.value;
  });
  return shared;
}

/** `test` with a `gpu` fixture. */
export const gpuTest = base.extend<{ gpu: GpuFixture }>({
  gpu: async ({}, use) => {
    const source = await adapter();
    const objects: { destroy(): void }[] = [];
    const uncaptured: string[] = [];
    const watch = (device: GPUDevice) => {
      device.addEventListener('uncapturederror', (event) => {
        event.preventDefault();
        uncaptured.push((event as GPUUncapturedErrorEvent).error.message);
      });
      objects.push(device);
      return device;
    };
    const fixture: GpuFixture = {
      device: watch(await source.requestDevice()),
      via: source.via,
      requestDevice: async () => watch(await source.requestDevice()),
      track: (object) => {
        objects.push(object);
        return object;
      },
      uncaptured,
    };
    try {
      await use(fixture);
    } finally {
      for (const object of objects.reverse()) object.destroy();
    }
    if (uncaptured.length) throw new Error(`uncaptured WebGPU errors:\n${uncaptured.join('\n')}`);
  },
});
