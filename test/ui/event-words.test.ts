// The timeline's marker labels: short, and naming the limit each fault hit.
import { describe, expect, test } from 'vitest';
import type { AllocationFaultEvent } from '../../src/core/trace.ts';
import { markerWords } from '../../src/ui/event-words.ts';

const fault = (source: AllocationFaultEvent['source'], message: string, kind: AllocationFaultEvent['kind'] = 'oom'): AllocationFaultEvent => ({ t: 1, kind, label: 'state chunk 0', bytes: 4096, source, message });
const limits = { budgetBytes: 8 * 2 ** 20, byName: new Map([['maxStorageBufferBindingSize', 128 * 2 ** 20]]) };

describe('markerWords', () => {
  test.each([
    ['the budget', fault('budget', 'over the budget'), 'out of memory: budget 8 MiB'],
    ['a per-buffer limit, by name and size', fault('limit', 'binding "s" is 200 MiB, over maxStorageBufferBindingSize 128 MiB', 'validation-error'), 'over a limit: maxStorageBufferBindingSize 128 MiB'],
    ['an injected size limit', fault('injected', 'injected out-of-memory: 5000 B is above 4096 B (faults[0])'), 'out of memory: injected limit 4 KiB'],
    ['an injected nth allocation', fault('injected', 'injected out-of-memory on allocation 3 (faults[0])'), 'out of memory: injected on allocation 3'],
    ["the device's own memory", fault('device', 'VK_ERROR_OUT_OF_DEVICE_MEMORY'), "out of memory: the device's memory"],
  ])('a fault over %s', (_, event, words) => {
    expect(markerWords(event, limits)).toBe(words);
  });

  test('a fallback says the rung and the chunk lengths; a lost device says so', () => {
    expect(markerWords({ t: 1, kind: 'fallback', from: 'webgpu', to: 'shrink', reason: 'oom', chunkLengthBefore: 974, chunkLengthAfter: 487, resumeAt: 0 })).toBe('fallback → shrink: 974 → 487 runs');
    expect(markerWords({ t: 1, kind: 'device-lost', reason: 'unknown', message: 'lost', injected: true })).toBe('device lost (injected)');
  });
});
