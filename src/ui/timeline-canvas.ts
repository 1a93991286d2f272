/**
 * The memory timeline's curves on a canvas: the stacked layers, the device, reserved and
 * staging lines and a compared run's line, one bucket per pixel column. SVG would need a node or
 * a path segment per bucket and re-layout on every frame of a zoom; a canvas redraws a
 * few thousand rectangles and segments in a millisecond or two — if it is drawn with what
 * rasterises cheaply: a `fillRect` per row of columns of one height rather than one path
 * of thousands of rectangles, and dashes along a line's level runs but only along its
 * rises and falls while they are few. Chromium rasterises a canvas when
 * the frame is composited; on SwiftShader a dashed zigzag through 1 200 columns took 82 ms
 * there, a solid one 17 ms, a path of 1 200 rectangles 7.5 ms and 1 200 `fillRect`s 2 ms
 * (bench/diag/canvas-micro.ts). The 10^6-event trace of bench/browser.bench.ts drawn a
 * `fillRect` per column rastered in 2–3 ms, in the frame's commit; as rows, in 0.7–1.7 ms.
 */
import type { TimelineView } from '../core/timeline-view.ts';
import type { CompareLine } from '../worker/trace-store.ts';

/** Where and how to draw; `x` and `y` map axis positions and bytes to canvas pixels. */
export interface CanvasFrame {
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
  x: (position: number) => number;
  y: (bytes: number) => number;
  /** The stack's layers, bottom first, with their colours. */
  layers: { key: string; colour: string }[];
  /** Shading per chunk band, under the layers: [x0, x1, odd] on the axis. */
  bands: [number, number, boolean][];
  /** The chunk stepped through: its spans on the axis, shaded over the whole height. */
  stepped: [number, number][];
  /** Device pixels per CSS pixel (the context's scale); columns are snapped to them. Default 1. */
  pixelRatio?: number;
  /** Resolved colours (a canvas cannot read `var()`): the theme's custom properties. */
  colours: { device: string; staging: string; compare: string; band: string; reserved: string; step: string };
}

