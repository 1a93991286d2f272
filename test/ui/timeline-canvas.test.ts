// The timeline's canvas drawing: each line's step path reaches every column's least and most value and runs on at its last, with dashes only along level runs; the stack is one rectangle per layer and row of neighbouring columns of the same height.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimelineView } from '../../src/core/timeline-view.ts';
import { drawTimeline } from '../../src/ui/timeline-canvas.ts';

/** A 2D context that records what is drawn: filled rectangles, stroked segments (with the dash in force), paths filled. */
function recordingContext() {
  const rects: { x: number; y: number; w: number; h: number; fill: string }[] = [];
  const segments: { x0: number; y0: number; x1: number; y1: number; colour: string; dash: number[] }[] = [];
  let path: [number, number, number, number][] = [];
  let at: [number, number] = [0, 0];
  let dash: number[] = [];
  let pathFills = 0;
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    clearRect() {},
    fillRect(x: number, y: number, w: number, h: number) {
      rects.push({ x, y, w, h, fill: ctx.fillStyle });
    },
    beginPath() {
      path = [];
    },
    moveTo(x: number, y: number) {
      at = [x, y];
    },
    lineTo(x: number, y: number) {
      path.push([at[0], at[1], x, y]);
      at = [x, y];
    },
    rect() {
      throw new Error('rect(): one path of thousands of rectangles rasterises slowly; fillRect each');
    },
    fill() {
      pathFills++;
    },
    setLineDash(d: number[]) {
      dash = d;
    },
    stroke() {
      for (const [x0, y0, x1, y1] of path) segments.push({ x0, y0, x1, y1, colour: ctx.strokeStyle, dash });
    },
  };
  return { ctx, rects, segments, pathFills: () => pathFills };
}

const kColours = { device: 'device', staging: 'staging', compare: 'compare', band: 'band', reserved: 'reserved', step: 'step' };

type Line = { min: number[]; max: number[]; last: number[] };

function viewOf(device: Line, layer: number[], staging?: Line): TimelineView {
  const n = device.max.length;
  const f = (xs: number[]) => Float64Array.from(xs);
  return {
    edges: Float64Array.from({ length: n + 1 }, (_, i) => i),
    deviceMin: f(device.min),
    deviceMax: f(device.max),
    deviceLast: f(device.last),
    stagingMin: staging ? f(staging.min) : new Float64Array(n),
    stagingMax: staging ? f(staging.max) : new Float64Array(n),
    stagingLast: staging ? f(staging.last) : new Float64Array(n),
    reservedMin: new Float64Array(0),
    reservedMax: new Float64Array(0),
    reservedLast: new Float64Array(0),
    layers: [{ key: 'x', bytes: f(layer) }],
  } as unknown as TimelineView;
}

/** Columns of min ≤ last ≤ max, as buckets have. */
const kColumns = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 60 })
  .map((cols) => cols.map(([a, b, c]) => [...[a, b, c].sort((p, q) => p - q)] as [number, number, number]))
  .map((cols) => ({ min: cols.map((c) => c[0]), last: cols.map((c) => c[1]), max: cols.map((c) => c[2]) }));

function draw(device: Line, staging?: Line) {
  const rec = recordingContext();
  const n = device.max.length;
  drawTimeline(
    { ctx: rec.ctx as unknown as CanvasRenderingContext2D, width: n, height: 100, x: (p) => p * 10, y: (b) => 100 - b, layers: [{ key: 'x', colour: 'layer' }], bands: [], stepped: [], colours: kColours },
    viewOf(device, device.max, staging),
    undefined,
  );
  return rec;
}

