// The worker's API as the app uses it: one plan for everyone (every example, and a batch
// past one dispatch, plans as `chunkscope plan --json` does); one run at a time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { kRepoRoot, runCli } from '../cli/cli-process.ts';
import { kDispatchBound } from '../cli/dispatch-bound.ts';

const kExamples = readdirSync(join(kRepoRoot, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, json: JSON.parse(readFileSync(join(kRepoRoot, 'examples', f), 'utf8')) as unknown }));
const kCases = [...kExamples, { name: '5 000 000 Lorenz runs', json: kDispatchBound as unknown }];

test('the worker gives the plan (or the error) that chunkscope plan --json gives', async ({ page }) => {
  await page.goto('/');
  const fromWorker = await page.evaluate(async ({ path, scenarios }) => {
    const { SimulatorClient } = await import(/* @vite-ignore */ path);
    const client = new SimulatorClient();
    try {
      const replies = [];
      // Bigints do not cross page.evaluate: write them as the CLI's JSON does.
      for (const s of scenarios) replies.push(JSON.stringify(await client.plan(s), (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
      return replies;
    } finally {
      client.dispose();
    }
  }, { path: '/src/worker/simulator-client.ts', scenarios: kCases.map((c) => c.json) });

  for (const [i, c] of kCases.entries()) {
    const cli = await runCli(['plan', '--json', '-'], JSON.stringify(c.json));
    const planned = JSON.parse(cli.stdout);
    const reply = JSON.parse(fromWorker[i]);
    if (planned.error) expect(reply.error.code, c.name).toBe(planned.error.code);
    else expect(reply.plan, c.name).toEqual(planned);
  }
});

test('a second run while one is in flight is refused as RUN_IN_PROGRESS, and Cancel ends the first', async ({ page }) => {
  await page.goto('/');
  const replies = await page.evaluate(async ({ path, scenario }) => {
    const { SimulatorClient } = await import(/* @vite-ignore */ path);
    const client = new SimulatorClient();
    try {
      const first = client.run(scenario, () => {});
      const second = await client.run(scenario, () => {});
      await client.cancel();
      return { first: (await first).ok ? (await first).report.status : (await first).error.code, second: second.ok ? 'ran' : second.error.code };
    } finally {
      client.dispose();
    }
  }, { path: '/src/worker/simulator-client.ts', scenario: kLongRun });
  expect(replies).toEqual({ first: 'cancelled', second: 'RUN_IN_PROGRESS' });
});

/** Enough chunks that Cancel always lands while it runs. */
const kLongRun = {
  version: 1,
  runs: 200_000,
  arrays: [{ name: 'x', role: 'input', dtype: 'f32', shape: ['runs'] }, { name: 'y', role: 'inout', dtype: 'f32', shape: ['runs'] }],
  device: { budgetBytes: 8_000 },
  kernel: { name: 'axpy', a: 2 },
};

test('the worker soaks a scenario: a leak grows by exactly its bytes a cycle, and samples arrive as it goes', async ({ page }) => {
  await page.goto('/');
  const leak = JSON.parse(readFileSync(join(kRepoRoot, 'examples/soak/leak-one-buffer.json'), 'utf8'));
  const result = await page.evaluate(async ({ path, scenario }) => {
    const { SimulatorClient } = await import(/* @vite-ignore */ path);
    const client = new SimulatorClient();
    try {
      const seen: number[] = [];
      const reply = await client.soak(scenario, { cycles: 12 }, (samples: { cycle: number }[]) => seen.push(...samples.map((s) => s.cycle)));
      return { seen, verdict: reply.ok && reply.soak.verdict, slope: reply.ok && reply.soak.growth.deviceBytesPerCycle, leaked: reply.ok && reply.soak.leakedAtEnd };
    } finally {
      client.dispose();
    }
  }, { path: '/src/worker/simulator-client.ts', scenario: leak });
  expect(result).toEqual({ seen: Array.from({ length: 12 }, (_, i) => i + 1), verdict: 'leaking', slope: 4000, leaked: { buffers: 12, deviceBytes: 48_000 } });
});
