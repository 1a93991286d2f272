// The run report says where the run really ran: a run the ladder's cpu rung moved off WebGPU names the CPU twins, not the adapter it left.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const code = await main(['run', ...argv], { out: (t) => out.push(t), err: () => {} });
  return { code, out: out.join('\n') };
}

test('a run that reached the cpu rung reports the CPU twins as its backend, in text, JSON and its trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'chunkscope-words-'));
  const path = join(dir, 'to-cpu.json');
  writeFileSync(path, JSON.stringify({
    version: 1, runs: 64,
    arrays: [{ name: 'a', role: 'input', dtype: 'u32', shape: ['runs'] }, { name: 'b', role: 'output', dtype: 'u32', shape: ['runs'] }],
    recovery: { ladder: ['cpu'] },
    faults: [{ kind: 'out-of-memory', onAllocation: 1 }],
  }));
  const text = await run(path, '--backend', 'webgpu');
  expect(text.code).toBe(kExit.ok);
  const backendLine = text.out.split('\n').find((l) => l.startsWith('backend '));
  expect(backendLine).toMatch(/^backend {7}cpu \(the kernels' CPU twins, reached by the ladder's cpu rung; earlier attempts ran on WebGPU \((SwiftShader|WebGPU adapter): /);
  expect(text.out).not.toMatch(/backend\s+cpu \((SwiftShader|WebGPU adapter)/);
  const trace = join(dir, 'to-cpu.trace.json');
  const json = await run(path, '--backend', 'webgpu', '--json', '--trace', trace);
  expect(JSON.parse(json.out)).toMatchObject({ backend: 'cpu', device: expect.stringMatching(/^the kernels' CPU twins, reached by the ladder's cpu rung/) });
  expect(JSON.parse(readFileSync(trace, 'utf8')).device).toBe(JSON.parse(json.out).device);
});

test('a run chosen for the CPU names the CPU twins; one on WebGPU names the adapter', async () => {
  const cpu = await run('examples/axpy-i32.json', '--backend', 'cpu', '--json');
  expect(JSON.parse(cpu.out)).toMatchObject({ backend: 'cpu', device: "the kernels' CPU twins" });
  const small = join(mkdtempSync(join(tmpdir(), 'chunkscope-words-')), 'small.json');
  writeFileSync(small, JSON.stringify({ version: 1, runs: 8, arrays: [{ name: 'a', role: 'inout', dtype: 'f32', shape: ['runs'] }] }));
  const gpu = await run(small, '--backend', 'webgpu', '--json');
  expect(JSON.parse(gpu.out)).toMatchObject({ backend: 'webgpu', device: expect.stringMatching(/^(SwiftShader|WebGPU adapter): /) });
});
