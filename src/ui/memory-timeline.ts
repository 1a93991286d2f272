/**
 * `<memory-timeline>`: device-local bytes over the time of a run, drawn from its trace —
 * a step line against the budget line, the peak marked with the buffer that set it,
 * one band per chunk, a marker per fault and fallback, and staging (host-visible)
 * bytes on their own dashed line. Hover or arrow keys show the event behind each step.
 *
 * Hand-drawn SVG with a small linear scale: two axes do not justify a charting
 * dependency, and Lit's `svg` templates keep it one render function.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TraceEvent } from '../core/trace.ts';
import { formatBytes, formatDuration } from '../core/units.ts';
import type { RunReportView } from '../worker/simulator-api.ts';
import { describeEvent } from './event-words.ts';
import { SizeController } from './size-controller.ts';

/** One step of the memory lines: bytes live just after trace event `index`. */
interface Step {
  index: number;
  t: number;
  device: number;
  staging: number;
}

/** A linear map from `[d0, d1]` to `[r0, r1]`. */
function linearScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const span = d1 - d0 || 1;
  return (x) => r0 + ((x - d0) / span) * (r1 - r0);
}

/** About `count` round tick values covering `[0, max]` (1, 2 or 5 × a power of ten, in `unit`s). */
function ticks(max: number, count: number, unit = 1): number[] {
  if (!(max > 0)) return [0];
  const raw = max / unit / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power * unit;
  const out: number[] = [];
  for (let v = 0; v <= max * 1.0001; v += step) out.push(v);
  return out;
}

/** Steps of device and staging bytes, one per alloc or free. */
function stepsOf(trace: readonly TraceEvent[]): Step[] {
  const steps: Step[] = [{ index: -1, t: 0, device: 0, staging: 0 }];
  const sizes = new Map<number, { bytes: number; staging: boolean }>();
  let device = 0;
  let staging = 0;
  trace.forEach((e, index) => {
    if (e.kind === 'alloc') {
      sizes.set(e.id, { bytes: e.bytes, staging: e.usage === 'staging' });
      if (e.usage === 'staging') staging += e.bytes;
      else device += e.bytes;
    } else if (e.kind === 'free') {
      const size = sizes.get(e.id);
      if (!size) return;
      sizes.delete(e.id);
      if (size.staging) staging -= size.bytes;
      else device -= size.bytes;
    } else return;
    steps.push({ index, t: e.t, device, staging });
  });
  return steps;
}

/** A chunk's span on the timeline; `done` is false for a chunk a fault cut short. */
interface Band {
  index: number;
  begin: number;
  end: number;
  done: boolean;
}

/**
 * One band per chunk-begin, ended by its chunk-end or by the fault or attempt that cut it
 * short. With two buffer sets two chunks overlap, so open bands are kept by index. One
 * pass: a trace can hold 100 000 chunks.
 */
function bandsOf(trace: readonly TraceEvent[]): Band[] {
  const bands: Band[] = [];
  const open = new Map<number, Band>();
  for (const e of trace) {
    if (e.kind === 'chunk-begin') {
      const band = { index: e.index, begin: e.t, end: e.t, done: false };
      open.set(e.index, band);
      bands.push(band);
    } else if (e.kind === 'chunk-end') {
      const band = open.get(e.index);
      if (band) Object.assign(band, { end: e.t, done: true });
      open.delete(e.index);
    } else if (e.kind === 'attempt' || e.kind === 'device-lost' || e.kind === 'oom' || e.kind === 'validation-error' || e.kind === 'done') {
      for (const band of open.values()) band.end = e.t;
      open.clear();
    }
  }
  return bands;
}

const kMargin = { top: 18, right: 12, bottom: 40, left: 64 };
const kHeight = 280;

