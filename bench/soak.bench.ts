/**
 * A 1 000-cycle soak of examples/soak/clean-soak.json on one WebGPU device (SwiftShader
 * here): host growth per 100 cycles once warm (the later half), as RSS and as the JS
 * heap, beside the device slope (exactly 0 for a clean soak). Goal: under 1 MB per 100
 * cycles once warm. Each sample follows a full garbage collection, so the fit measures
 * what stays, not where the collector's sawtooth happened to be.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { registerRawImports } from '../src/cli/raw-imports.ts';
import { leastSquaresSlope, warmSamples } from '../src/core/soak.ts';
import { formatBytes } from '../src/core/units.ts';
import type { BenchSection } from './section.ts';

const kCycles = 1000;

/** The collector, exposed at run time: the bench runs in a child the launcher starts without --expose-gc. */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export async function soakSection(): Promise<BenchSection> {
  registerRawImports();
  const { prepareRun } = await import('../src/engine/prepare-run.ts');
  const { runSoak } = await import('../src/engine/soak.ts');
  const { acquireNodeDevice } = await import('../src/engine/node-device.ts');
  const prepared = prepareRun(JSON.parse(readFileSync(new URL('../examples/soak/clean-soak.json', import.meta.url), 'utf8')));
  if (!prepared.ok) throw new Error(prepared.error.message);
  const acquired = await acquireNodeDevice();
  if (!acquired.ok) return { title: 'Soak', note: `skipped: ${acquired.message}`, rows: [] };
  // Where RSS growth goes, if any: the JS heap, or ArrayBuffers (host arrays), or neither
  // (then native: Dawn and SwiftShader's own allocations).
  const heap: number[] = [];
  const arrayBuffers: number[] = [];
  const gc = fullGc();
  try {
    const soak = await runSoak(prepared.run, {
      backend: 'webgpu',
      device: acquired.value.device,
      cycles: kCycles,
      // hostBytes is read first in a cycle's sample, onCycle after it: both after this collection.
      hostBytes: () => {
        gc();
        return process.memoryUsage().rss;
      },
      onCycle: () => {
        const memory = process.memoryUsage();
        heap.push(memory.heapUsed);
        arrayBuffers.push(memory.arrayBuffers);
      },
    });
    const warm = warmSamples(soak.cycles);
    const per100 = (ys: readonly number[]) => leastSquaresSlope(warm.map((s) => s.cycle), ys) * 100;
    const rss = per100(warm.map((s) => s.hostBytes));
    const heapGrowth = per100(warmSamples(heap));
    const bufferGrowth = per100(warmSamples(arrayBuffers));
    const signed = (bytes: number) => `${bytes < 0 ? '−' : ''}${formatBytes(Math.abs(Math.round(bytes)))}`;
    return {
      title: 'Soak',
      note: `chunkscope soak of examples/soak/clean-soak.json, ${kCycles} cycles on ${acquired.value.description}, ${(soak.cycles.at(-1)!.ms / 1000).toFixed(1)} s; growth fitted over cycles ${warm[0].cycle}–${kCycles}.`,
      rows: [
        { name: 'device growth', figure: `${soak.growth.deviceBytesPerCycle} B per cycle`, goal: '0', met: soak.growth.deviceBytesPerCycle === 0 },
        { name: 'host growth (RSS)', figure: `${signed(rss)} per 100 cycles`, goal: '< 1 MB per 100 cycles', met: rss < 1e6 },
        { name: 'JS heap growth', figure: `${signed(heapGrowth)} per 100 cycles` },
        { name: 'ArrayBuffer growth', figure: `${signed(bufferGrowth)} per 100 cycles` },
        { name: 'native growth (RSS − heap − ArrayBuffers)', figure: `${signed(rss - heapGrowth - bufferGrowth)} per 100 cycles` },
        { name: 'verdict', figure: `${soak.verdict}: ${soak.why}` },
      ],
    };
  } finally {
    acquired.value.device.destroy();
  }
}
