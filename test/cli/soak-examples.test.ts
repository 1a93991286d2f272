// Every example in examples/soak/ soaks on Node WebGPU to the outcome its name states:
// the OOM-prevention suite's stress cases (baseline, consecutive OOMs, GPU/CPU toggling,
// a leak, the emergency stop) as files a user can run.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { kExit } from '../../src/cli/exit-codes.ts';
import { main } from '../../src/cli/main.ts';
import { exampleFiles } from '../core/example-files.ts';

interface Outcome {
  status: string;
  verified?: boolean;
  fallbacks: number;
  backends: string[];
}

const kExpected: Record<string, { code: number; verdict: string; slope: number; cycles: number; each: Partial<Outcome>; name: RegExp; stoppedAt?: number }> = {
  'clean-soak.json': { code: kExit.ok, verdict: 'steady', slope: 0, cycles: 50, each: { fallbacks: 0, backends: ['webgpu'] }, name: /steady/ },
  'consecutive-ooms.json': { code: kExit.ok, verdict: 'steady', slope: 0, cycles: 20, each: { fallbacks: 1, backends: ['webgpu', 'webgpu'] }, name: /steady/ },
  'gpu-cpu-toggle.json': { code: kExit.ok, verdict: 'steady', slope: 0, cycles: 50, each: { fallbacks: 1, backends: ['webgpu', 'cpu'] }, name: /nothing left behind/ },
  'leak-one-buffer.json': { code: kExit.soakLeaked, verdict: 'leaking', slope: 4000, cycles: 20, each: { fallbacks: 0 }, name: /leaking at exactly 4,000 B a cycle/ },
  'emergency-stop.json': { code: kExit.soakLeaked, verdict: 'stopped', slope: 4000, cycles: 4, each: { fallbacks: 0 }, name: /stops there/, stoppedAt: 4 },
};

const kExamples = exampleFiles('soak');

test('every soak example has a stated outcome here', () => {
  expect(kExamples.map((e) => e.file).sort()).toEqual(Object.keys(kExpected).sort());
});

describe.each(kExamples)('examples/soak/$file', ({ file, json }) => {
  test('soaks to the outcome its name states, every cycle verified, nothing live after', async () => {
    const expected = kExpected[file];
    expect((json as { name: string }).name).toMatch(expected.name);
    const out: string[] = [];
    const code = await main(['soak', join('examples/soak', file), '--json', '--backend', 'webgpu'], { out: (t) => out.push(t), err: () => {} });
    const soak = JSON.parse(out.join('\n'));
    expect(code).toBe(expected.code);
    expect(soak.verdict).toBe(expected.verdict);
    expect(soak.growth.deviceBytesPerCycle).toBe(expected.slope);
    expect(soak.cycles).toHaveLength(expected.cycles);
    for (const outcome of soak.outcomes) expect(outcome).toMatchObject({ status: 'ok', verified: true, ...expected.each });
    if (expected.stoppedAt) expect(soak.stopped.cycle).toBe(expected.stoppedAt);
    expect(soak.leakedAtEnd.deviceBytes).toBe(soak.cycles.at(-1).liveDeviceBytes);
  });
});
