import { ResizeController } from '@lit-labs/observers/resize-controller.js';
import { brushX, type BrushBehavior, type D3BrushEvent } from 'd3-brush';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { kUnnamedLayer, lastAtOrBefore } from '../core/memory-series.ts';
import type { Plan } from '../core/planner.ts';
import type { SampleDetail, StackBy, TimelineAxis, TimelineQuery, TimelineView, ViewBand } from '../core/timeline-view.ts';
import { formatBytes, formatCount, formatDuration } from '../core/units.ts';
import type { CompareLine, TimelineSampleAt } from '../worker/trace-store.ts';
import { arrayColour, kOtherColour } from './array-colours.ts';
import { bandSpans, numberReach, placeNumber } from './band-spans.ts';
import { bufferWords, describeEvent, markerWords } from './event-words.ts';
import { kStepContext } from './step-context.ts';
import { drawTimeline } from './timeline-canvas.ts';

/** What the timeline asks the worker for (the simulator client has these methods). */
export interface TimelineClient {
  timelineView(traceId: number, query: TimelineQuery, compareTraceId?: number): Promise<{ view: TimelineView; compare?: CompareLine } | undefined>;
  timelineSample(traceId: number, at: TimelineSampleAt, axis: TimelineAxis, stackBy: StackBy): Promise<SampleDetail | undefined>;
}

/** Another stored run drawn on the same axes: its device bytes as a line, its budget if it differs. */
export interface TimelineComparison {
  label: string;
  traceId: number;
  budgetBytes?: number;
}

/** Detail of `event-chosen`: the trace index of the allocation or free clicked on the chart. */
export interface EventChosenDetail {
  eventIndex: number;
}

export type { StackBy };

const kMarginBase = { top: 22, right: 14, bottom: 42, left: 60 };
const kLaneHeight = 15;
const kHeight = 320;
const kOverviewHeight = 40;
const kBinaryUnits: [number, string][] = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']];
const kUsageColours: Record<string, string> = { storage: '#0072B2', uniform: '#CC79A7' };
/** The two buffer sets' bands: the theme's colours, so they follow light and dark. */
const kSetColours = ['var(--cs-ok)', 'var(--cs-accent)'];
const kLimitNames = ['maxBufferSize', 'maxStorageBufferBindingSize'] as const;
const kZoomStep = 2;
/** Narrowest chunk band drawn one by one, in pixels. */
const kMinBandPx = 6;

/**
 * `<memory-timeline>`: device-local bytes over the time of a run — live while it goes on,
 * from its trace after — stacked by array or by usage class, against the budget (and the
 * cap the headroom leaves under it), the per-buffer limits (and an injected one) where
 * they fall on the scale, the peak marked with the buffer that set it, a lane of chunk
 * bands per buffer set (numbered when wide enough, the dangling final chunk marked), a
 * labelled marker per fault and fallback naming the limit it hit, and staging
 * (host-visible) bytes on their own line. A second run can be drawn on the same axes.
 *
 * The trace stays in the worker: the chart asks it for the window shown, one bucket per
 * pixel column, and draws the curves on a canvas at most once per animation frame (axes,
 * labels and marks stay SVG). Zoom and pan with the wheel, a drag, a brush over the
 * overview strip or the keyboard (+, −, 0, Shift+arrows); the x axis runs by time or by
 * chunk. Hover, or focus and step with the arrow keys (a slider), to read the allocation
 * or free under the cursor; click to show it in the event log.
 *
 * @fires event-chosen - the user clicked the chart: `detail.eventIndex` is the allocation or free there.
 */
@customElement('memory-timeline')
export class MemoryTimeline extends LitElement {
  static override styles = css`
    :host { display: block; }
    .head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.3rem 1rem; margin: 0 0 0.4rem; }
    h2 { font-size: 1.1rem; margin: 0; }
    .live { display: inline-block; margin-left: 0.5rem; padding: 0 0.4rem; border-radius: 3px; background: var(--cs-danger); color: var(--cs-bg); font-size: 0.75rem; font-weight: 600; vertical-align: middle; }
    .controls { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; align-items: center; }
    fieldset { border: none; margin: 0; padding: 0; display: flex; gap: 0.6rem; align-items: center; font-size: 0.9rem; }
    legend { float: left; margin-right: 0.25rem; color: var(--cs-muted); padding: 0; }
    label { display: inline-flex; gap: 0.25rem; align-items: center; cursor: pointer; }
    input:focus-visible, button:focus-visible { outline: var(--cs-focus); outline-offset: 1px; }
    .zoom { display: flex; gap: 0.25rem; align-items: center; font-size: 0.85rem; }
    .zoom button { font: inherit; min-width: 1.8rem; padding: 0.05rem 0.4rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-surface); color: var(--cs-fg); cursor: pointer; }
    .zoom button:disabled { color: var(--cs-border-strong); cursor: default; }
    .chart { position: relative; }
    canvas { position: absolute; pointer-events: none; }
    svg { display: block; font: 11px system-ui, sans-serif; overflow: visible; touch-action: none; }
    svg.main { position: relative; cursor: crosshair; }
    svg.main:focus-visible { outline: var(--cs-focus); outline-offset: 2px; }
    .axis text { fill: var(--cs-subtle); }
    .axis .title { fill: var(--cs-fg-strong); font-size: 12px; }
    .grid { stroke: var(--cs-surface-strong); stroke-width: 1; }
    .budget { stroke: var(--cs-danger); stroke-width: 1.5; stroke-dasharray: 8 4; }
    .cap { stroke: var(--cs-danger); stroke-width: 1; stroke-dasharray: 2 3; }
    .limit { stroke: var(--cs-replay); stroke-width: 1.5; stroke-dasharray: 10 3 2 3; }
    .compare-budget { stroke: var(--cs-warn); stroke-width: 1; stroke-dasharray: 8 4; }
    .lane-bg { fill: var(--cs-surface); }
    .band { stroke: var(--cs-bg); stroke-width: 1; }
    .band.cut { fill: var(--cs-danger); }
    .band.running { fill-opacity: 0.45; }
    .band-number { fill: var(--cs-bg); font-size: 10px; font-weight: 600; pointer-events: none; }
    /* The dangling final chunk: pale with a dashed edge, as the plan's strip draws it, its number dark on it. */
    .band.dangling { fill-opacity: 0.3; stroke-width: 1.5; stroke-dasharray: 3 2; }
    .band-number.dangling { fill: var(--cs-accent-fg); }
    .band-number.beside { fill: var(--cs-fg-strong); }
    .lane-note { fill: var(--cs-fg-strong); font-size: 10.5px; }
    .fault { stroke: var(--cs-danger); stroke-width: 2; }
    .fallback { stroke: var(--cs-replay); stroke-width: 2; stroke-dasharray: 3 2; }
    .peak { fill: var(--cs-accent-fg); stroke: var(--cs-bg); stroke-width: 2; }
    .cursor { stroke: var(--cs-fg-strong); stroke-width: 1; stroke-dasharray: 2 2; pointer-events: none; }
    .cursor-dot { fill: var(--cs-bg); stroke: var(--cs-fg-strong); stroke-width: 1.5; pointer-events: none; }
    .waiting { fill: var(--cs-muted); font-size: 13px; }
    .overview { margin-top: 4px; }
    .overview .envelope { fill: var(--cs-accent-fg); fill-opacity: 0.25; stroke: var(--cs-accent-fg); stroke-width: 1; }
    .overview .frame { fill: none; stroke: var(--cs-border); }
    .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; margin: 0.4rem 0 0; padding: 0; list-style: none; font-size: 0.85rem; }
    .legend .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; vertical-align: -0.15rem; margin-right: 0.3rem; border-radius: 2px; opacity: 0.8; }
    .legend .stroke { display: inline-block; width: 1.4rem; height: 0; vertical-align: middle; margin-right: 0.3rem; border-top: 2px solid; }
    .off-scale { color: var(--cs-muted); }
    .hint { margin: 0.2rem 0 0; font-size: 0.8rem; color: var(--cs-muted); }
    /* The chunk stepped through: its bands outlined, its span on the plot outlined (the canvas shades it). */
    .band.stepped { stroke: var(--cs-step-outline); stroke-width: 3; }
    .step-span { fill: none; stroke: var(--cs-step-outline); stroke-width: 2; pointer-events: none; }
    .reserved-peak { fill: var(--cs-bg); stroke: var(--cs-replay); stroke-width: 2; }
    .block { fill: none; stroke: var(--cs-fg-strong); stroke-width: 2; pointer-events: none; }
    .step-note { margin: 0.2rem 0 0; padding: 0.15rem 0.5rem; border-left: 4px solid var(--cs-step-outline); background: var(--cs-step-highlight); font-size: 0.88rem; }
    .readout { min-height: 2.6em; margin: 0.3rem 0 0; font-size: 0.9rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
  `;