@customElement('memory-timeline')
export class MemoryTimeline extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0 0 0.4rem; }
    svg { display: block; font: 11px system-ui, sans-serif; overflow: visible; }
    svg:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
    .axis text { fill: #424a53; }
    .grid { stroke: #d8dee4; stroke-width: 1; }
    .device { fill: none; stroke: #0072B2; stroke-width: 2; }
    .device-area { fill: #0072B2; fill-opacity: 0.12; }
    .staging { fill: none; stroke: #E69F00; stroke-width: 1.5; stroke-dasharray: 5 3; }
    .budget { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 8 4; }
    .band { fill: #009E73; fill-opacity: 0.08; }
    .band.odd { fill-opacity: 0.16; }
    .fault { stroke: #cf222e; stroke-width: 2; }
    .fallback { stroke: #8250df; stroke-width: 2; stroke-dasharray: 3 2; }
    .peak { fill: #0072B2; stroke: #fff; stroke-width: 2; }
    .cursor { stroke: #57606a; stroke-width: 1; stroke-dasharray: 2 2; }
    .cursor-dot { fill: #fff; stroke: #24292f; stroke-width: 1.5; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; margin: 0.4rem 0 0; padding: 0; list-style: none; font-size: 0.85rem; }
    .legend span { display: inline-block; width: 1.4rem; height: 0; vertical-align: middle; margin-right: 0.3rem; border-top: 2px solid; }
    .readout { min-height: 2.6em; margin: 0.3rem 0 0; font-size: 0.9rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
  `;

  /** The report of the run to draw; nothing is drawn without one. */
  @property({ attribute: false }) report: RunReportView | undefined;

  /** The step under the pointer or the keyboard cursor. */
  @state() private _cursor: number | undefined;

  private readonly _size = new SizeController(this);
  private _steps: Step[] = [];
  private _chunks: Band[] = [];

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('report')) {
      this._steps = this.report ? stepsOf(this.report.trace) : [];
      this._chunks = this.report ? bandsOf(this.report.trace) : [];
      this._cursor = undefined;
    }
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const width = Math.max(this._size.width, 300);
    const plotW = width - kMargin.left - kMargin.right;
    const plotH = kHeight - kMargin.top - kMargin.bottom;
    const steps = this._steps;
    const tEnd = Math.max(r.trace.at(-1)?.t ?? 1, 1);
    const budget = Number(r.plan.budgetBytes);
    const maxBytes = Math.max(budget, r.peak.measuredBytes, r.stagingPeakBytes) * 1.08;
    const x = linearScale(0, tEnd, kMargin.left, kMargin.left + plotW);
    const y = linearScale(0, maxBytes, kMargin.top + plotH, kMargin.top);
    const mib = 2 ** 20;
    const byteUnit = maxBytes >= mib ? mib : 1024;
    const unitName = byteUnit === mib ? 'MiB' : 'KiB';
    const yTicks = ticks(maxBytes, 5, byteUnit);
    const xTicks = ticks(tEnd, Math.max(2, Math.floor(plotW / 90)));
    const line = (pick: (s: Step) => number) => {
      let d = '';
      steps.forEach((s, i) => {
        d += i === 0 ? `M${x(s.t)},${y(pick(s))}` : `H${x(s.t)}V${y(pick(s))}`;
      });
      return `${d}H${x(tEnd)}`;
    };
    const deviceLine = line((s) => s.device);
    const chunks = this._chunks;
    const marks = r.trace.filter((e) => e.kind === 'oom' || e.kind === 'validation-error' || e.kind === 'device-lost' || e.kind === 'fallback');
    const peak = r.peak.setBy;
    const cursor = this._cursor !== undefined ? steps[this._cursor] : undefined;
    const cursorEvent = cursor && cursor.index >= 0 ? r.trace[cursor.index] : undefined;
    return html`
      <h2>Memory timeline</h2>
      <svg
        width=${width}
        height=${kHeight}
        role="img"
        tabindex="0"
        aria-label=${`Device memory over ${formatDuration(tEnd)}: peak ${formatBytes(r.peak.measuredBytes)} against a budget of ${formatBytes(budget)}. Arrow keys step through allocations and frees.`}
        data-testid="timeline-svg"
        @pointermove=${(e: PointerEvent) => this._onPointer(e, tEnd, plotW)}
        @pointerleave=${() => (this._cursor = undefined)}
        @keydown=${this._onKey}
      >
        ${chunks.map((c, i) => svg`<rect class="band ${i % 2 ? 'odd' : ''}" x=${x(c.begin)} y=${kMargin.top} width=${Math.max(1, x(c.end) - x(c.begin))} height=${plotH}><title>chunk ${c.index}${c.done ? '' : ' (not finished)'}</title></rect>`)}
        <g class="axis">
          ${yTicks.map((v) => svg`<line class="grid" x1=${kMargin.left} x2=${kMargin.left + plotW} y1=${y(v)} y2=${y(v)}></line>
            <text x=${kMargin.left - 6} y=${y(v) + 4} text-anchor="end">${trimNumber(v / byteUnit)}</text>`)}
          ${xTicks.map((v) => svg`<text x=${x(v)} y=${kMargin.top + plotH + 16} text-anchor="middle">${trimNumber(v)}</text>`)}
          <text x=${kMargin.left + plotW / 2} y=${kHeight - 4} text-anchor="middle">time since the run started (ms)</text>
          <text transform="translate(14 ${kMargin.top + plotH / 2}) rotate(-90)" text-anchor="middle">bytes live (${unitName})</text>
        </g>
        <path class="device-area" d=${`${deviceLine}V${y(0)}H${x(0)}Z`}></path>
        <path class="device" data-testid="timeline-device" d=${deviceLine}></path>
        <path class="staging" data-testid="timeline-staging" d=${line((s) => s.staging)}></path>
        <line class="budget" data-testid="timeline-budget" x1=${kMargin.left} x2=${kMargin.left + plotW} y1=${y(budget)} y2=${y(budget)}></line>
        <text x=${kMargin.left + plotW - 4} y=${y(budget) - 5} text-anchor="end" fill="#cf222e">budget ${formatBytes(budget)}</text>
        ${marks.map((m) => svg`<line class=${m.kind === 'fallback' ? 'fallback' : 'fault'} data-testid="timeline-marker" data-kind=${m.kind} x1=${x(m.t)} x2=${x(m.t)} y1=${kMargin.top} y2=${kMargin.top + plotH}><title>${describeEvent(m)}</title></line>`)}
        ${peak
          ? svg`<circle class="peak" data-testid="timeline-peak" cx=${x(peak.t)} cy=${y(r.peak.measuredBytes)} r="5"><title>peak ${formatBytes(r.peak.measuredBytes)}, set by ${peak.label}</title></circle>
              <text x=${Math.min(x(peak.t) + 8, kMargin.left + plotW - 4)} y=${Math.max(y(r.peak.measuredBytes) - 8, 12)} text-anchor=${x(peak.t) > kMargin.left + plotW * 0.6 ? 'end' : 'start'} fill="#0a3069">peak ${formatBytes(r.peak.measuredBytes)}: ${peak.label}</text>`
          : nothing}
        ${cursor
          ? svg`<line class="cursor" x1=${x(cursor.t)} x2=${x(cursor.t)} y1=${kMargin.top} y2=${kMargin.top + plotH}></line>
              <circle class="cursor-dot" cx=${x(cursor.t)} cy=${y(cursor.device)} r="3.5"></circle>`
          : nothing}
      </svg>
      <ul class="legend">
        <li><span style="border-color:#0072B2"></span>device bytes (storage + uniform)</li>
        <li><span style="border-color:#E69F00;border-top-style:dashed"></span>staging bytes (host-visible)</li>
        <li><span style="border-color:#cf222e;border-top-style:dashed"></span>budget</li>
        <li><span style="border-color:#009E73;border-top-width:8px;opacity:.4"></span>chunk</li>
        <li><span style="border-color:#cf222e"></span>fault</li>
        <li><span style="border-color:#8250df;border-top-style:dotted"></span>fallback</li>
      </ul>
      <p class="readout" role="status" data-testid="timeline-readout">
        ${cursor
          ? `${formatDuration(cursor.t)}: ${formatBytes(cursor.device)} device, ${formatBytes(cursor.staging)} staging${cursorEvent ? ` — ${describeEvent(cursorEvent)}` : ''}`
          : 'Point at the chart, or focus it and use the arrow keys, to see each allocation and free.'}
      </p>
    `;
  }

  private _onPointer(e: PointerEvent, tEnd: number, plotW: number) {
    const svgEl = e.currentTarget as SVGSVGElement;
    const px = e.clientX - svgEl.getBoundingClientRect().left;
    const t = ((px - kMargin.left) / plotW) * tEnd;
    // The last step at or before t: the one whose bytes the line shows there.
    let lo = 0;
    let hi = this._steps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this._steps[mid].t <= t) lo = mid;
      else hi = mid - 1;
    }
    this._cursor = lo;
  }

  private _onKey(e: KeyboardEvent) {
    const last = this._steps.length - 1;
    const at = this._cursor ?? 0;
    const next = e.key === 'ArrowRight' ? Math.min(last, at + 1) : e.key === 'ArrowLeft' ? Math.max(0, at - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : undefined;
    if (next === undefined) return;
    e.preventDefault();
    this._cursor = next;
  }
}

/** `2.5000001` → `"2.5"`: tick labels without float noise. */
function trimNumber(v: number): string {
  return String(Number(v.toPrecision(6)));
}

declare global {
  interface HTMLElementTagNameMap {
    'memory-timeline': MemoryTimeline;
  }
}