/** Draws one frame of the curves; see the module comment. */
export function drawTimeline(frame: CanvasFrame, view: TimelineView, compare: CompareLine | undefined): void {
  const { ctx, width, height, x, y } = frame;
  ctx.clearRect(0, 0, width, height);
  const n = view.deviceMax.length;
  const left = new Float64Array(n + 1);
  // On device pixels: translucent columns sharing a pixel would blend twice there, a seam.
  const ratio = frame.pixelRatio ?? 1;
  for (let i = 0; i <= n; i++) left[i] = Math.round(x(view.edges[i]) * ratio) / ratio;

  ctx.fillStyle = frame.colours.band;
  for (const [x0, x1, odd] of frame.bands) {
    ctx.globalAlpha = odd ? 0.16 : 0.08;
    ctx.fillRect(x(x0), 0, Math.max(1, x(x1) - x(x0)), height);
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = frame.colours.step;
  for (const [x0, x1] of frame.stepped) ctx.fillRect(x(x0), 0, Math.max(2, x(x1) - x(x0)), height);
  // Reserved bytes as a pale area: what shows above the allocated layers is reserved but free.
  if (view.reservedMax.length === n) {
    ctx.globalAlpha = 0.18;
    ctx.fillStyle = frame.colours.reserved;
    const columns = new Columns(ctx, left);
    for (let i = 0; i < n; i++) columns.add(i, y(view.reservedMax[i]), y(0));
    columns.flush();
  }
  ctx.globalAlpha = 0.72;
  const byKey = new Map(view.layers.map((l) => [l.key, l.bytes]));
  const base = new Float64Array(n);
  for (const layer of frame.layers) {
    const bytes = byKey.get(layer.key);
    if (!bytes) continue;
    ctx.fillStyle = layer.colour;
    const columns = new Columns(ctx, left);
    for (let i = 0; i < n; i++) {
      if (bytes[i] <= 0) continue;
      columns.add(i, y(base[i] + bytes[i]), y(base[i]));
      base[i] += bytes[i];
    }
    columns.flush();
  }
  ctx.globalAlpha = 1;
  if (view.reservedMax.length === n) strokeMinMax(ctx, left, y, view.reservedMin, view.reservedMax, view.reservedLast, { colour: frame.colours.reserved, width: 1.5, dash: [2, 2] });
  strokeMinMax(ctx, left, y, view.deviceMin, view.deviceMax, view.deviceLast, { colour: frame.colours.device, width: 1.5 });
  strokeMinMax(ctx, left, y, view.stagingMin, view.stagingMax, view.stagingLast, { colour: frame.colours.staging, width: 1.5, dash: [5, 3] });
  if (compare) strokeMinMax(ctx, left, y, compare.deviceMin, compare.deviceMax, compare.deviceLast, { colour: frame.colours.compare, width: 2.5, dash: [4, 3] });
}

/**
 * Fills columns from `top` to `bottom`, one rectangle for each row of neighbouring columns
 * that span the same pixels: a layer that holds its bytes across the window is one
 * `fillRect`, not one per column, and each costs the raster alike, however narrow.
 */
class Columns {
  private _from = -1;
  private _to = -1;
  private _top = 0;
  private _bottom = 0;

  constructor(
    private readonly _ctx: CanvasRenderingContext2D,
    private readonly _left: Float64Array,
  ) {}

  /** Column `i` from `top` to `bottom` (pixels); columns are added left to right. */
  add(i: number, top: number, bottom: number) {
    if (this._from >= 0 && i === this._to + 1 && top === this._top && bottom === this._bottom) {
      this._to = i;
      return;
    }
    this.flush();
    this._from = this._to = i;
    this._top = top;
    this._bottom = bottom;
  }

  /** Fills the row of columns held back. */
  flush() {
    if (this._from < 0) return;
    const x = this._left[this._from];
    this._ctx.fillRect(x, this._top, Math.max(0.5, this._left[this._to + 1] - x), this._bottom - this._top);
    this._from = this._to = -1;
  }
}

/**
 * Most pixels of rises and falls drawn dashed; past this many a dashed line's rises and
 * falls are solid bars. Zoomed in, a few dashed steps tell staging from device bytes;
 * zoomed out they crowd into a solid block anyway, and dashing them costs the raster
 * about 0.2 ms per 1 000 px on SwiftShader (a whole zigzag, 434 000 px, 82 ms).
 */
const kDashedStepsPx = 20_000;

/**
 * A step line through buckets: in each pixel column it reaches the bucket's least and
 * most value (so a short-lived peak shows as a spike), then runs on at its last value.
 * The rises and falls at each column's edge are solid bars of the line's width (dashed
 * strokes for a dashed line, up to {@link kDashedStepsPx}); the level runs between them
 * are stroked, each as long as the value stays put, so a dash pattern shows along it.
 */
function strokeMinMax(
  ctx: CanvasRenderingContext2D,
  left: Float64Array,
  y: (bytes: number) => number,
  min: Float64Array,
  max: Float64Array,
  last: Float64Array,
  style: { colour: string; width: number; dash?: number[] },
): void {
  const n = max.length;
  if (n === 0) return;
  ctx.beginPath();
  // Rises and falls as [x, top, bottom], drawn once their length is known.
  const steps: number[] = [];
  let stepsPx = 0;
  let level = y(min[0] === max[0] ? max[0] : min[0]);
  let runFrom = left[0];
  for (let i = 0; i < n; i++) {
    const [a, b, c] = [y(min[i]), y(max[i]), y(last[i])];
    const top = Math.min(level, a, b, c);
    const bottom = Math.max(level, a, b, c);
    if (bottom > top) {
      if (left[i] > runFrom) {
        ctx.moveTo(runFrom, level);
        ctx.lineTo(left[i], level);
      }
      steps.push(left[i], top, bottom);
      stepsPx += bottom - top;
      runFrom = left[i];
    }
    level = c;
  }
  ctx.moveTo(runFrom, level);
  ctx.lineTo(left[n], level);
  const half = style.width / 2;
  const dashedSteps = style.dash !== undefined && style.dash.length > 0 && stepsPx <= kDashedStepsPx;
  ctx.fillStyle = style.colour;
  for (let k = 0; k < steps.length; k += 3) {
    const [x, top, bottom] = [steps[k], steps[k + 1], steps[k + 2]];
    if (dashedSteps) {
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
    } else {
      // The bar reaches half a line width past its ends, where the runs' strokes end.
      ctx.fillRect(x - half, top - half, style.width, bottom - top + style.width);
    }
  }
  ctx.strokeStyle = style.colour;
  ctx.lineWidth = style.width;
  ctx.setLineDash(style.dash ?? []);
  ctx.stroke();
  ctx.setLineDash([]);
}