  /** Asks the worker for windows and samples of stored traces. */
  @property({ attribute: false }) client: TimelineClient | undefined;
  /** The trace to draw, in the worker's store. */
  @property({ type: Number }) traceId: number | undefined;
  /** Events the trace holds so far: a change (a live run growing) redraws. */
  @property({ type: Number }) eventCount = 0;
  /** The plan the run follows: its budget, cap, limits, buffer sets and array order (for colours). */
  @property({ attribute: false }) plan: Plan | undefined;
  /** Per-buffer sizes above which an injected fault fails an allocation (the scenario's `aboveBytes`). */
  @property({ attribute: false }) injectedLimits: readonly number[] = [];
  /** True while the run is in flight: the chart grows as events arrive. */
  @property({ type: Boolean }) live = false;
  /** What to call this run beside a comparison. */
  @property() label = '';
  /** Another stored run to draw on the same axes. */
  @property({ attribute: false }) compare: TimelineComparison | undefined;
  /** The chunk being stepped through (0-based, as the trace counts), shaded on the chart; from {@link kStepContext}. */
  @consume({ context: kStepContext, subscribe: true })
  @property({ attribute: false })
  highlightChunk: number | undefined;

  /** What the stack is made of; the user switches it. */
  @state() private _stackBy: StackBy = 'array';
  /** The x axis; the user switches it. */
  @state() private _axis: TimelineAxis = 'time';
  /** The window shown on the axis; undefined for the whole run. */
  @state() private _window: [number, number] | undefined;
  /** The last window the worker sent, and the compared run's line over it. */
  @state() private _view: TimelineView | undefined;
  @state() private _compareLine: CompareLine | undefined;
  /** The whole run at the overview strip's resolution. */
  @state() private _overview: TimelineView | undefined;
  /** The allocation or free under the cursor, as the worker described it. */
  @state() private _cursor: SampleDetail | undefined;
  /** Where the pointer is over the plot (axis position), drawn before its sample arrives. */
  @state() private _pointerX: number | undefined;
  /**
   * The pointer's latest position while the worker has not yet answered for it: the readout
   * says at once what the page holds (the pixel column's bytes), and names the allocation
   * when the answer comes, so a move shows in the next frame, not a worker round trip later.
   */
  @state() private _pointerAt: TimelineSampleAt | undefined;
  /** The chunk just stepped to: the first view of it brings it into the window if zoomed away from it. */
  private _panTo: number | undefined;
  /** A change of light and dark redraws the canvas, whose colours are read from the theme once per frame. */
  private readonly _scheme = window.matchMedia('(prefers-color-scheme: dark)');
  private readonly _onScheme = () => this._scheduleDraw();

  @query('svg.main') private _svg!: SVGSVGElement;
  @query('canvas') private _canvas!: HTMLCanvasElement;
  @query('g.brush') private _brushGroup!: SVGGElement;

