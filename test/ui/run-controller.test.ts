// The page's side of a run: updates say how far the live trace in the worker has grown; one that lands after its run's reply is dropped, even when the next run is going.
import { expect, test } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import { RunController } from '../../src/ui/run-controller.ts';
import type { SimulatorController } from '../../src/ui/simulator-controller.ts';
import type { RunProgress, RunReply, RunUpdate } from '../../src/worker/simulator-api.ts';

const host: ReactiveControllerHost = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };

const grown = (traceId: number, eventCount: number) => ({ traceId, eventCount });
const progressAt = (runsDone: number): RunProgress => ({ runsDone, runs: 10, attempt: 1, backend: 'webgpu', chunk: 0, chunkLength: 10 });
const reply = { ok: false, error: { code: 'NO_DEVICE', message: 'none' } } as RunReply;

/** A worker whose run sends `before` updates, replies, then sends `after` on the callback's port. */
function fakeSimulator(script: { before: RunUpdate[]; after: RunUpdate[] }[]) {
  const late: (() => void)[] = [];
  let call = 0;
  const client = {
    async run(_json: unknown, onUpdate: (update: RunUpdate) => void): Promise<RunReply> {
      const { before, after } = script[call++];
      for (const update of before) onUpdate(update);
      late.push(() => after.forEach(onUpdate));
      return reply;
    },
    async cancel() {},
  };
  return { simulator: { client } as unknown as SimulatorController, deliverLate: () => late.splice(0).forEach((send) => send()) };
}

test('updates build the live trace; an update that lands after the reply changes nothing', async () => {
  const { simulator, deliverLate } = fakeSimulator([
    { before: [{ progress: progressAt(4), ...grown(1, 1) }, grown(1, 2)], after: [{ progress: progressAt(9), ...grown(1, 3) }] },
  ]);
  const runs = new RunController(host, simulator);
  const seen: number[][] = [];
  const original = host.requestUpdate;
  host.requestUpdate = () => seen.push(runs.trace ? [runs.trace.traceId, runs.trace.eventCount] : []);

  await runs.start({});
  // While it ran, the page saw the trace grow, one batch at a time.
  expect(seen).toContainEqual([1, 1]);
  expect(seen).toContainEqual([1, 2]);
  expect(runs.running).toBe(false);
  expect(runs.reply).toBe(reply);
  expect(runs.trace).toBeUndefined();

  deliverLate();
  expect(runs.trace).toBeUndefined();
  expect(runs.progress).toEqual(progressAt(4));
  host.requestUpdate = original;
});

test('the last batch of a run, landing while the next run goes on, is not the next run\'s', async () => {
  const { simulator, deliverLate } = fakeSimulator([
    { before: [{ progress: progressAt(4), ...grown(1, 1) }], after: [{ progress: progressAt(9), ...grown(1, 3) }] },
    { before: [grown(2, 7)], after: [] },
  ]);
  const runs = new RunController(host, simulator);
  await runs.start({});
  const second = runs.start({});
  expect(runs.running).toBe(true);
  deliverLate();
  expect(runs.progress).toBeUndefined();
  expect(runs.trace).toEqual({ traceId: 2, eventCount: 7 });
  await second;
});
