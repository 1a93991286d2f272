/**
 * Diagnostic, not part of `npm run bench`: per-operation costs on the Node device
 * (queue round trip, error scopes, staging buffer creation, mapAsync), 50 of each per
 * sample. Run: node bin/webgpu-env.js bench/device-costs.micro.ts
 */
import { acquireNodeDevice } from '../src/engine/node-device.ts';
import { measure, formatTiming } from './measure.ts';
const a = await acquireNodeDevice(); if (!a.ok) throw 1;
const d = a.value.device;
const N = 50;
const t = async (name: string, fn: () => Promise<unknown>) => {
  const timing = await measure(async () => { for (let i = 0; i < N; i++) await fn(); }, { warmups: 1, repetitions: 5 });
  console.log(a.ok ? a.value.description : '', '|', name, 'per op', (timing.medianMs / N).toFixed(3), 'ms', formatTiming(timing));
};
await t('onSubmittedWorkDone empty', async () => { d.queue.submit([]); await d.queue.onSubmittedWorkDone(); });
await t('push/pop error scope', async () => { d.pushErrorScope('validation'); await d.popErrorScope(); });
await t('2 scopes + createBuffer 1MiB mapped + destroy', async () => {
  d.pushErrorScope('out-of-memory'); d.pushErrorScope('validation');
  const b = d.createBuffer({ size: 2 ** 20, usage: 4 | 2 /*MAP_WRITE|COPY_SRC*/, mappedAtCreation: true });
  await d.popErrorScope(); await d.popErrorScope(); b.unmap(); b.destroy();
});
await t('createBuffer 1MiB mapped no scopes + destroy', async () => {
  const b = d.createBuffer({ size: 2 ** 20, usage: 4 | 2, mappedAtCreation: true }); b.unmap(); b.destroy();
});
await t('mapAsync READ 1MiB after copy', async () => {
  const b = d.createBuffer({ size: 2 ** 20, usage: 1 | 8 });
  await b.mapAsync(1); b.unmap(); b.destroy();
});
d.destroy();