  private readonly _size = new ResizeController(this, { callback: (entries) => Math.floor(entries[0]?.contentRect.width ?? 0) });
  private _zoom: ZoomBehavior<SVGSVGElement, unknown> | undefined;
  private _brush: BrushBehavior<unknown> | undefined;
  /** True while the chart moves d3's zoom or brush itself, so their events are not taken for the user's. */
  private _syncing = false;
  private _frame = 0;
  /** One request in flight per kind; a change meanwhile asks again when it returns. */
  private _viewBusy = false;
  private _viewAgain = false;
  private _overviewKey = '';
  private _sampleBusy = false;
  private _sampleNext: TimelineSampleAt | undefined;

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('traceId') && changed.get('traceId') !== undefined) {
      // Another trace: a window or a cursor of the last one means nothing here. (A live run
      // ending keeps its trace id, so a keyboard user stepping through it keeps the cursor.)
      this._window = undefined;
      this._cursor = undefined;
      this._pointerAt = undefined;
      this._sampleNext = undefined;
      this._view = undefined;
      this._overview = undefined;
    }
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('highlightChunk')) this._panTo = this.highlightChunk;
    const asks = ['client', 'traceId', 'eventCount', 'compare', '_stackBy', '_axis', '_window', 'highlightChunk'];
    if (asks.some((k) => changed.has(k)) || this._widthChanged()) this._requestView();
    // Only a view of the stepped chunk pans: one asked for the chunk before it may land first (Play, a live run).
    const stepped = this._view?.stepped[0];
    if (changed.has('_view') && this._panTo !== undefined && stepped?.index === this._panTo) {
      this._panTo = undefined;
      this._bringIntoWindow(stepped);
    }
    // A new window is drawn at once from the buckets at hand, stretched; the finer ones follow from the worker.
    if (changed.has('_view') || changed.has('_compareLine') || changed.has('plan') || changed.has('_window')) this._scheduleDraw();
    if (changed.has('_view') || changed.has('_window')) this._syncZoomAndBrush();
  }

  override connectedCallback() {
    super.connectedCallback();
    this._scheme.addEventListener('change', this._onScheme);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this._scheme.removeEventListener('change', this._onScheme);
    cancelAnimationFrame(this._frame);
    this._frame = 0;
  }

  override firstUpdated() {
    this._zoom = zoom<SVGSVGElement, unknown>()
      .filter((e: MouseEvent) => (!e.ctrlKey || e.type === 'wheel') && !e.button)
      .clickDistance(4)
      .on('zoom', (e: D3ZoomEvent<SVGSVGElement, unknown>) => this._onZoom(e));
    select(this._svg).call(this._zoom).on('dblclick.zoom', null);
    this._brush = brushX<unknown>().on('brush end', (e: D3BrushEvent<unknown>) => this._onBrush(e));
  }

  override render() {
    const view = this._view;
    const plan = this.plan;
    const width = Math.max(this._width, 300);
    const sets = plan ? Math.max(1, plan.bufferSets) : 1;
    const margin = { ...kMarginBase, top: kMarginBase.top + sets * kLaneHeight + 4 };
    const plotW = width - margin.left - margin.right;
    const plotH = kHeight - margin.top - margin.bottom;
    const left = margin.left;
    const right = left + plotW;
    const bottom = margin.top + plotH;
    const laneTop = kMarginBase.top - 2;

    const budget = plan ? Number(plan.budgetBytes) : 0;
    const cap = plan ? Number(plan.capBytes) : 0;
    const compareBudget = this.compare?.budgetBytes;
    const { unit, unitName, yUnits, y } = this._yScale(bottom, margin.top);
    const yTop = yUnits.domain()[1] * unit;
    const extentEnd = view?.extent[1] ?? 1;
    const [w0, w1] = this._shownWindow();
    const x = scaleLinear().domain([w0, w1]).range([left, right]);
    const zoomed = w0 > 0 || w1 < extentEnd;
    const seconds = this._axis === 'time' && w1 - w0 >= 5000;

    const limits = plan ? kLimitNames.map((name) => ({ name: name as string, bytes: plan.limits[name], words: `${name} ${formatBytes(plan.limits[name])} (one buffer)` })) : [];
    for (const bytes of this.injectedLimits) limits.push({ name: 'injected', bytes, words: `injected fault: one buffer over ${formatBytes(bytes)} fails` });
    const limitsOnScale = limits.filter((l) => l.bytes <= yTop);
    const limitsOffScale = limits.filter((l) => l.bytes > yTop);
    const xTicks = this._xTicks(x, plotW);
    const yTicks = yUnits.ticks(5);
    const peak = view?.peak && view.peak.x >= w0 && view.peak.x <= w1 ? view.peak : undefined;
    const peakX = peak ? x(peak.x) : 0;
    // The peak usually sits just under the budget or the cap: its label goes where their labels are not.
    const taken = plan ? [y(budget) - 5, ...(cap < budget ? [y(cap) + 13] : [])] : [];
    const peakY = peak ? y(peak.bytes) : 0;
    const peakLabelY = [Math.max(peakY - 9, margin.top + 10), peakY + 17, peakY + 31].find((ly) => taken.every((t) => Math.abs(ly - t) >= 13)) ?? peakY + 17;
    const layers = this._layers();
    // While the worker looks the pointer's position up, the cursor of the last answer stands elsewhere: only the line follows the pointer.
    const pending = this._pointerAt !== undefined && this._pointerX !== undefined;
    const cursor = pending ? undefined : this._cursor;
    const cursorX = cursor && cursor.x >= w0 && cursor.x <= w1 ? x(cursor.x) : this._pointerX !== undefined ? x(this._pointerX) : undefined;
    const hasSamples = (view?.sampleCount ?? 0) > 1;
    const answered = this._readout(this._cursor);
    const readout = pending ? this._columnReadout(this._pointerX!) : answered;
    const reservedPeak = view?.reservedPeak && view.reservedPeak.x >= w0 && view.reservedPeak.x <= w1 ? view.reservedPeak : undefined;
    const block = cursor?.block;
    const markerRows: number[] = [];

    return html`
      <div class="head">
        <h2>Memory timeline${this.live ? html`<span class="live" data-testid="timeline-live">live</span>` : nothing}</h2>
        <div class="controls">
          <fieldset>
            <legend>Stack by</legend>
            <label><input type="radio" name="stack-by" value="array" .checked=${this._stackBy === 'array'} @change=${this._onStackBy} />array</label>
            <label><input type="radio" name="stack-by" value="usage" .checked=${this._stackBy === 'usage'} @change=${this._onStackBy} />usage class</label>
          </fieldset>
          <fieldset>
            <legend>x axis</legend>
            <label><input type="radio" name="x-axis" value="time" .checked=${this._axis === 'time'} @change=${this._onAxis} />time</label>
            <label><input type="radio" name="x-axis" value="chunk" .checked=${this._axis === 'chunk'} @change=${this._onAxis} />chunk</label>
          </fieldset>
          <div class="zoom" role="group" aria-label="zoom">
            <button type="button" data-testid="timeline-zoom-in" title="zoom in (+)" aria-label="zoom in" @click=${() => this._zoomBy(kZoomStep)}>+</button>
            <button type="button" data-testid="timeline-zoom-out" title="zoom out (−)" aria-label="zoom out" ?disabled=${!zoomed} @click=${() => this._zoomBy(1 / kZoomStep)}>−</button>
            <button type="button" data-testid="timeline-reset" title="show the whole run (0)" ?disabled=${!zoomed} @click=${this._reset}>Reset</button>
          </div>
        </div>
      </div>
      <div class="chart" style="height:${kHeight}px">
        <canvas data-testid="timeline-canvas" style="left:${left}px;top:${margin.top}px;width:${plotW}px;height:${plotH}px"></canvas>
        <svg
          class="main"
          width=${width}
          height=${kHeight}
          role="slider"
          tabindex="0"
          aria-label=${this._summary(budget)}
          aria-valuemin="0"
          aria-valuemax=${Math.max(0, (view?.sampleCount ?? 1) - 1)}
          aria-valuenow=${this._cursor?.sample ?? 0}
          aria-valuetext=${this._cursor === undefined ? 'no allocation or free chosen yet' : answered}
          data-testid="timeline-svg"
          data-events=${view?.eventCount ?? 0}
          data-first-chunk=${view?.firstChunkT ?? ''}
          data-window=${`${w0},${w1}`}
          data-axis=${this._axis}
          @pointermove=${(e: PointerEvent) => this._onPointer(e, x, left, right)}
          @pointerleave=${this._onLeave}
          @click=${(e: MouseEvent) => this._onClick(e, x, left, right)}
          @keydown=${this._onKey}
        >
          <rect x=${left} y=${margin.top} width=${plotW} height=${plotH} fill="transparent"></rect>
          ${this._renderLanes({ view, x, left, plotW, laneTop, sets })}
          <g class="axis">
            ${yTicks.map((v) => svg`<line class="grid" x1=${left} x2=${right} y1=${yUnits(v)} y2=${yUnits(v)}></line>
              <text x=${left - 6} y=${yUnits(v) + 4} text-anchor="end">${trimNumber(v)}</text>`)}
            ${xTicks.map(({ at, text }) => svg`<text x=${x(at)} y=${bottom + 16} text-anchor="middle">${text}</text>`)}
            <text class="title" x=${left + plotW / 2} y=${kHeight - 6} text-anchor="middle">${this._axis === 'time' ? `time since the run started (${seconds ? 's' : 'ms'})` : 'chunks in the order begun (set-up first)'}</text>
            <text class="title" transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">device bytes live (${unitName})</text>
          </g>
          ${plan
            ? svg`<line class="budget" data-testid="timeline-budget" x1=${left} x2=${right} y1=${y(budget)} y2=${y(budget)}></line>
                ${lineLabel(right - 4, y(budget) - 5, `budget ${formatBytes(budget)}`, 'var(--cs-danger-strong)')}
                ${cap < budget
                  ? svg`<line class="cap" data-testid="timeline-cap" x1=${left} x2=${right} y1=${y(cap)} y2=${y(cap)}></line>
                      ${lineLabel(left + 6, y(cap) + 13, `cap after headroom ${formatBytes(cap)}`, 'var(--cs-danger-strong)', 'start')}`
                  : nothing}`
            : nothing}
          ${compareBudget !== undefined && compareBudget !== budget
            ? svg`<g data-testid="timeline-compare-budget"><line class="compare-budget" x1=${left} x2=${right} y1=${y(compareBudget)} y2=${y(compareBudget)}></line>
                ${lineLabel(right - 4, y(compareBudget) - 5, `${this.compare!.label} budget ${formatBytes(compareBudget)}`, 'var(--cs-warn)')}</g>`
            : nothing}
          ${limitsOnScale.map((l) => svg`<line class="limit" data-testid="timeline-limit" data-limit=${l.name} x1=${left} x2=${right} y1=${y(l.bytes)} y2=${y(l.bytes)}></line>
            ${lineLabel(left + 6, y(l.bytes) - 5, l.words, 'var(--cs-replay-strong)', 'start')}`)}
          ${(view?.markers ?? []).map((m) => {
            const mx = x(m.x);
            const words = markerWords(m.event, { budgetBytes: budget || undefined, byName: plan ? new Map(kLimitNames.map((n) => [n, plan.limits[n]])) : undefined });
            // Labels stack in rows under the lanes so neighbours do not overwrite each other.
            const label = fitLabel(mx, words, left, right);
            let row = markerRows.findIndex((end) => end < label.from);
            if (row < 0 && markerRows.length < 3) row = markerRows.push(0) - 1;
            if (row >= 0) markerRows[row] = label.to;
            return svg`<line class=${m.event.kind === 'fallback' ? 'fallback' : 'fault'} data-testid="timeline-marker" data-kind=${m.event.kind} x1=${mx} x2=${mx} y1=${margin.top} y2=${bottom}><title>${describeEvent(m.event)}</title></line>
              ${row >= 0 ? svg`<g data-testid="timeline-marker-label">${lineLabel(label.x, margin.top + 12 + row * 13, label.text, m.event.kind === 'fallback' ? 'var(--cs-replay-strong)' : 'var(--cs-danger-strong)', label.anchor)}</g>` : nothing}`;
          })}
          ${peak
            ? svg`<circle class="peak" data-testid="timeline-peak" cx=${peakX} cy=${peakY} r="5"><title>peak ${formatBytes(peak.bytes)}, set by ${peak.label}</title></circle>
                ${((label) => lineLabel(label.x, peakLabelY, label.text, 'var(--cs-accent-fg)', label.anchor))(fitLabel(peakX, `peak ${formatBytes(peak.bytes)}: ${peak.label}`, left, right, 8))}`
            : nothing}
          ${(view?.stepped ?? []).filter((b) => b.x1 >= w0 && b.x0 <= w1).map((b) => {
            const sx = Math.max(left, x(b.x0));
            return svg`<rect class="step-span" data-testid="timeline-step" data-chunk=${b.index} data-attempt=${b.attempt} ?data-dangling=${b.dangling} x=${sx} y=${laneTop} width=${Math.max(2, Math.min(right, x(b.x1)) - sx)} height=${bottom - laneTop}><title>chunk ${b.index} of attempt ${b.attempt}, stepped to: runs ${formatCount(b.start)}–${formatCount(b.end)}${b.dangling ? ', the dangling final chunk' : ''}</title></rect>`;
          })}
          ${reservedPeak
            ? // Its figure is in the legend: on the chart it would crowd the budget and fault labels it usually sits by.
              svg`<circle class="reserved-peak" data-testid="timeline-reserved-peak" cx=${x(reservedPeak.x)} cy=${y(reservedPeak.bytes)} r="4"><title>reserved peak ${formatBytes(reservedPeak.bytes)}</title></circle>`
            : nothing}
          ${block && cursorX !== undefined
            ? svg`<rect class="block" data-testid="timeline-block" data-event=${block.eventIndex} x=${cursorX - 4} width="8" y=${y(block.baseBytes + block.event.bytes)} height=${Math.max(1, y(block.baseBytes) - y(block.baseBytes + block.event.bytes))}></rect>`
            : nothing}
          ${!hasSamples
            ? svg`<text class="waiting" x=${left + plotW / 2} y=${margin.top + plotH / 2} text-anchor="middle">${this.live || !view ? 'waiting for the first allocation…' : 'no buffer was allocated'}</text>`
            : nothing}
          ${cursorX !== undefined
            ? svg`<line class="cursor" data-testid="timeline-cursor" x1=${cursorX} x2=${cursorX} y1=${margin.top} y2=${bottom}></line>
                ${cursor && cursor.x >= w0 && cursor.x <= w1 ? svg`<circle class="cursor-dot" cx=${cursorX} cy=${y(cursor.deviceBytes)} r="3.5"></circle>` : nothing}`
            : nothing}
        </svg>
      </div>
      ${this._renderOverview({ width, left, plotW })}
      <ul class="legend" data-testid="timeline-legend">
        ${layers.map((l) => html`<li data-testid="timeline-layer" data-layer=${l.key}><span class="swatch" style="background:${l.colour}"></span>${l.name}</li>`)}
        <li><span class="stroke" style="border-color:var(--cs-accent-fg)"></span>device bytes${this.label ? ` (${this.label})` : ''}</li>
        ${view?.reservedPeak
          ? html`<li data-testid="timeline-legend-reserved"><span class="swatch" style="background:var(--cs-replay);opacity:0.35;border-top:2px dotted var(--cs-replay)"></span>reserved by the allocator's segments (above the allocated layers: reserved but free); reserved peak <span class="swatch" style="border-radius:50%;border:2px solid var(--cs-replay);width:0.5rem;height:0.5rem;opacity:1;background:var(--cs-bg)"></span>${formatBytes(view.reservedPeak.bytes)}</li>`
          : nothing}
        <li><span class="stroke" style="border-color:var(--cs-fg-strong);border-top-style:dashed"></span>staging bytes (host-visible)</li>
        ${this.compare
          ? html`<li data-testid="timeline-legend-compare"><span class="stroke" style="border-color:var(--cs-warn);border-top-style:dashed;border-top-width:3px"></span>device bytes (${this.compare.label})${this._compareLine?.shiftMs ? `, drawn ${formatDuration(Math.abs(this._compareLine.shiftMs))} ${this._compareLine.shiftMs > 0 ? 'later' : 'earlier'} so its first chunk begins with this run's` : this._compareLine && this._axis === 'time' ? ', its first chunk beginning with this run\'s' : ''}</li>`
          : nothing}
        ${plan ? html`<li><span class="stroke" style="border-color:var(--cs-danger);border-top-style:dashed"></span>budget</li>` : nothing}
        ${view?.chunkCount
          ? html`<li><span class="swatch" style="background:${kSetColours[0]}"></span>chunk${sets > 1 ? html` (buffer set 0; <span class="swatch" style="background:${kSetColours[1]}"></span>set 1)` : ''}; red: cut short by a fault</li>`
          : nothing}
        ${(view?.markers ?? []).some((m) => m.event.kind !== 'fallback') ? html`<li><span class="stroke" style="border-color:var(--cs-danger)"></span>fault</li>` : nothing}
        ${(view?.markers ?? []).some((m) => m.event.kind === 'fallback') ? html`<li><span class="stroke" style="border-color:var(--cs-replay);border-top-style:dotted"></span>fallback</li>` : nothing}
        ${limitsOnScale.length ? html`<li><span class="stroke" style="border-color:var(--cs-replay);border-top-style:dashed"></span>per-buffer limit</li>` : nothing}
        ${limitsOffScale.length
          ? html`<li class="off-scale" data-testid="timeline-limits-off-scale">off the scale: ${limitsOffScale.map((l) => (l.name === 'injected' ? `injected fault over ${formatBytes(l.bytes)}` : `${l.name} ${formatBytes(l.bytes)}`)).join(', ')} (per buffer)</li>`
          : nothing}
      </ul>
      ${this.highlightChunk !== undefined && view && view.chunkCount > 0 ? this._stepNote(view, this.highlightChunk) : nothing}
      <p class="hint">Wheel or drag on the chart, or brush the strip under it, to zoom and pan; keys + − 0 and Shift+arrows do the same. Click to show the event in the log.</p>
      <p class="readout" data-testid="timeline-readout">${readout}</p>
    `;
  }

  /** Says which chunk is shaded, and where it ran (or that this trace has no such chunk). */
  private _stepNote(view: TimelineView, k: number) {
    const bands = view.stepped;
    if (!bands.length) return html`<p class="step-note" data-testid="timeline-step-note" data-chunk=${k}>Chunk ${formatCount(k)} did not begin in this run.</p>`;
    const at = (b: (typeof bands)[number]) => (this._axis === 'time' ? `${formatDuration(b.x0)}–${formatDuration(b.x1)}` : `position ${trimNumber(b.x0)}–${trimNumber(b.x1)}`);
    const first = bands[0];
    const words = bands.map((b) => `${bands.length > 1 ? `attempt ${b.attempt}: ` : ''}${at(b)}`).join('; ');
    return html`<p class="step-note" data-testid="timeline-step-note" data-chunk=${k} ?data-dangling=${first.dangling}>Shaded: chunk ${formatCount(k)}, runs [${formatCount(first.start)}, ${formatCount(first.end)})${first.dangling ? ', the dangling final chunk' : ''} — ${words}.</p>`;
  }

  /** A lane of chunk bands per buffer set, numbered where a band is wide enough; past {@link kMaxBandsListed} in view, a count. */
  private _renderLanes({ view, x, left, plotW, laneTop, sets }: { view: TimelineView | undefined; x: (v: number) => number; left: number; plotW: number; laneTop: number; sets: number }) {
    if (!view || view.chunkCount === 0) return nothing;
    const lanes = Array.from({ length: sets }, (_, s) => svg`<rect class="lane-bg" x=${left} y=${laneTop + s * kLaneHeight} width=${plotW} height=${kLaneHeight - 2}></rect>`);
    const tooMany = view.bands.length === 0 && view.bandsInWindow > 0;
    // Bands narrower than a few pixels would be a moiré, and hundreds of SVG nodes redrawn on every update.
    const tooNarrow = view.bands.length > plotW / kMinBandPx;
    if (tooMany || tooNarrow) {
      return svg`${lanes}<text class="lane-note" data-testid="timeline-bands-hidden" x=${left + plotW / 2} y=${laneTop + 10} text-anchor="middle">${formatCount(view.bandsInWindow)} chunks in view: zoom in to see each</text>`;
    }
    const spans = bandSpans(view.bands, { sets, axis: view.axis });
    const reach = numberReach(view.bands, spans, sets);
    return svg`${lanes}${view.bands.map((b, i) => this._renderBand(b, { span: spans[i], reach: reach[i], x, laneTop, sets, clip: [left, left + plotW] }))}`;
  }

  /** The chunks' shading on the plot, alternate ones darker, each where its band in the lane shows. */
  private _shadedBands(view: TimelineView): [number, number, boolean][] {
    const spans = bandSpans(view.bands, { sets: this.plan ? Math.max(1, this.plan.bufferSets) : 1, axis: view.axis });
    return spans.map(([from, to], i) => [from, to, i % 2 === 1]);
  }

  /** Chunk `b`'s band in its set's lane, drawn over `span` (data units), its number reaching at most to `reach`, clipped to the plot's `clip` pixels. */
  private _renderBand(b: ViewBand, { span: [from, to], reach, x, laneTop, sets, clip: [left, right] }: { span: [number, number]; reach: number; x: (v: number) => number; laneTop: number; sets: number; clip: [number, number] }) {
    const set = b.index % sets;
    // A band that shows only after the one before it landed may show only past the window.
    if (x(from) >= right) return nothing;
    // Clipped to the plot: a band half out of the window is drawn, and numbered, by its visible part.
    const x0 = Math.max(left, x(from));
    const w = Math.max(1, Math.min(right, x(to)) - x0);
    // No band after it in its lane: the plot's edge (a scale gives NaN at Infinity).
    const room = Math.max(w, (Number.isFinite(reach) ? Math.min(right, x(reach)) : right) - x0);
    const yTop = laneTop + set * kLaneHeight;
    const cut = !b.done && !b.running;
    const state = b.running ? ' (running)' : cut ? ' (cut short)' : '';
    const runs = b.end - b.start;
    // On its band, or beside a band too narrow for it, in the empty lane up to the next band.
    const number = placeNumber(b.dangling ? [`${b.index} (final, ${formatCount(runs)} runs)`, `${b.index} final`, String(b.index)] : [String(b.index)], w, room);
    const danglingWords = b.dangling ? `, the dangling final chunk: ${formatCount(runs)} runs` : '';
    const colour = cut ? 'var(--cs-danger)' : kSetColours[set % kSetColours.length];
    const stepped = b.index === this.highlightChunk;
    // Inline, since presentation attributes cannot take var(); the stepped outline wins over the dangling edge.
    const style = `fill:${colour}${b.dangling && !stepped ? `;stroke:${colour}` : ''}`;
    return svg`<rect class="band ${cut ? 'cut' : ''} ${b.running ? 'running' : ''} ${b.dangling ? 'dangling' : ''} ${stepped ? 'stepped' : ''}" data-testid="timeline-band" data-index=${b.index} data-set=${set} ?data-dangling=${b.dangling} ?data-stepped=${stepped}
        x=${x0} y=${yTop} width=${w} height=${kLaneHeight - 2} style=${style}>
        <title>chunk ${b.index} of attempt ${b.attempt}: runs ${formatCount(b.start)}–${formatCount(b.end)}${sets > 1 ? `, buffer set ${set}` : ''}${danglingWords}${state}${stepped ? ', stepped to' : ''}</title></rect>
      ${number ? svg`<text class="band-number ${b.dangling ? 'dangling' : ''} ${number.inside ? '' : 'beside'}" data-testid="timeline-band-number" x=${number.inside ? x0 + w / 2 : x0 + w + 2} y=${yTop + 10} text-anchor=${number.inside ? 'middle' : 'start'}>${number.text}</text>` : nothing}`;
  }

  /** The whole run, small, with a brush over the window shown. */
  private _renderOverview({ width, left, plotW }: { width: number; left: number; plotW: number }) {
    const path = this._overviewPath(left, plotW);
    return html`<svg class="overview" width=${width} height=${kOverviewHeight} data-testid="timeline-overview" aria-label="the whole run; drag across it to choose the window shown above" role="img">
      <rect class="frame" x=${left} y="0.5" width=${plotW} height=${kOverviewHeight - 1}></rect>
      ${path ? svg`<path class="envelope" d=${path}></path>` : nothing}
      <g class="brush"></g>
    </svg>`;
  }

  private _overviewDrawn: { overview: TimelineView | undefined; left: number; plotW: number; path: string } | undefined;

  /** The whole run's most device bytes per column as an area, built once per overview and width (render runs on every pointer move). */
  private _overviewPath(left: number, plotW: number): string {
    const overview = this._overview;
    const drawn = this._overviewDrawn;
    if (drawn && drawn.overview === overview && drawn.left === left && drawn.plotW === plotW) return drawn.path;
    let path = '';
    if (overview && overview.deviceMax.length) {
      const peak = Math.max(1, overview.peak?.bytes ?? 0);
      const ox = scaleLinear().domain(overview.window).range([left, left + plotW]);
      const oy = (bytes: number) => (kOverviewHeight - 2 - (bytes / peak) * (kOverviewHeight - 6)).toFixed(1);
      const top: string[] = [];
      for (let i = 0; i < overview.deviceMax.length; i++) top.push(`${ox(overview.edges[i]).toFixed(1)},${oy(overview.deviceMax[i])}`, `${ox(overview.edges[i + 1]).toFixed(1)},${oy(overview.deviceMax[i])}`);
      path = `M${left},${kOverviewHeight - 2}L${top.join('L')}L${left + plotW},${kOverviewHeight - 2}Z`;
    }
    this._overviewDrawn = { overview, left, plotW, path };
    return path;
  }

  private get _width(): number {
    return (this._size.value as number | undefined) ?? 0;
  }

  private _lastWidth = 0;
  private _widthChanged(): boolean {
    const changed = this._width !== this._lastWidth;
    this._lastWidth = this._width;
    return changed;
  }

  /** The plot's geometry as render lays it out, for code outside render (zoom, brush, canvas). */
  private _plot() {
    const width = Math.max(this._width, 300);
    const sets = this.plan ? Math.max(1, this.plan.bufferSets) : 1;
    const top = kMarginBase.top + sets * kLaneHeight + 4;
    const plotW = width - kMarginBase.left - kMarginBase.right;
    return { left: kMarginBase.left, top, plotW, plotH: kHeight - top - kMarginBase.bottom };
  }

  /** Asks the worker for the window (and, when the run or the width changed, the overview); one request at a time. */
  private async _requestView() {
    const { client, traceId } = this;
    if (!client || traceId === undefined) return;
    if (this._viewBusy) {
      this._viewAgain = true;
      return;
    }
    this._viewBusy = true;
    this._viewAgain = false;
    const { plotW } = this._plot();
    const base = { axis: this._axis, stackBy: this._stackBy, stepChunk: this.highlightChunk };
    try {
      const got = await client.timelineView(traceId, { ...base, from: this._window?.[0], to: this._window?.[1], buckets: Math.round(plotW) }, this.compare?.traceId);
      if (got && traceId === this.traceId) {
        this._view = got.view;
        this._compareLine = got.compare;
      }
      const overviewKey = `${traceId} ${this.eventCount} ${plotW} ${this._axis}`;
      if (overviewKey !== this._overviewKey) {
        const whole = this._window ? await client.timelineView(traceId, { ...base, buckets: Math.max(20, Math.round(plotW / 2)) }) : got;
        if (whole && traceId === this.traceId) {
          this._overview = whole.view;
          this._overviewKey = overviewKey;
        }
      }
    } catch {
      // The worker went away: the app says so; the chart keeps its last drawing.
    } finally {
      this._viewBusy = false;
      if (this._viewAgain) void this._requestView();
    }
  }

  private _scheduleDraw() {
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this._draw();
    });
  }

  /** Draws the curves of the last view on the canvas. */
  private _draw() {
    const view = this._view;
    const canvas = this._canvas;
    if (!view || !canvas) return;
    const { plotW, plotH } = this._plot();
    const ratio = window.devicePixelRatio || 1;
    const [cw, ch] = [Math.round(plotW * ratio), Math.round(plotH * ratio)];
    if (canvas.width !== cw || canvas.height !== ch) [canvas.width, canvas.height] = [cw, ch];
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const { y } = this._yScale(plotH, 0);
    const x = scaleLinear().domain(this._shownWindow()).range([0, plotW]);
    const colour = themeColours(this);
    drawTimeline(
      {
        ctx,
        width: plotW,
        height: plotH,
        x,
        y,
        pixelRatio: ratio,
        layers: this._layers(),
        bands: view.bands.length <= plotW / kMinBandPx ? this._shadedBands(view) : [],
        stepped: view.stepped.map((b) => [b.x0, b.x1]),
        colours: {
          device: colour('--cs-accent-fg', '#0a3069'),
          staging: colour('--cs-fg-strong', '#24292f'),
          compare: colour('--cs-warn', '#953800'),
          band: colour('--cs-ok', '#1a7f37'),
          reserved: colour('--cs-replay', '#8250df'),
          step: colour('--cs-step-highlight', 'rgb(255 196 0 / 0.45)'),
        },
      },
      view,
      this._compareLine,
    );
    // What was drawn, for tests and tools that cannot read pixels: the events, and the highest of each line.
    canvas.dataset.drawn = String(view.eventCount);
    // The window whose buckets were drawn: it trails the window shown while the worker cuts the new one.
    canvas.dataset.detail = view.window.join(',');
    canvas.dataset.devicePeak = String(highestOf(view.deviceMax));
    canvas.dataset.stagingPeak = String(highestOf(view.stagingMax));
    if (view.reservedMax.length) canvas.dataset.reservedPeak = String(highestOf(view.reservedMax));
    else delete canvas.dataset.reservedPeak;
    if (this._compareLine) {
      canvas.dataset.comparePeak = String(highestOf(this._compareLine.deviceMax));
      canvas.dataset.compareShift = String(this._compareLine.shiftMs);
    } else {
      delete canvas.dataset.comparePeak;
      delete canvas.dataset.compareShift;
    }
    canvas.dataset.stepped = view.stepped.map((b) => b.index).join(',');
  }

  /** Most bytes the chart must show: the budget, each line's peak, the compared run's budget. */
  private _highest(): number {
    const view = this._view;
    const plan = this.plan;
    return Math.max(plan ? Number(plan.budgetBytes) : 0, view?.peak?.bytes ?? 0, view?.stagingPeakBytes ?? 0, view?.reservedPeak?.bytes ?? 0, this._compareLine?.peakBytes ?? 0, this.compare?.budgetBytes ?? 0, 1);
  }

  /** The byte scale from `bottom` to `top` (pixels), in the binary unit the axis is labelled in. */
  private _yScale(bottom: number, top: number) {
    const highest = this._highest();
    const [unit, unitName] = kBinaryUnits.find(([u]) => highest >= u) ?? kBinaryUnits[3];
    const yUnits = scaleLinear().domain([0, (highest * 1.06) / unit]).range([bottom, top]).nice(5);
    return { unit, unitName, yUnits, y: (bytes: number) => yUnits(bytes / unit), bytesAt: (py: number) => yUnits.invert(py) * unit };
  }

  /** Makes d3's zoom transform and the brush match the window shown, without firing their events. */
  private _syncZoomAndBrush() {
    const view = this._view;
    if (!view || !this._zoom || !this._brush) return;
    const { left, top, plotW, plotH } = this._plot();
    const [e0, e1] = view.extent;
    const [w0, w1] = this._shownWindow();
    const k = (e1 - e0) / Math.max(w1 - w0, Number.MIN_VALUE);
    const base = (v: number) => left + ((v - e0) / (e1 - e0 || 1)) * plotW;
    this._zoom
      .extent([[left, top], [left + plotW, top + plotH]])
      .translateExtent([[left, -Infinity], [left + plotW, Infinity]])
      .scaleExtent([1, Math.max(1, 1e6)]);
    this._syncing = true;
    try {
      // d3-zoom keeps its transform on the element; setting it there moves no event.
      (this._svg as unknown as { __zoom: unknown }).__zoom = zoomIdentity.translate(left - k * base(w0), 0).scale(k);
      this._brush.extent([[left, 0], [left + plotW, kOverviewHeight]]);
      const g = select(this._brushGroup);
      g.call(this._brush);
      const zoomed = w0 > e0 || w1 < e1;
      this._brush.move(g, zoomed ? [base(w0), Math.max(base(w0) + 1, base(w1))] : null);
    } finally {
      this._syncing = false;
    }
  }

  private _onZoom(e: D3ZoomEvent<SVGSVGElement, unknown>) {
    const view = this._view;
    if (this._syncing || !view || !e.sourceEvent) return;
    const { left, plotW } = this._plot();
    const base = scaleLinear().domain(view.extent).range([left, left + plotW]);
    this._setWindow(e.transform.rescaleX(base).domain() as [number, number]);
  }

  private _onBrush(e: D3BrushEvent<unknown>) {
    const view = this._view;
    if (this._syncing || !view || !e.sourceEvent) return;
    const { left, plotW } = this._plot();
    const base = scaleLinear().domain(view.extent).range([left, left + plotW]);
    const sel = e.selection as [number, number] | null;
    if (!sel) {
      if (e.type === 'end') this._window = undefined;
      return;
    }
    this._setWindow([base.invert(sel[0]), base.invert(sel[1])]);
  }

  /** Shows `[from, to]` (clamped to the run); the whole run shows as no window. */
  private _setWindow([from, to]: [number, number]) {
    const end = this._view?.extent[1] ?? 1;
    const width = Math.min(end, Math.max(to - from, end * 1e-6));
    const a = Math.min(Math.max(0, from), end - width);
    this._window = a <= 0 && a + width >= end ? undefined : [a, a + width];
  }

  /** The window asked for last (the view on its way may still show the one before). */
  private _shownWindow(): [number, number] {
    return this._window ?? [0, this._view?.extent[1] ?? 1];
  }

  /** Zooms by `factor` about the cursor (or the window's middle). */
  private _zoomBy(factor: number) {
    if (!this._view) return;
    const [w0, w1] = this._shownWindow();
    const cursor = this._cursor && this._cursor.x >= w0 && this._cursor.x <= w1 ? this._cursor.x : (w0 + w1) / 2;
    const span = (w1 - w0) / factor;
    const share = (cursor - w0) / (w1 - w0 || 1);
    this._setWindow([cursor - span * share, cursor - span * share + span]);
  }

  private _reset() {
    this._window = undefined;
  }

  private _xTicks(x: ReturnType<typeof scaleLinear<number, number>>, plotW: number): { at: number; text: string }[] {
    const count = Math.max(2, Math.floor(plotW / 90));
    if (this._axis === 'chunk') {
      // Position k + 1 is where the k-th chunk begun starts; 0 is the start of the run.
      return x
        .ticks(count)
        .filter((v) => Number.isInteger(v))
        .map((v) => ({ at: v, text: v === 0 ? 'start' : v >= (this._view?.extent[1] ?? Infinity) ? 'end' : formatCount(v - 1) }));
    }
    const [w0, w1] = x.domain();
    const seconds = w1 - w0 >= 5000;
    return x.ticks(count).map((v) => ({ at: v, text: trimNumber(seconds ? v / 1000 : v) }));
  }

  /** The stack's layers for the current choice, in plan order, with their names and colours. */
  private _layers(): { key: string; name: string; colour: string }[] {
    const keys = this._view?.layers.map((l) => l.key) ?? [];
    if (this._stackBy === 'usage') return keys.map((usage) => ({ key: usage, name: `${usage} buffers`, colour: kUsageColours[usage] ?? kOtherColour }));
    const order = (name: string) => {
      const i = this.plan?.arrays.findIndex((a) => a.name === name) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...keys]
      .sort((a, b) => order(a) - order(b))
      .map((name) => ({ key: name, name: layerName(name), colour: name === kUnnamedLayer ? kOtherColour : arrayColour(this.plan, name) }));
  }

  private _summary(budget: number): string {
    const view = this._view;
    const tEnd = view?.tEnd ?? 0;
    const what = this.live ? `Device memory so far, ${formatDuration(tEnd)} into the run` : `Device memory over ${formatDuration(tEnd)}`;
    const compared = this.compare && this._compareLine
      ? `; ${this.compare.label}, drawn as a line: peak ${formatBytes(this._compareLine.peakBytes)}${this.compare.budgetBytes !== undefined ? ` against ${formatBytes(this.compare.budgetBytes)}` : ''}`
      : '';
    return `${what}${this.label ? ` (${this.label})` : ''}: peak ${formatBytes(view?.peak?.bytes ?? 0)}${this.plan ? ` against a budget of ${formatBytes(budget)}` : ''}${compared}. Arrow keys step through allocations and frees; Page Up and Page Down jump a tenth of the run; plus and minus zoom, Shift with the arrows pans, 0 shows the whole run.`;
  }

  /** The cursor's allocation in words: when, the memory live then, then the allocation itself and where it sits in the run and the log. */
  private _readout(cursor: SampleDetail | undefined): string {
    if (cursor === undefined) return 'Point at the chart, or focus it and use the arrow keys, to see each allocation and free.';
    // The layers in the stack's order, bottom first, as the legend lists them.
    const bytes = new Map(cursor.layers.map((l) => [l.key, l.bytes]));
    const parts = this._layers()
      .filter((l) => bytes.has(l.key))
      .map((l) => `${l.name} ${formatBytes(bytes.get(l.key)!)}`);
    const reserved = this._view?.reservedPeak ? `, ${formatBytes(cursor.reservedBytes)} reserved` : '';
    const memory = `${formatDuration(cursor.t)}: ${formatBytes(cursor.deviceBytes)} device${parts.length > 1 ? ` (${parts.join(', ')})` : ''}${reserved}, ${formatBytes(cursor.stagingBytes)} staging`;
    const now = cursor.chunk >= 0 ? `in chunk ${cursor.chunk}` : 'outside any chunk';
    const block = cursor.block;
    if (block) {
      const b = block.event;
      const made = block.chunk >= 0 ? `allocated in chunk ${block.chunk}` : 'allocated outside any chunk';
      return `${memory}, ${now} — under the pointer: ${bufferWords(b.label, b.bytes)}, ${formatBytes(b.bytes)} of ${b.array ?? 'no array'}, ${b.usage} — ${made}, attempt ${block.attempt}, event #${formatCount(block.eventIndex)} in the log`;
    }
    const e = cursor.event;
    if (!e) return memory;
    const where = [cursor.chunk >= 0 ? `chunk ${cursor.chunk}` : 'outside any chunk', `attempt ${cursor.attempt}`, `event #${formatCount(cursor.eventIndex)} in the log`].join(', ');
    return `${memory} — ${e.kind} ${bufferWords(e.label, e.bytes)}, ${formatBytes(e.bytes)} of ${e.array ?? 'no array'}, ${e.usage} — ${where}`;
  }

  /**
   * What the page can say of the pixel column at `position` before the worker names the
   * allocation there: when (on the time axis), the least and most device and staging bytes
   * in the column, and the chunk drawn there.
   */
  private _columnReadout(position: number): string {
    const view = this._view;
    const i = view ? bucketAt(view.edges, position) : -1;
    if (!view || i < 0) return 'Looking up the allocation under the pointer…';
    const span = (min: Float64Array, max: Float64Array) => (formatBytes(min[i]) === formatBytes(max[i]) ? formatBytes(max[i]) : `${formatBytes(min[i])}–${formatBytes(max[i])}`);
    const when = this._axis === 'time' ? `${formatDuration(position)}: ` : '';
    // The last band holding `position`, as the chart draws later bands on top; no list made per move.
    let band: ViewBand | undefined;
    for (let k = view.bands.length - 1; k >= 0 && !band; k--) if (view.bands[k].x0 <= position && position < view.bands[k].x1) band = view.bands[k];
    const chunk = band ? `, in chunk ${band.index}` : '';
    return `${when}${span(view.deviceMin, view.deviceMax)} device, ${span(view.stagingMin, view.stagingMax)} staging in this pixel column${chunk}; looking up the allocation under the pointer…`;
  }

  /** Asks the worker what is at `at`; while a request is out only the latest position waits. */
  private async _requestSample(at: TimelineSampleAt) {
    const { client, traceId } = this;
    if (!client || traceId === undefined) return;
    if (this._sampleBusy) {
      this._sampleNext = at;
      return;
    }
    this._sampleBusy = true;
    try {
      const detail = await client.timelineSample(traceId, at, this._axis, this._stackBy);
      // Only the latest position is read out: not one the pointer has left (moved on, or off
      // the chart), nor a keyboard step the pointer has overtaken.
      const latest = 'x' in at ? at === this._pointerAt : this._pointerAt === undefined;
      if (at === this._pointerAt) this._pointerAt = undefined;
      if (detail && traceId === this.traceId && latest) {
        this._cursor = detail;
        if ('sample' in at) this._keepInWindow(detail.x);
      }
    } catch {
      // The worker went away: the readout keeps its last answer rather than waiting for one.
      if (at === this._pointerAt) this._pointerAt = undefined;
    } finally {
      this._sampleBusy = false;
      const next = this._sampleNext;
      this._sampleNext = undefined;
      if (next) void this._requestSample(next);
    }
  }

  /** Pans a zoomed window (keeping its width) to show the stepped chunk's band, if it is out of view. */
  private _bringIntoWindow(band: { x0: number; x1: number } | undefined) {
    const w = this._window;
    if (!band || !w || (band.x1 >= w[0] && band.x0 <= w[1])) return;
    const span = w[1] - w[0];
    const middle = (band.x0 + band.x1) / 2;
    this._setWindow([middle - span / 2, middle + span / 2]);
  }

  /** Pans the window (keeping its width) so a keyboard cursor stays in view. */
  private _keepInWindow(position: number) {
    const w = this._window;
    if (!w || (position >= w[0] && position <= w[1])) return;
    const span = w[1] - w[0];
    this._setWindow([position - span / 2, position + span / 2]);
  }

  private _onStackBy(e: Event) {
    this._stackBy = (e.target as HTMLInputElement).value as StackBy;
    if (this._cursor) void this._requestSample({ sample: this._cursor.sample });
  }

  private _onAxis(e: Event) {
    this._axis = (e.target as HTMLInputElement).value as TimelineAxis;
    this._window = undefined;
    this._pointerX = undefined;
    if (this._cursor) void this._requestSample({ sample: this._cursor.sample });
  }

  private _positionAt(e: MouseEvent, x: ReturnType<typeof scaleLinear<number, number>>, left: number, right: number): number | undefined {
    const px = e.clientX - this._svg.getBoundingClientRect().left;
    return px < left || px > right ? undefined : x.invert(px);
  }

  /**
   * What the pointer points at: the axis position, and the bytes at its height with the
   * stack's layers as drawn, so the worker names the allocation drawn there (as PyTorch's
   * viewer picks a block), not merely the last event before that instant.
   */
  private _pointAt(e: MouseEvent, x: ReturnType<typeof scaleLinear<number, number>>, left: number, right: number): TimelineSampleAt | undefined {
    const at = this._positionAt(e, x, left, right);
    if (at === undefined) return undefined;
    const { top, plotH } = this._plot();
    const py = e.clientY - this._svg.getBoundingClientRect().top;
    if (py < top || py > top + plotH) return { x: at };
    return { x: at, bytes: this._yScale(top + plotH, top).bytesAt(py), stack: this._layers().map((l) => l.key) };
  }

  private _onPointer(e: PointerEvent, x: ReturnType<typeof scaleLinear<number, number>>, left: number, right: number) {
    if (e.buttons) return;
    const at = this._pointAt(e, x, left, right);
    if (at === undefined || !('x' in at)) return;
    this._pointerX = at.x;
    this._pointerAt = at;
    void this._requestSample(at);
  }

  private _onLeave() {
    this._pointerX = undefined;
    this._pointerAt = undefined;
    this._cursor = undefined;
  }

  private async _onClick(e: MouseEvent, x: ReturnType<typeof scaleLinear<number, number>>, left: number, right: number) {
    const at = this._pointAt(e, x, left, right);
    const { client, traceId } = this;
    if (at === undefined || !client || traceId === undefined) return;
    const detail = await client.timelineSample(traceId, at, this._axis, this._stackBy).catch(() => undefined);
    // The allocation under the pointer, else the event at that instant.
    const eventIndex = detail?.block?.eventIndex ?? detail?.eventIndex ?? -1;
    if (!detail || eventIndex < 0) return;
    this._cursor = detail;
    this.dispatchEvent(new CustomEvent<EventChosenDetail>('event-chosen', { detail: { eventIndex }, bubbles: true, composed: true }));
  }

  private _onKey(e: KeyboardEvent) {
    const view = this._view;
    if (!view) return;
    if (e.key === '+' || e.key === '=') return this._keyDone(e, () => this._zoomBy(kZoomStep));
    if (e.key === '-' || e.key === '_') return this._keyDone(e, () => this._zoomBy(1 / kZoomStep));
    if (e.key === '0') return this._keyDone(e, () => this._reset());
    if (e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      const [w0, w1] = this._shownWindow();
      const step = ((w1 - w0) / 5) * (e.key === 'ArrowLeft' ? -1 : 1);
      return this._keyDone(e, () => this._setWindow([w0 + step, w1 + step]));
    }
    if (e.key === 'Enter' && this._cursor && this._cursor.eventIndex >= 0) {
      const eventIndex = this._cursor.eventIndex;
      return this._keyDone(e, () => this.dispatchEvent(new CustomEvent<EventChosenDetail>('event-chosen', { detail: { eventIndex }, bubbles: true, composed: true })));
    }
    const last = view.sampleCount - 1;
    const at = this._cursor?.sample ?? 0;
    const jump = Math.max(1, Math.round(last / 10));
    // The slider keys: Up and Down step as Right and Left do.
    const moves = new Map([['ArrowRight', at + 1], ['ArrowUp', at + 1], ['ArrowLeft', at - 1], ['ArrowDown', at - 1], ['PageDown', at + jump], ['PageUp', at - jump], ['Home', 0], ['End', last]]);
    const to = moves.get(e.key);
    if (to === undefined) return;
    e.preventDefault();
    this._pointerX = undefined;
    this._pointerAt = undefined;
    void this._requestSample({ sample: Math.min(last, Math.max(0, to)) });
  }

  private _keyDone(e: KeyboardEvent, act: () => void) {
    e.preventDefault();
    act();
  }
}

