/**
 * The page of the browser benchmark (round-trip.bench.ts drives it): axpy as 1 chunk and
 * as N chunks, with one and two buffer sets, run through the app's own simulator worker
 * (SimulatorClient, a live-update callback as the app passes), interleaved round by round
 * with the one-round-trip floor probe run on this page's own device.
 */
import { floorProbe } from '../round-trip-probes.ts';
import { SimulatorClient } from '../../src/worker/simulator-client.ts';

/** What the benchmark asks for. */
export interface BrowserBenchOptions {
  runs: number;
  chunks: number;
  rounds: number;
}

/** Milliseconds per sample, by configuration, in round order. */
export interface BrowserBenchResult {
  adapter: string;
  runs: Record<string, number[]>;
  /** Per round trip, each sample over `chunks` round trips. */
  floor: number[];
  /** The floor with inputs through a reused MAP_WRITE staging buffer, as the engine uploads. */
  floorStaging: number[];
  floorTwoInFlight: number[];
}

function axpy(runs: number, chunkLength: number, bufferSets: number) {
  return {
    version: 1,
    name: `axpy ${runs} runs, chunks of ${chunkLength}, ${bufferSets} set(s)`,
    runs,
    arrays: [
      { name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] },
      { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] },
    ],
    // Two f32 arrays: 8 B per run and set, so this budget plans chunks of exactly chunkLength.
    device: { budgetBytes: chunkLength * 8 * bufferSets },
    planner: { headroom: 0, bufferSets },
    kernel: { name: 'axpy', a: 2.5 },
    seed: 7,
  };
}

async function bench({ runs, chunks, rounds }: BrowserBenchOptions): Promise<BrowserBenchResult> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter on this page');
  const device = await adapter.requestDevice();
  const client = new SimulatorClient();
  const configs = [1, 2].flatMap((sets) => [1, chunks].map((n) => ({ key: `${n}x${sets}`, n, scenario: axpy(runs, runs / n, sets) })));
  const result: BrowserBenchResult = {
    adapter: [adapter.info.vendor, adapter.info.architecture, adapter.info.description].filter(Boolean).join(' '),
    runs: Object.fromEntries(configs.map((c) => [c.key, []])),
    floor: [],
    floorStaging: [],
    floorTwoInFlight: [],
  };
  const runOnce = async (c: (typeof configs)[number]) => {
    let updates = 0;
    const t0 = performance.now();
    const reply = await client.run(c.scenario, () => updates++);
    const ms = performance.now() - t0;
    if (!reply.ok) throw new Error(`${c.key}: ${reply.error.message}`);
    const r = reply.report;
    if (r.status !== 'ok' || r.chunksCompleted !== c.n || r.liveBuffersAfter !== 0) throw new Error(`${c.key}: ${r.status}, ${r.chunksCompleted} chunks`);
    const a = r.attempts[0];
    if (a.measuredPeakBytes !== a.predictedPeakBytes || a.measuredStagingPeakBytes !== a.predictedStagingPeakBytes) throw new Error(`${c.key}: peaks differ from the plan`);
    return ms;
  };
  const perRun = runs / chunks;
  try {
    for (const c of configs) await runOnce(c);
    await floorProbe(device, { roundTrips: 20, runs: perRun });
    for (let round = 0; round < rounds; round++) {
      for (const c of configs) result.runs[c.key].push(await runOnce(c));
      result.floor.push((await floorProbe(device, { roundTrips: chunks, runs: perRun })) / chunks);
      result.floorStaging.push((await floorProbe(device, { roundTrips: chunks, runs: perRun, upload: 'staging' })) / chunks);
      result.floorTwoInFlight.push((await floorProbe(device, { roundTrips: chunks, runs: perRun, upload: 'staging', inFlight: 2 })) / chunks);
    }
  } finally {
    client.dispose();
    device.destroy();
  }
  return result;
}

(window as unknown as { chunkscopeBench: typeof bench }).chunkscopeBench = bench;
