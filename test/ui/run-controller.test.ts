// The page's side of a run: updates build the live trace; one that lands after its run's reply is dropped, even when the next run is going.
import { expect, test } from 'vitest';
import type { ReactiveControllerHost } from 'lit';
import type { TraceEvent } from '../../src/core/trace.ts';
import { RunController } from '../../src/ui/run-controller.ts';
import type { SimulatorController } from '../../src/ui/simulator-controller.ts';
import type { RunProgress, RunReply, RunUpdate } from '../../src/worker/simulator-api.ts';

const host: ReactiveControllerHost = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) };

const alloc = (id: number): TraceEvent => ({ t: id, kind: 'alloc', id, label: `b${id}`, bytes: 4, usage: 'storage' });
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
    { before: [{ progress: progressAt(4), events: [alloc(1)] }, { events: [alloc(2)] }], after: [{ progress: progressAt(9), events: [alloc(3)] }] },
  ]);
  const runs = new RunController(host, simulator);
  const seen: number[][] = [];
  const original = host.requestUpdate;
  host.requestUpdate = () => seen.push(runs.events.map((e) => (e.kind === 'alloc' ? e.id : -1)));

  await runs.start({});
  // While it ran, the page saw the trace grow, one batch at a time.
  expect(seen).toContainEqual([1]);
  expect(seen).toContainEqual([1, 2]);
  expect(runs.running).toBe(false);
  expect(runs.reply).toBe(reply);
  expect(runs.events).toEqual([]);

  deliverLate();
  expect(runs.events).toEqual([]);
  expect(runs.progress).toEqual(progressAt(4));
  host.requestUpdate = original;
});

test('the last batch of a run, landing while the next run goes on, is not the next run\'s', async () => {
  const { simulator, deliverLate } = fakeSimulator([
    { before: [{ progress: progressAt(4), events: [alloc(1)] }], after: [{ progress: progressAt(9), events: [alloc(3)] }] },
    { before: [{ events: [alloc(7)] }], after: [] },
  ]);
  const runs = new RunController(host, simulator);
  await runs.start({});
  const second = runs.start({});
  expect(runs.running).toBe(true);
  deliverLate();
  expect(runs.progress).toBeUndefined();
  expect(runs.events.map((e) => (e.kind === 'alloc' ? e.id : -1))).toEqual([7]);
  await second;
});
