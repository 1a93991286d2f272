// The webgpu package's polling, paced on SwiftShader: a short wait is still seen at once,
// a long one sleeps between polls (and so does a wait right after it), and nobody else's setImmediate is touched.
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { dawnPollingCounts, isBindingPoll, pacedImmediate, type PacerCounts, type PacerHost } from '../../src/engine/dawn-polling.ts';
import { runScenario } from '../../src/engine/run-scenario.ts';
import { gpuTest } from './gpu-fixture.ts';
import { example } from './scenarios.ts';

/** A pacer over a queue of callbacks the test runs one by one, on a clock the test moves. */
function harness() {
  const queue: (() => void)[] = [];
  const original = ((callback: (...args: unknown[]) => void, ...args: unknown[]) => {
    queue.push(() => callback(...args));
    return {} as NodeJS.Immediate;
  }) as typeof setImmediate;
  let clock = 0;
  const sleeps: number[] = [];
  const polls = new WeakSet<object>();
  const host: PacerHost = { now: () => clock, sleep: (ms) => sleeps.push(ms), isPoll: (callback) => polls.has(callback) };
  const counts: PacerCounts = { spun: 0, slept: 0 };
  const immediate = pacedImmediate(original, { host, counts, spinMs: 1, sleepMs: 0.1 });
  /** A poll that schedules itself again while `pending()` says so, the binding's way; each run advances the clock by `stepMs`. */
  const pollChain = (pending: () => boolean, stepMs: number) => {
    const poll = () => {
      clock += stepMs;
      if (pending()) immediate(poll);
    };
    polls.add(poll);
    immediate(poll);
  };
  const runNext = () => queue.shift()!();
  return { immediate, queue, sleeps, counts, pollChain, runNext, advance: (ms: number) => (clock += ms) };
}

describe('pacedImmediate', () => {
  test("a script's callback goes straight through, with its arguments, and never sleeps", () => {
    const h = harness();
    const got: unknown[] = [];
    h.immediate((a: number, b: string) => got.push(a, b), 1, 'two');
    h.runNext();
    expect(got).toEqual([1, 'two']);
    expect(h.sleeps).toEqual([]);
    expect(h.counts).toEqual({ spun: 0, slept: 0 });
  });

  test('a chain of polls spins for its first millisecond, then sleeps before each poll', () => {
    const h = harness();
    let left = 12;
    h.pollChain(() => --left > 0, 0.25);
    while (h.queue.length) h.runNext();
    // Polls at 0, 0.25, 0.5 and 0.75 ms spin; from 1 ms on, each sleeps first.
    expect(h.counts).toEqual({ spun: 4, slept: 8 });
    expect(h.sleeps).toEqual(Array(8).fill(0.1));
  });

  test('a chain that ends (nothing pending) lets the next wait spin again', () => {
    const h = harness();
    let left = 8;
    h.pollChain(() => --left > 0, 0.5);
    while (h.queue.length) h.runNext();
    expect(h.counts.slept).toBeGreaterThan(0);
    const slept = h.counts.slept;
    h.advance(10);
    let again = 2;
    h.pollChain(() => --again > 0, 0.25);
    while (h.queue.length) h.runNext();
    expect(h.counts.slept).toBe(slept);
  });

  test('a wait that begins just after a long one ended sleeps from its first poll; short waits after it spin again', () => {
    const h = harness();
    // A long wait: a kernel's worth of polls, the last ones sleeping.
    let left = 20;
    h.pollChain(() => --left > 0, 0.5);
    while (h.queue.length) h.runNext();
    const long = { ...h.counts };
    expect(long.slept).toBeGreaterThan(0);
    // The next chunk's packing takes 0.2 ms, then its wait begins: no spin.
    h.advance(0.2);
    let next = 4;
    h.pollChain(() => --next > 0, 0.5);
    while (h.queue.length) h.runNext();
    expect(h.counts).toEqual({ spun: long.spun, slept: long.slept + 4 });
    // That wait lasted past the spin window, so it carries on: the one after it sleeps too.
    h.advance(0.2);
    h.pollChain(() => false, 0.1);
    h.runNext();
    expect(h.counts).toEqual({ spun: long.spun, slept: long.slept + 5 });
    // It was short (0.1 ms), so it does not carry on: once the spin window has passed since
    // the long wait ended, a run of short round trips spins again.
    h.advance(0.8);
    const before = { ...h.counts };
    for (let i = 0; i < 3; i++) {
      h.advance(0.2);
      h.pollChain(() => false, 0.1);
      h.runNext();
    }
    expect(h.counts).toEqual({ spun: before.spun + 3, slept: before.slept });
  });

  test('a poll that throws still ends its chain', () => {
    const h = harness();
    h.pollChain(() => {
      throw new Error('poll failed');
    }, 5);
    expect(() => h.runNext()).toThrow('poll failed');
    h.advance(5);
    h.pollChain(() => false, 0);
    h.runNext();
    expect(h.counts).toEqual({ spun: 2, slept: 0 });
  });
});

describe('isBindingPoll', () => {
  test("takes a nameless native function with no parameters, as the binding makes, and nobody else's callback", () => {
    // A proxy of a nameless arrow function reads as native code, as a function made in C++ does.
    expect(isBindingPoll(new Proxy(() => {}, {}))).toBe(true);
    expect(isBindingPoll(() => {})).toBe(false);
    expect(isBindingPoll(function poll() {}.bind(null))).toBe(false);
    let resolve: unknown;
    void new Promise((r) => (resolve = r));
    expect(isBindingPoll(resolve)).toBe(false);
    expect(isBindingPoll(console.log)).toBe(false);
    expect(isBindingPoll(undefined)).toBe(false);
  });
});

/** The default example over 2048 runs in a few chunks: kernels of tens of milliseconds on SwiftShader, waits that outlast the spin. */
const kExample = example('lorenz-batch.json');
const kLorenz = { ...kExample, runs: 2048, device: { ...kExample.device, budgetBytes: 2 ** 20 } };

gpuTest.skipIf(process.env.CHUNKSCOPE_DAWN_POLLING === 'spin')(
  "on SwiftShader the device came with paced polling, the binding's own polls are the ones paced, and setImmediate keeps its promise form",
  async ({ gpu, skip }) => {
    if (gpu.via !== 'swiftshader') return skip('polling is paced on SwiftShader only');
    const counts = dawnPollingCounts();
    expect(counts).toBeDefined();
    const before = { ...counts! };
    const outcome = await runScenario(kLorenz, { backend: 'webgpu', device: gpu.device });
    expect(outcome.ok && outcome.report.status).toBe('ok');
    if (!outcome.ok) return;
    expect(outcome.report.plan.numChunks).toBeGreaterThan(1);
    expect(outcome.report.verification?.passed).toBe(true);
    // The binding polled through the kernels' waits, and the waits outlasted the spin.
    expect(counts!.spun).toBeGreaterThan(before.spun);
    expect(counts!.slept).toBeGreaterThan(before.slept);
    expect(await promisify(setImmediate)('value')).toBe('value');
    expect(() => setImmediate(undefined as never)).toThrow(TypeError);
  },
);
