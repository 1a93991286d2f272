// `chunkscope soak` on Node WebGPU: a clean soak is steady at exactly 0 B a cycle, a leak
// fault grows by exactly its bytes a cycle, and the emergency stop ends the soak in the
// cycle that crosses it with every buffer destroyed.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';

const kDir = mkdtempSync(join(tmpdir(), 'chunkscope-soak-'));

async function soak(scenario: object, ...args: string[]) {
  const path = join(kDir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(scenario));
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['soak', path, '--json', '--backend', 'webgpu', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  if (!out.length) throw new Error(err.join('\n'));
  return { code, json: JSON.parse(out.join('\n')) };
}

/** axpy over 1000 runs in 4 chunks: x and y are 1000 B buffers, allocations 1 and 2 of each cycle. */
const axpy = (faults: object[] = []) => ({
  version: 1,
  runs: 1000,
  arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] }],
  device: { budgetBytes: 1 << 20 },
  kernel: { name: 'axpy', a: 2 },
  faults,
});

test('a clean soak of 50 cycles is steady with a device slope of exactly 0 and exit 0', async () => {
  const { code, json } = await soak(axpy(), '--cycles', '50');
  expect(code).toBe(kExit.ok);
  expect(json).toMatchObject({ kind: 'soak', verdict: 'steady', growth: { deviceBytesPerCycle: 0 }, leakedAtEnd: { buffers: 0, deviceBytes: 0 } });
  expect(json.cycles).toHaveLength(50);
  expect(json.cycles.every((c: { liveDeviceBytes: number; liveBuffers: number }) => c.liveDeviceBytes === 0 && c.liveBuffers === 0)).toBe(true);
  expect(json.outcomes.every((o: { verified?: boolean }) => o.verified === true)).toBe(true);
});

test('a leak of one buffer a cycle grows by exactly its bytes a cycle, and exits 6', async () => {
  const { code, json } = await soak(axpy([{ kind: 'leak', onAllocation: 2 }]), '--cycles', '20');
  expect(code).toBe(kExit.soakLeaked);
  expect(json.verdict).toBe('leaking');
  // The leaked buffer is y at the chunk length: one run is 4 B.
  const leaked = json.cycles[0].liveDeviceBytes;
  expect(leaked).toBeGreaterThan(0);
  expect(json.growth.deviceBytesPerCycle).toBe(leaked);
  expect(json.cycles.map((c: { liveBuffers: number }) => c.liveBuffers)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(json.leakedAtEnd).toEqual({ buffers: 20, deviceBytes: 20 * leaked });
});

test('--stop-at stops in the cycle that crosses it, destroys everything, and keeps the finished cycles verified', async () => {
  const first = await soak(axpy([{ kind: 'leak', onAllocation: 2 }]), '--cycles', '1');
  const leaked = first.json.cycles[0].liveDeviceBytes as number;
  // Crossed during cycle 4: three leaked buffers are at the line, the fourth passes it.
  const { code, json } = await soak(axpy([{ kind: 'leak', onAllocation: 2 }]), '--cycles', '50', '--stop-at', String(3 * leaked));
  expect(code).toBe(kExit.soakLeaked);
  expect(json.verdict).toBe('stopped');
  expect(json.stopped).toMatchObject({ cycle: 4, liveDeviceBytes: 4 * leaked, stopAtBytes: 3 * leaked });
  expect(json.cycles).toHaveLength(4);
  expect(json.outcomes.slice(0, 3).every((o: { status: string; verified?: boolean }) => o.status === 'ok' && o.verified === true)).toBe(true);
  expect(json.leakedAtEnd).toEqual({ buffers: 4, deviceBytes: 4 * leaked });
});

test.each([
  { args: ['--cycles', '0'], err: /--cycles must be a whole number of at least 1/ },
  { args: ['--cycles', 'many'], err: /--cycles must be/ },
  { args: ['--stop-at=-5'], err: /--stop-at must be a whole number of bytes/ },
  { args: ['--backend', 'metal'], err: /--backend must be one of/ },
])('$args is a usage error', async ({ args, err }) => {
  const errors: string[] = [];
  const code = await main(['soak', 'examples/lorenz-batch.json', ...args], { out: () => {}, err: (t) => errors.push(t) });
  expect(code).toBe(kExit.usage);
  expect(errors.join('\n')).toMatch(err);
});

test('--outputs keeps the results of the emergency stop: .npy files and a manifest of verified runs', async () => {
  const outputs = mkdtempSync(join(tmpdir(), 'chunkscope-soak-outputs-'));
  const { code, json } = await soak(axpy([{ kind: 'leak', onAllocation: 2 }]), '--cycles', '50', '--stop-at', '8000', '--outputs', outputs);
  expect(code).toBe(kExit.soakLeaked);
  expect(json.verdict).toBe('stopped');
  const manifest = JSON.parse(readFileSync(join(outputs, 'manifest.json'), 'utf8'));
  expect(manifest).toMatchObject({ format: 'chunkscope-outputs', runsFinished: 1000, verified: { passed: true } });
  expect(manifest.arrays.map((a: { file: string }) => a.file)).toEqual(['y.npy']);
  // 1000 f32 runs after the .npy header.
  expect(statSync(join(outputs, 'y.npy')).size).toBeGreaterThan(4000);
});
