// The worker's store of finished runs: the zip holds the kept files unchanged, a new run replaces the last one, and outputs over the cap are refused in a sentence.
import { unzipSync } from 'fflate';
import { expect, test } from 'vitest';
import { KeptOutputs } from '../../src/engine/kept-outputs.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import { outputBytes } from '../../src/engine/output-sink.ts';
import { kKeptOutputsBytes, outputsRefusal, OutputsStore } from '../../src/worker/outputs-store.ts';
import { kLorenzSmall } from '../engine/fault-helpers.ts';
import { scenario as parsed } from '../engine/scenarios.ts';

async function keptRun(scenario = kLorenzSmall) {
  const sink = new KeptOutputs(scenario);
  const outcome = await runScenario(scenario, { backend: 'cpu', outputs: sink });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return sink.kept!;
}

test('the zip holds every kept file, byte for byte, and the offer lists them with their sizes', async () => {
  const kept = await keptRun();
  const store = new OutputsStore();
  const offer = store.put('run', kept);
  expect(offer).toEqual({
    kept: true,
    id: expect.any(Number),
    status: 'ok',
    runs: kLorenzSmall.runs,
    runsFinished: kLorenzSmall.runs,
    verified: 'passed',
    files: kept.files.map((f) => ({ name: f.name, bytes: f.bytes.byteLength })),
  });
  const unzipped = unzipSync(store.zip(offer.kept ? offer.id : -1)!);
  expect(Object.keys(unzipped).sort()).toEqual(['manifest.json', 'state.npy', 'status.npy']);
  for (const file of kept.files) expect(Buffer.from(unzipped[file.name]).equals(Buffer.from(file.bytes)), file.name).toBe(true);
});

test('a new run replaces the last run\'s files but not the last soak\'s', async () => {
  const kept = await keptRun();
  const store = new OutputsStore();
  const soak = store.put('soak', kept);
  const first = store.put('run', kept);
  const second = store.put('run', kept);
  const id = (offer: typeof first) => (offer.kept ? offer.id : -1);
  expect(store.zip(id(first))).toBeUndefined();
  expect(store.zip(id(second))).toBeInstanceOf(Uint8Array);
  expect(store.zip(id(soak))).toBeInstanceOf(Uint8Array);
  expect(store.zip(12345)).toBeUndefined();
});

test('a run that starts lets go of the last run\'s files before it keeps its own, and the soak\'s stay', async () => {
  const kept = await keptRun();
  const store = new OutputsStore();
  const soak = store.put('soak', kept);
  const run = store.put('run', kept);
  store.forget('run');
  expect(store.zip(run.kept ? run.id : -1)).toBeUndefined();
  expect(store.zip(soak.kept ? soak.id : -1)).toBeInstanceOf(Uint8Array);
});

test('an array named __proto__ lands in the zip as __proto__.npy', async () => {
  // The default kernel (touch) takes arrays of any name.
  const scenario = parsed({
    version: 1,
    runs: 100,
    arrays: [{ name: 'a', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: '__proto__', role: 'output', dtype: 'f32', shape: ['runs'] }],
  });
  const store = new OutputsStore();
  const offer = store.put('run', await keptRun(scenario));
  const unzipped = unzipSync(store.zip(offer.kept ? offer.id : -1)!);
  expect(Object.keys(unzipped).sort()).toEqual(['__proto__.npy', 'manifest.json']);
});

test('outputs over the cap are refused with their size and the cap; at the cap they are kept', () => {
  const bytes = outputBytes(kLorenzSmall);
  expect(outputsRefusal(kLorenzSmall, bytes)).toBeUndefined();
  expect(outputsRefusal(kLorenzSmall, bytes - 1)).toMatch(/^This run's outputs take .+, over the .+ the page keeps for download, so they were verified and let go; `chunkscope run --outputs DIR` writes them to files\.$/);
  const huge = { ...kLorenzSmall, runs: kLorenzSmall.runs * Math.ceil((kKeptOutputsBytes + 1) / bytes) };
  expect(outputsRefusal(huge)).toContain('128 MiB');
});