describe('drawTimeline', () => {
  it("the device line covers, at each column's left edge, the previous level, the column's least and most, and its last value; level runs join them", () => {
    fc.assert(
      fc.property(kColumns, (device) => {
        const { rects, segments } = draw(device);
        const bars = rects.filter((r) => r.fill === 'device');
        const runs = segments.filter((s) => s.colour === 'device');
        const covered = (x: number, y: number) => bars.some((b) => b.x <= x && x <= b.x + b.w && b.y <= y && y <= b.y + b.h);
        let level = device.min[0] === device.max[0] ? device.max[0] : device.min[0];
        for (let i = 0; i < device.max.length; i++) {
          const values = [level, device.min[i], device.max[i], device.last[i]];
          if (values.some((v) => v !== level)) for (const v of values) expect(covered(i * 10, 100 - v)).toBe(true);
          // Across the column, at its last value, a level run.
          const y = 100 - device.last[i];
          expect(runs.some((s) => s.y0 === y && s.y1 === y && s.x0 <= i * 10 && s.x1 >= i * 10 + 10)).toBe(true);
          level = device.last[i];
        }
        // One run per level, not one per column: a dash pattern can show along it.
        const changes = device.max.filter((_, i) => [device.min[i], device.max[i], device.last[i]].some((v) => v !== (i === 0 ? device.min[0] : device.last[i - 1]))).length;
        expect(runs.length).toBeLessThanOrEqual(changes + 1);
      }),
    );
  });

  it('a dashed line is dashed along its steps while they are few, and draws them as solid bars past that', () => {
    // A staging buffer up and down in each of 2 columns, then in each of 300 columns of a 100 px high chart (30 000 px of steps).
    const spikes = (n: number): Line => ({ min: Array(n).fill(0), max: Array(n).fill(100), last: Array(n).fill(0) });
    const flat = (n: number): Line => ({ min: Array(n).fill(0), max: Array(n).fill(0), last: Array(n).fill(0) });
    const few = draw(flat(2), spikes(2));
    expect(few.rects.filter((r) => r.fill === 'staging')).toHaveLength(0);
    expect(few.segments.filter((s) => s.colour === 'staging' && s.x0 === s.x1 && s.dash.length > 0)).toHaveLength(2);
    const many = draw(flat(300), spikes(300));
    expect(many.rects.filter((r) => r.fill === 'staging')).toHaveLength(300);
    expect(many.segments.filter((s) => s.colour === 'staging' && s.x0 === s.x1)).toHaveLength(0);
  });

  it('a layer is one rectangle per row of neighbouring columns of the same height, covering each non-empty column at its height and no empty one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }), (layer) => {
        const device = { min: layer, max: layer, last: layer };
        const rects = draw(device).rects.filter((r) => r.fill === 'layer');
        const rows = layer.filter((b, i) => b > 0 && (i === 0 || layer[i - 1] !== b)).length;
        expect(rects).toHaveLength(rows);
        layer.forEach((b, i) => {
          const over = rects.filter((r) => r.x <= i * 10 && r.x + r.w >= i * 10 + 10);
          expect(over).toEqual(b > 0 ? [expect.objectContaining({ y: 100 - b, h: b })] : []);
        });
      }),
    );
  });

  it('a dashed line is dashed along its level runs', () => {
    const device = { min: [0, 0, 4, 4, 4], max: [8, 0, 9, 4, 4], last: [0, 0, 4, 4, 4] };
    const { rects, segments, pathFills } = draw(device);
    const staging = segments.filter((s) => s.colour === 'staging');
    expect(staging.length).toBeGreaterThan(0);
    for (const s of staging) expect(s.dash).toEqual([5, 3]);
    for (const s of segments.filter((s) => s.colour === 'device')) expect(s.dash).toEqual([]);
    // The last three columns stay at 4: one run across them.
    expect(segments.filter((s) => s.colour === 'device' && s.y0 === 96)).toEqual([expect.objectContaining({ x0: 20, x1: 50 })]);
    // Columns 0 and 2 alone, 3 and 4 as one: filled rectangles, not a path.
    expect(rects.filter((r) => r.fill === 'layer').map((r) => [r.x, r.w])).toEqual([[0, 10], [20, 10], [30, 20]]);
    expect(pathFills()).toBe(0);
  });

  it('at a fractional pixel ratio the layer columns lie on device pixels and meet without overlapping, so no seam blends twice', () => {
    const n = 7;
    // Heights that differ from column to column, so no two columns share a rectangle.
    const heights = Array.from({ length: n }, (_, i) => 5 + (i % 2));
    const device = { min: heights, max: heights, last: heights };
    const rec = recordingContext();
    // Columns 2.37 CSS px wide: their edges fall between device pixels at a ratio of 1.5.
    drawTimeline(
      { ctx: rec.ctx as unknown as CanvasRenderingContext2D, width: 20, height: 100, x: (p) => p * 2.37, y: (b) => 100 - b, pixelRatio: 1.5, layers: [{ key: 'x', colour: 'layer' }], bands: [], stepped: [], colours: kColours },
      viewOf(device, device.max),
      undefined,
    );
    const columns = rec.rects.filter((r) => r.fill === 'layer').sort((a, b) => a.x - b.x);
    expect(columns).toHaveLength(n);
    for (const c of columns) {
      expect(Math.abs(c.x * 1.5 - Math.round(c.x * 1.5))).toBeLessThan(1e-9);
      expect(Math.abs((c.x + c.w) * 1.5 - Math.round((c.x + c.w) * 1.5))).toBeLessThan(1e-9);
    }
    for (let i = 1; i < n; i++) expect(columns[i].x).toBeCloseTo(columns[i - 1].x + columns[i - 1].w, 9);
  });
});
