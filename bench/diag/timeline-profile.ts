/**
 * Diagnostic (not a benchmark): what the main thread spends its long tasks and slow
 * frames on in the timeline's browser cases (bench/browser.bench.ts). Chrome tracing of
 * every process (devtools.timeline, cc, viz, input) gives the kind of work per long task
 * (script, style, layout, paint, commit…) and is written to $TMPDIR/chunkscope-diag/{live,hover,wheel}-trace.json
 * for a closer look; the V8 sampling profiler gives our functions. The open case also
 * splits each pointer move's and wheel's time (timeStamp → the page's first listener →
 * the app's change → the frame's begin → its callback → the frame's end), and the same
 * for the floor any page has: wheels stopped in a capture listener that only sets an
 * attribute, the app left out. DIAG_RAF_LOOP=1 runs an animation loop during the untraced
 * wheels, as the benchmark's frame counter does.
 *
 * `node bin/webgpu-env.js bench/diag/timeline-profile.ts open|live` (port CHUNKSCOPE_BENCH_PORT, default 5192).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { createServer } from 'vite';
import lorenz from '../../examples/lorenz-batch.json' with { type: 'json' };
import { parseScenario } from '../../src/core/scenario.ts';
import { chromiumArgs, findChromium } from '../../test/find-chromium.ts';
import { axpyChunks, savedTrace } from '../trace-fixtures.ts';

const kPort = Number(process.env.CHUNKSCOPE_BENCH_PORT ?? 5192);
const mode = process.argv[2] ?? 'open';
const kOut = join(tmpdir(), 'chunkscope-diag');
mkdirSync(kOut, { recursive: true });

interface Ev { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: Record<string, unknown> }

let tracer: CDPSession;
async function traced<T>(cdp: CDPSession, what: () => Promise<T>): Promise<{ result: T; events: Ev[]; profile: any }> {
  const events: Ev[] = [];
  const collect = (e: { value: unknown[] }) => events.push(...(e.value as Ev[]));
  tracer.on('Tracing.dataCollected', collect);
  await tracer.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,toplevel,blink,v8,cc,gpu,viz,disabled-by-default-devtools.timeline.frame,input,latencyInfo,benchmark,browser,ui,renderer_host', transferMode: 'ReportEvents' } as never);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await what();
  const { profile } = await cdp.send('Profiler.stop');
  const done = new Promise<void>((r) => tracer.once('Tracing.tracingComplete', () => r()));
  await tracer.send('Tracing.end');
  await done;
  tracer.off('Tracing.dataCollected', collect);
  return { result, events, profile };
}

function analyse(label: string, events: Ev[], profile: any, windows?: [number, number][]) {
  const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && (e.args as { name: string }).name === 'CrRendererMain');
  // The page's renderer: the main thread with the most work.
  let best: { pid: number; tid: number; n: number } | undefined;
  for (const m of names) {
    const n = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X').length;
    if (!best || n > best.n) best = { pid: m.pid, tid: m.tid, n };
  }
  if (!best) return console.log('no renderer main thread');
  const xs = events.filter((e) => e.pid === best!.pid && e.tid === best!.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const tasks = xs.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const long = tasks.filter((t) => t.dur! >= 30_000);
  console.log(`\n## ${label}: ${tasks.length} tasks, ${long.length} ≥ 30 ms: ${long.map((t) => (t.dur! / 1000).toFixed(0)).join(' ')}`);
  // Self time per event name inside the long tasks (or inside given windows).
  const selfIn = (from: number, to: number) => {
    const inside = xs.filter((e) => e.ts >= from && e.ts + e.dur! <= to);
    const self = new Map<string, number>();
    const stack: { e: Ev; child: number }[] = [];
    const pop = () => {
      const top = stack.pop()!;
      self.set(top.e.name, (self.get(top.e.name) ?? 0) + top.e.dur! - top.child);
    };
    for (const e of inside) {
      while (stack.length && stack[stack.length - 1].e.ts + stack[stack.length - 1].e.dur! <= e.ts) pop();
      if (stack.length) stack[stack.length - 1].child += e.dur!;
      stack.push({ e, child: 0 });
    }
    while (stack.length) pop();
    return [...self].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([n, d]) => `${n} ${(d / 1000).toFixed(1)}`).join(', ');
  };
  for (const t of long.slice(0, 12)) console.log(`task ${(t.dur! / 1000).toFixed(0)} ms @${((t.ts - tasks[0].ts) / 1000).toFixed(0)}: ${selfIn(t.ts, t.ts + t.dur!)}`);
  for (const [a, b] of windows ?? []) console.log(`window self times: ${selfIn(a, b)}`);
  // Our functions, by self time, inside long tasks.
  const nodes = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let t = profile.startTime;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inLong = (ts: number) => (windows ?? long.map((l) => [l.ts, l.ts + l.dur!] as [number, number])).some(([a, b]) => ts >= a && ts <= b);
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (!inLong(t)) continue;
    const n = nodes.get(profile.samples[i]);
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${String(f.url).split('/').slice(-1)[0]}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + profile.timeDeltas[i]);
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const g = nodes.get(id).callFrame;
      const k = `${g.functionName || '(anon)'} ${String(g.url).split('/').slice(-1)[0]}:${g.lineNumber + 1}`;
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + profile.timeDeltas[i]);
    }
  }
  console.log('self (ms): ' + [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join('\n  '));
  console.log('total (ms): ' + [...total].sort((a, b) => b[1] - a[1]).filter(([k]) => !k.startsWith('(')).slice(0, 30).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join('\n  '));
}

async function openCase(page: Page, cdp: CDPSession, path: string, events: number) {
  await page.goto(`http://127.0.0.1:${kPort}/`);
  await page.getByTestId('run-button').waitFor();
  const open = await traced(cdp, async () => {
    await page.getByTestId('open-trace').setInputFiles(path);
    await page.locator(`memory-timeline [data-testid="timeline-svg"][data-events="${events}"]`).waitFor({ timeout: 10 * 60_000 });
    await page.locator('memory-timeline [data-testid="timeline-canvas"][data-drawn]').waitFor();
    await page.locator('event-log [data-testid="event-table"][data-count]').waitFor();
    await page.waitForTimeout(1000);
  });
  analyse('open', open.events, open.profile);
  const svg = page.locator('memory-timeline').getByTestId('timeline-svg');
  await svg.scrollIntoViewIfNeeded();
  const canvas = (await page.locator('memory-timeline').getByTestId('timeline-canvas').boundingBox())!;
  // Where an input's time goes, split at: the event's timeStamp → the page's first listener
  // runs → the app's change (the readout's words, the window attribute) → the animation
  // frame's time stamp (its begin; before the listener when the input was dispatched inside
  // that frame) → its callback runs → the frame ends (a message posted from the callback).
  await page.evaluate(() => {
    type Split = { at: number; handled: number };
    const w = window as unknown as { splits: Record<string, number[][]>; starving?: boolean };
    w.splits = { pointermove: [], wheel: [], floor: [] };
    const pending: Record<string, Split | undefined> = {};
    const toFrameEnd = (into: number[][], from: Split, mutated: number) =>
      requestAnimationFrame((t) => {
        const ran = performance.now();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => into.push([from.handled - from.at, mutated - from.handled, t - from.handled, ran - t, performance.now() - ran, performance.now() - from.handled]);
        channel.port2.postMessage(null);
      });
    const probe = document.createElement('div');
    probe.hidden = true;
    document.body.append(probe);
    for (const type of ['pointermove', 'wheel'])
      window.addEventListener(type, (e) => {
        pending[type] = { at: e.timeStamp, handled: performance.now() };
        // The floor with the app left out: the wheel stops here, as on a page whose only wheel listener sets an attribute and stops the scroll.
        if (type === 'wheel' && w.starving) {
          e.preventDefault();
          e.stopImmediatePropagation();
          probe.dataset.n = String(Number(probe.dataset.n ?? 0) + 1);
        }
      }, { capture: true, passive: false });
    new MutationObserver(() => toFrameEnd(w.splits.floor, pending.wheel!, performance.now())).observe(probe, { attributes: true });
    const root = document.querySelector('chunkscope-app')!.shadowRoot!.querySelector('memory-timeline')!.shadowRoot!;
    const changed = (type: string) => () => {
      const from = pending[type];
      if (!from) return;
      pending[type] = undefined;
      toFrameEnd(w.splits[type], from, performance.now());
    };
    new MutationObserver(changed('pointermove')).observe(root.querySelector('[data-testid="timeline-readout"]')!, { subtree: true, characterData: true, childList: true });
    new MutationObserver(changed('wheel')).observe(root.querySelector('[data-testid="timeline-svg"]')!, { attributeFilter: ['data-window'] });
  });
  const printSplits = async (what: string, key: string) => {
    const rows = await page.evaluate((k) => (window as unknown as { splits: Record<string, number[][]> }).splits[k].splice(0), key);
    const columns = ['timeStamp→listener', 'listener→change', 'listener→frame begin', 'frame begin→callback', 'callback→frame end', 'listener→frame end (the frame)'];
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    console.log(`${what}, ${rows.length} inputs, median (min–max) ms: ${columns.map((c, i) => { const xs = rows.map((r) => r[i]); return `${c} ${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`; }).join('; ')}`);
  };
  const hover = await traced(cdp, async () => {
    for (let i = 0; i < 40; i++) {
      await page.mouse.move(canvas.x + canvas.width * (0.05 + 0.9 * (i / 40)), canvas.y + canvas.height / 2);
      await page.waitForTimeout(60);
    }
  });
  const all = (evs: Ev[]) => { const r = evs.filter((e) => e.name === 'RunTask' && e.dur); return [[r[0].ts, r[r.length - 1].ts + r[r.length - 1].dur!]] as [number, number][]; };
  analyse('hover', hover.events, hover.profile, all(hover.events));
  await printSplits('pointer moves (traced)', 'pointermove');
  await page.mouse.move(canvas.x + canvas.width * 0.5, canvas.y + canvas.height / 2);
  await page.waitForTimeout(300);
  if (process.env.DIAG_RAF_LOOP) {
    await page.evaluate(() => {
      const frame = () => requestAnimationFrame(frame);
      requestAnimationFrame(frame);
    });
  }
  const wheels = async () => {
    for (let i = 0; i < 20; i++) {
      await page.mouse.wheel(0, i < 12 ? -240 : 240);
      await page.waitForTimeout(150);
    }
  };
  await wheels();
  await printSplits('wheels, the app zooming', 'wheel');
  await page.evaluate(() => ((window as unknown as { starving?: boolean }).starving = true));
  await wheels();
  await page.evaluate(() => ((window as unknown as { starving?: boolean }).starving = false));
  await printSplits('wheels stopped in a capture listener that only sets an attribute (the app never sees them)', 'floor');
  await page.getByTestId('timeline-reset').first().click().catch(() => {});
  // The click left the pointer on the reset button: back over the chart, or the traced wheels zoom nothing.
  await page.mouse.move(canvas.x + canvas.width * 0.5, canvas.y + canvas.height / 2);
  await page.waitForTimeout(300);
  const wheel = await traced(cdp, wheels);
  await printSplits('wheels, the app zooming (traced)', 'wheel');
  analyse('wheel', wheel.events, wheel.profile, all(wheel.events));
  writeFileSync(join(kOut, 'wheel-trace.json'), JSON.stringify({ traceEvents: wheel.events }));
  writeFileSync(join(kOut, 'hover-trace.json'), JSON.stringify({ traceEvents: hover.events }));
}

async function liveCase(page: Page, cdp: CDPSession) {
  const parsed = parseScenario({ ...lorenz, name: 'Lorenz batch, 3 922 chunks', runs: 200_000, device: { budgetBytes: 63 * 1024 }, kernel: { name: 'lorenz-rk4', steps: 100, dt: 0.01, saveEvery: 1 } });
  if (!parsed.ok) throw new Error('invalid');
  const file = join(tmpdir(), `diag-3922-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(parsed.scenario));
  await page.goto(`http://127.0.0.1:${kPort}/`);
  await page.getByLabel('Open JSON…').setInputFiles(file);
  await page.getByTestId('plan-chunks').filter({ hasText: '3,922 chunks of 51 runs' }).waitFor({ timeout: 60_000 });
  const live = await traced(cdp, async () => {
    await page.getByTestId('run-button').click();
    await page.locator('run-report').getByTestId('run-status').filter({ hasText: 'finished' }).waitFor({ timeout: 20 * 60_000 });
    await page.waitForTimeout(3000);
  });
  analyse('live', live.events, live.profile);
  writeFileSync(join(kOut, 'live-trace.json'), JSON.stringify({ traceEvents: live.events }));
}

const server = await createServer({ server: { port: kPort, strictPort: true, host: '127.0.0.1' }, logLevel: 'error' });
await server.listen();
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs() });
tracer = await browser.newBrowserCDPSession();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ content: 'window.__name = (f) => f;' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (mode === 'live') await liveCase(page, cdp);
  else {
    const fixture = await savedTrace(axpyChunks(111_111, 1), `diag-1m-${process.pid}.trace.json`);
    await openCase(page, cdp, fixture.path, fixture.events);
  }
} finally {
  await browser.close();
  await server.close();
}
