/** Diagnostic: what a timeline-like canvas frame costs to raster in this Chromium, by part. */
import { chromium } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../test/find-chromium.ts';

const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs() });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.addInitScript({ content: 'window.__name = (f) => f;' });
await page.goto('about:blank');
await page.evaluate('window.__name = (f) => f');
await page.setContent('<canvas id="c" style="width:1206px;height:200px"></canvas>');
const out = await page.evaluate(async () => {
  const c = document.getElementById('c') as HTMLCanvasElement;
  c.width = 1206; c.height = 200;
  const n = 1206;
  const ctx = c.getContext('2d', { desynchronized: true })!;
  const y = (v: number) => 200 - v * 180;
  const rnd = (i: number) => ((i * 2654435761) % 1000) / 1000;
  const min = Float64Array.from({ length: n }, () => 0);
  const max = Float64Array.from({ length: n }, (_, i) => 0.5 + 0.3 * rnd(i));
  const last = Float64Array.from({ length: n }, () => 0);
  const flush = () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
  const variants: Record<string, () => void> = {
    none: () => {},
    layerRects: () => { ctx.globalAlpha = 0.72; ctx.fillStyle = '#0072B2'; ctx.beginPath(); for (let i = 0; i < n; i++) ctx.rect(i, y(max[i]), 1, y(0) - y(max[i])); ctx.fill(); ctx.globalAlpha = 1; },
    layerFillRect: () => { ctx.globalAlpha = 0.72; ctx.fillStyle = '#0072B2'; for (let i = 0; i < n; i++) ctx.fillRect(i, y(max[i]), 1, y(0) - y(max[i])); ctx.globalAlpha = 1; },
    solidZigzag: () => { ctx.beginPath(); ctx.lineWidth = 1.5; ctx.setLineDash([]); ctx.moveTo(0, y(0)); for (let i = 0; i < n; i++) { ctx.lineTo(i, y(min[i])); ctx.lineTo(i, y(max[i])); ctx.lineTo(i, y(last[i])); ctx.lineTo(i + 1, y(last[i])); } ctx.stroke(); },
    dashedZigzag: () => { ctx.beginPath(); ctx.lineWidth = 1.5; ctx.setLineDash([5, 3]); ctx.moveTo(0, y(0)); for (let i = 0; i < n; i++) { ctx.lineTo(i, y(min[i])); ctx.lineTo(i, y(max[i])); ctx.lineTo(i, y(last[i])); ctx.lineTo(i + 1, y(last[i])); } ctx.stroke(); ctx.setLineDash([]); },
  };
  const res: Record<string, number[]> = {};
  for (let rep = 0; rep < 5; rep++) for (const [k, f] of Object.entries(variants)) {
    await flush();
    const t0 = performance.now();
    ctx.clearRect(0, 0, n, 200);
    f();
    ctx.getImageData(0, 0, 1, 1);
    (res[k] ??= []).push(performance.now() - t0);
  }
  return Object.fromEntries(Object.entries(res).map(([k, v]) => [k, v.sort((a, b) => a - b)[2].toFixed(1)]));
});
console.log(out);
await browser.close();