/** Reads the theme's colours where the element sits (a canvas cannot resolve `var()`); `fallback` outside the app. */
function themeColours(element: Element): (name: string, fallback: string) => string {
  const style = getComputedStyle(element);
  return (name, fallback) => style.getPropertyValue(name).trim() || fallback;
}

function highestOf(values: Float64Array): number {
  let most = 0;
  for (const v of values) if (v > most) most = v;
  return most;
}

/** The bucket of `edges` (ascending, buckets + 1 of them) holding `x`, or -1 outside them. */
function bucketAt(edges: Float64Array, x: number): number {
  const n = edges.length - 1;
  if (!(n > 0 && x >= edges[0] && x <= edges[n])) return -1;
  return lastAtOrBefore(edges, x, n - 1);
}

function layerName(key: string): string {
  return key === kUnnamedLayer ? 'buffers of no array' : key;
}

/** Rough width of a chart label: 11 px system-ui averages under 6 px a character. */
const kCharPx = 6;

/**
 * Where a label beside x = `at` goes inside the plot `[left, right]`: after it if it fits,
 * else before it, else from the plot's left edge, cut short with an ellipsis (the marker's
 * title keeps the whole sentence).
 */
function fitLabel(at: number, text: string, left: number, right: number, gap = 4): { x: number; anchor: 'start' | 'end'; text: string; from: number; to: number } {
  const width = text.length * kCharPx;
  if (at + gap + width <= right) return { x: at + gap, anchor: 'start', text, from: at, to: at + gap + width };
  if (at - gap - width >= left) return { x: at - gap, anchor: 'end', text, from: at - gap - width, to: at };
  const room = Math.max(4, Math.floor((right - left - 4) / kCharPx));
  const cut = text.length > room ? `${text.slice(0, room - 1)}…` : text;
  return { x: left + 2, anchor: 'start', text: cut, from: left, to: left + 2 + cut.length * kCharPx };
}

/** Text on a halo of the page's background, so it stays readable over bands and layers. */
function lineLabel(x: number, y: number, text: string, colour: string, anchor: 'start' | 'end' = 'end') {
  return svg`<text x=${x} y=${y} text-anchor=${anchor} style=${`fill:${colour};stroke:var(--cs-bg)`} stroke-width="3" paint-order="stroke">${text}</text>`;
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
