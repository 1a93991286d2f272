/**
 * `<memory-timeline>`: device-local bytes over the time of a run — live while it goes on,
 * from its trace after — stacked by array or by usage class, against the budget (and the
 * cap the headroom leaves under it), the per-buffer limits where they fall on the scale,
 * the peak marked with the buffer that set it, one band per chunk, a marker per fault and
 * fallback, and staging (host-visible) bytes on their own line. Hover, or focus and use
 * the arrow keys, to read the event behind each step. A second run can be drawn on the
 * same axes to compare.
 *
 * d3-scale and d3-shape compute scales and paths; Lit's `svg` templates place them, so
 * the chart is one render function and d3 never touches the DOM. However long the trace,
 * at most a few points per pixel column are drawn (MemorySeries.thinned).
 */
import { scaleLinear } from 'd3-scale';
import { area, curveStepAfter, line, stack, type SeriesPoint } from 'd3-shape';
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { kDeviceUsageClasses, kUnnamedLayer, MemorySeries } from '../core/memory-series.ts';
import type { Plan } from '../core/planner.ts';
import type { AllocationFaultEvent, DeviceLostEvent, FallbackEvent, TraceEvent } from '../core/trace.ts';
import { formatBytes, formatDuration } from '../core/units.ts';
import { arrayColour, kOtherColour } from './array-colours.ts';
import { describeEvent } from './event-words.ts';
import { SizeController } from './size-controller.ts';

/** Another run drawn on the same axes: its device bytes as a line, its budget if it differs. */
export interface TimelineComparison {
  label: string;
  events: readonly TraceEvent[];
  budgetBytes?: number;
}

/** What the stack is made of. */
export type StackBy = 'array' | 'usage';

/** A chunk's span; `end` is undefined while the chunk is still running. */
interface Band {
  index: number;
  begin: number;
  end: number | undefined;
  /** False for a chunk a fault cut short. */
  done: boolean;
}

type Marker = AllocationFaultEvent | DeviceLostEvent | FallbackEvent;

/**
 * Chunk bands and fault and fallback markers, built one event at a time like the memory
 * series. With two buffer sets two chunks overlap, so open bands are kept by index.
 */
class RunMarks {
  readonly bands: Band[] = [];
  readonly markers: Marker[] = [];
  readonly #open = new Map<number, Band>();

  append(e: TraceEvent): void {
    if (e.kind === 'chunk-begin') {
      const band: Band = { index: e.index, begin: e.t, end: undefined, done: false };
      this.#open.set(e.index, band);
      this.bands.push(band);
      return;
    }
    if (e.kind === 'chunk-end') {
      const band = this.#open.get(e.index);
      if (band) Object.assign(band, { end: e.t, done: true });
      this.#open.delete(e.index);
      return;
    }
    if (e.kind === 'oom' || e.kind === 'validation-error' || e.kind === 'device-lost' || e.kind === 'fallback') this.markers.push(e);
    if (e.kind === 'attempt' || e.kind === 'device-lost' || e.kind === 'oom' || e.kind === 'validation-error' || e.kind === 'done') {
      for (const band of this.#open.values()) band.end = e.t;
      this.#open.clear();
    }
  }
}

/** A trace's series and marks, extended in place while the same trace grows (a live run). */
class DrawnTrace {
  readonly series = new MemorySeries();
  readonly marks = new RunMarks();
  #events: readonly TraceEvent[] = [];

  /** Whether `events` continues what was drawn: the same events, then more. */
  continues(events: readonly TraceEvent[]): boolean {
    const seen = this.#events.length;
    return events.length >= seen && (seen === 0 || events[seen - 1] === this.#events[seen - 1]);
  }

  /** Whether `events` starts with copies of what was drawn (as a run's reply copies its live trace). */
  copiedIn(events: readonly TraceEvent[]): boolean {
    const seen = this.#events.length;
    if (seen === 0) return true;
    const [copy, drawn] = [events[seen - 1], this.#events[seen - 1]];
    return copy !== undefined && copy.t === drawn.t && copy.kind === drawn.kind;
  }

  extend(events: readonly TraceEvent[]): void {
    for (let i = this.#events.length; i < events.length; i++) {
      this.series.append(events[i]);
      this.marks.append(events[i]);
    }
    this.#events = events;
  }

  static of(events: readonly TraceEvent[]): DrawnTrace {
    const drawn = new DrawnTrace();
    drawn.extend(events);
    return drawn;
  }
}

/** A point of the drawn curves: sample `i` of the series, at time `t`. */
interface Point {
  i: number;
  t: number;
}

const kMargin = { top: 22, right: 14, bottom: 42, left: 60 };
const kHeight = 300;
const kBinaryUnits: [number, string][] = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']];
const kUsageColours: Record<(typeof kDeviceUsageClasses)[number], string> = { storage: '#0072B2', uniform: '#CC79A7' };
const kLimitNames = ['maxBufferSize', 'maxStorageBufferBindingSize'] as const;

@customElement('memory-timeline')
export class MemoryTimeline extends LitElement {
  static override styles = css`
    :host { display: block; }
    .head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 0.3rem 1rem; margin: 0 0 0.4rem; }
    h2 { font-size: 1.1rem; margin: 0; }
    .live { display: inline-block; margin-left: 0.5rem; padding: 0 0.4rem; border-radius: 3px; background: #cf222e; color: #fff; font-size: 0.75rem; font-weight: 600; vertical-align: middle; }
    fieldset { border: none; margin: 0; padding: 0; display: flex; gap: 0.75rem; align-items: center; font-size: 0.9rem; }
    legend { float: left; margin-right: 0.25rem; color: #57606a; padding: 0; }
    label { display: inline-flex; gap: 0.25rem; align-items: center; cursor: pointer; }
    input:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
    svg { display: block; font: 11px system-ui, sans-serif; overflow: visible; }
    svg:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
    .axis text { fill: #424a53; }
    .axis .title { fill: #24292f; font-size: 12px; }
    .grid { stroke: #d8dee4; stroke-width: 1; }
    .layer { fill-opacity: 0.72; }
    .device { fill: none; stroke: #0a3069; stroke-width: 1.5; }
    .staging { fill: none; stroke: #24292f; stroke-width: 1.5; stroke-dasharray: 5 3; }
    .compare { fill: none; stroke: #953800; stroke-width: 2.5; stroke-dasharray: 4 3; }
    .compare-budget { stroke: #953800; stroke-width: 1; stroke-dasharray: 8 4; }
    .budget { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 8 4; }
    .cap { stroke: #cf222e; stroke-width: 1; stroke-dasharray: 2 3; }
    .limit { stroke: #8250df; stroke-width: 1.5; stroke-dasharray: 10 3 2 3; }
    .band { fill: #009E73; fill-opacity: 0.07; }
    .band.odd { fill-opacity: 0.15; }
    .band.cut { fill: #cf222e; fill-opacity: 0.12; }
    .fault { stroke: #cf222e; stroke-width: 2; }
    .fallback { stroke: #8250df; stroke-width: 2; stroke-dasharray: 3 2; }
    .peak { fill: #0a3069; stroke: #fff; stroke-width: 2; }
    .label-bg { fill: #fff; fill-opacity: 0.85; }
    .cursor { stroke: #24292f; stroke-width: 1; stroke-dasharray: 2 2; }
    .cursor-dot { fill: #fff; stroke: #24292f; stroke-width: 1.5; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; margin: 0.4rem 0 0; padding: 0; list-style: none; font-size: 0.85rem; }
    .legend .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; vertical-align: -0.15rem; margin-right: 0.3rem; border-radius: 2px; opacity: 0.8; }
    .legend .stroke { display: inline-block; width: 1.4rem; height: 0; vertical-align: middle; margin-right: 0.3rem; border-top: 2px solid; }
    .off-scale { color: #57606a; }
    .readout { min-height: 2.6em; margin: 0.3rem 0 0; font-size: 0.9rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .waiting { fill: #57606a; font-size: 13px; }
  `;

  /** The trace to draw: a finished run's, or the run in flight's so far. */
  @property({ attribute: false }) events: readonly TraceEvent[] = [];
  /** The plan the run follows: its budget, cap, limits and array order (for colours). */
  @property({ attribute: false }) plan: Plan | undefined;
  /** True while the run is in flight: the chart grows as events arrive. */
  @property({ type: Boolean }) live = false;
  /** What to call this run beside a comparison. */
  @property() label = '';
  /** Another run to draw on the same axes. */
  @property({ attribute: false }) compare: TimelineComparison | undefined;

  /** What the stack is made of; the user switches it. */
  @state() private _stackBy: StackBy = 'array';
  /** The sample under the pointer or the keyboard cursor. */
  @state() private _cursor: number | undefined;

  private readonly _size = new SizeController(this);
  private _drawn = new DrawnTrace();
  private _compared: DrawnTrace | undefined;
  private _comparedEvents: readonly TraceEvent[] | undefined;

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('events')) {
      if (!this._drawn.continues(this.events)) {
        // The run that just ended comes back as its report's copy of the same events: the
        // cursor stays on its sample. Any other trace (a failed run shows the one before) starts without one.
        const runEnded = changed.get('live') === true && !this.live;
        if (!runEnded || !this._drawn.copiedIn(this.events)) this._cursor = undefined;
        this._drawn = new DrawnTrace();
      }
      this._drawn.extend(this.events);
    }
    // Owners build the comparison object in their render: only new events are worth a rebuild.
    if (changed.has('compare') && this.compare?.events !== this._comparedEvents) {
      this._comparedEvents = this.compare?.events;
      this._compared = this.compare ? DrawnTrace.of(this.compare.events) : undefined;
    }
  }

  override render() {
    const { series, marks } = this._drawn;
    const plan = this.plan;
    const compared = this._compared;
    const width = Math.max(this._size.width, 300);
    const plotW = width - kMargin.left - kMargin.right;
    const plotH = kHeight - kMargin.top - kMargin.bottom;
    const left = kMargin.left;
    const right = left + plotW;
    const bottom = kMargin.top + plotH;

    const budget = plan ? Number(plan.budgetBytes) : 0;
    const cap = plan ? Number(plan.capBytes) : 0;
    const compareBudget = this.compare?.budgetBytes;
    const tEnd = Math.max(series.tEnd, compared?.series.tEnd ?? 0, 1);
    const highest = Math.max(budget, series.peakBytes, series.stagingPeakBytes, compared?.series.peakBytes ?? 0, compareBudget ?? 0, 1);
    const [unit, unitName] = kBinaryUnits.find(([u]) => highest >= u) ?? kBinaryUnits[3];
    const yUnits = scaleLinear().domain([0, (highest * 1.06) / unit]).range([bottom, kMargin.top]).nice(5);
    const y = (bytes: number) => yUnits(bytes / unit);
    const yTop = yUnits.domain()[1] * unit;
    const seconds = tEnd >= 5000;
    const x = scaleLinear().domain([0, tEnd]).range([left, right]);

    const points = (s: MemorySeries): Point[] => {
      const kept = s.thinned(Math.max(50, Math.round(plotW)));
      const out = kept.map((i) => ({ i, t: s.t[i] }));
      // Steps hold their value to the end of the run, past the last alloc or free.
      out.push({ i: s.length - 1, t: tEnd });
      return out;
    };
    const drawn = points(series);
    const layers = this._layers(series);
    const columns = new Map(layers.map((l) => [l.key, l.column]));
    const stacked = stack<Point, string>()
      .keys(layers.map((l) => l.key))
      .value((p, key) => columns.get(key)![p.i])(drawn);
    const layerArea = area<SeriesPoint<Point>>()
      .x((d) => x(d.data.t))
      .y0((d) => y(d[0]))
      .y1((d) => y(d[1]))
      .curve(curveStepAfter);
    const stepLine = (s: MemorySeries, pick: (s: MemorySeries, i: number) => number) =>
      line<Point>()
        .x((p) => x(p.t))
        .y((p) => y(pick(s, p.i)))
        .curve(curveStepAfter);
    const deviceLine = stepLine(series, (s, i) => s.device[i])(drawn) ?? '';
    const stagingLine = stepLine(series, (s, i) => s.staging[i])(drawn) ?? '';
    const compareLine = compared ? stepLine(compared.series, (s, i) => s.device[i])(points(compared.series)) ?? '' : '';

    const limits = plan ? kLimitNames.map((name) => ({ name, bytes: plan.limits[name] })) : [];
    const limitsOnScale = limits.filter((l) => l.bytes <= yTop);
    const limitsOffScale = limits.filter((l) => l.bytes > yTop);
    const xTicks = x.ticks(Math.max(2, Math.floor(plotW / 90)));
    const yTicks = yUnits.ticks(5);
    const bands = marks.bands.length <= plotW / 4 ? marks.bands : [];
    const peak = series.peakSetBy;
    const peakX = peak ? x(peak.t) : 0;
    const peakRight = peakX > left + plotW * 0.6;
    // The peak usually sits just under the budget or the cap: its label goes where their
    // labels are not, above the marker if it can, else below.
    const taken = plan ? [y(budget) - 5, ...(cap < budget ? [y(cap) + 13] : [])] : [];
    const peakY = peak ? y(series.peakBytes) : 0;
    const peakLabelY = [Math.max(peakY - 9, kMargin.top - 6), peakY + 17, peakY + 31].find((ly) => taken.every((t) => Math.abs(ly - t) >= 13)) ?? peakY + 17;
    const cursor = this._cursor !== undefined && this._cursor < series.length ? this._cursor : undefined;
    const hasSamples = series.length > 1;
    // The chart is a slider over its samples: a screen reader hands it the arrow keys and
    // reads the sample's value text, where a live region would speak at every pointer move.
    const readout = this._readout(cursor, layers);

    return html`
      <div class="head">
        <h2>Memory timeline${this.live ? html`<span class="live" data-testid="timeline-live">live</span>` : nothing}</h2>
        <fieldset>
          <legend>Stack by</legend>
          <label><input type="radio" name="stack-by" value="array" .checked=${this._stackBy === 'array'} @change=${this._onStackBy} />array</label>
          <label><input type="radio" name="stack-by" value="usage" .checked=${this._stackBy === 'usage'} @change=${this._onStackBy} />usage class</label>
        </fieldset>
      </div>
      <svg
        width=${width}
        height=${kHeight}
        role="slider"
        tabindex="0"
        aria-label=${this._summary(tEnd, budget)}
        aria-valuemin="0"
        aria-valuemax=${Math.max(0, series.length - 1)}
        aria-valuenow=${cursor ?? 0}
        aria-valuetext=${cursor === undefined ? 'no allocation or free chosen yet' : readout}
        data-testid="timeline-svg"
        data-points=${drawn.length}
        @pointermove=${(e: PointerEvent) => this._onPointer(e, x.invert.bind(x))}
        @pointerleave=${() => (this._cursor = undefined)}
        @keydown=${this._onKey}
      >
        ${bands.map((b, i) => {
          const end = b.end ?? tEnd;
          return svg`<rect class="band ${i % 2 ? 'odd' : ''} ${b.end !== undefined && !b.done ? 'cut' : ''}" data-testid="timeline-band" x=${x(b.begin)} y=${kMargin.top} width=${Math.max(1, x(end) - x(b.begin))} height=${plotH}><title>chunk ${b.index}${b.done ? '' : b.end === undefined ? ' (running)' : ' (cut short)'}</title></rect>`;
        })}
        <g class="axis">
          ${yTicks.map((v) => svg`<line class="grid" x1=${left} x2=${right} y1=${yUnits(v)} y2=${yUnits(v)}></line>
            <text x=${left - 6} y=${yUnits(v) + 4} text-anchor="end">${trimNumber(v)}</text>`)}
          ${xTicks.map((v) => svg`<text x=${x(v)} y=${bottom + 16} text-anchor="middle">${trimNumber(seconds ? v / 1000 : v)}</text>`)}
          <text class="title" x=${left + plotW / 2} y=${kHeight - 6} text-anchor="middle">time since the run started (${seconds ? 's' : 'ms'})</text>
          <text class="title" transform="translate(14 ${kMargin.top + plotH / 2}) rotate(-90)" text-anchor="middle">device bytes live (${unitName})</text>
        </g>
        ${stacked.map((layerSeries, i) => svg`<path class="layer" data-testid="timeline-layer" data-layer=${layers[i].key} fill=${layers[i].colour} d=${layerArea(layerSeries) ?? ''}><title>${layers[i].name}</title></path>`)}
        <path class="device" data-testid="timeline-device" d=${deviceLine}></path>
        <path class="staging" data-testid="timeline-staging" d=${stagingLine}></path>
        ${compared ? svg`<path class="compare" data-testid="timeline-compare" d=${compareLine}></path>` : nothing}
        ${plan
          ? svg`<line class="budget" data-testid="timeline-budget" x1=${left} x2=${right} y1=${y(budget)} y2=${y(budget)}></line>
              ${this._lineLabel(right - 4, y(budget) - 5, `budget ${formatBytes(budget)}`, '#a40e26')}
              ${cap < budget
                ? svg`<line class="cap" data-testid="timeline-cap" x1=${left} x2=${right} y1=${y(cap)} y2=${y(cap)}></line>
                    ${this._lineLabel(left + 6, y(cap) + 13, `cap after headroom ${formatBytes(cap)}`, '#a40e26', 'start')}`
                : nothing}`
          : nothing}
        ${compareBudget !== undefined && compareBudget !== budget
          ? svg`<g data-testid="timeline-compare-budget"><line class="compare-budget" x1=${left} x2=${right} y1=${y(compareBudget)} y2=${y(compareBudget)}></line>
              ${this._lineLabel(right - 4, y(compareBudget) - 5, `${this.compare!.label} budget ${formatBytes(compareBudget)}`, '#953800')}</g>`
          : nothing}
        ${limitsOnScale.map((l) => svg`<line class="limit" data-testid="timeline-limit" data-limit=${l.name} x1=${left} x2=${right} y1=${y(l.bytes)} y2=${y(l.bytes)}></line>
          ${this._lineLabel(left + 6, y(l.bytes) - 5, `${l.name} ${formatBytes(l.bytes)} (one buffer)`, '#6639ba', 'start')}`)}
        ${marks.markers.map((m) => svg`<line class=${m.kind === 'fallback' ? 'fallback' : 'fault'} data-testid="timeline-marker" data-kind=${m.kind} x1=${x(m.t)} x2=${x(m.t)} y1=${kMargin.top} y2=${bottom}><title>${describeEvent(m)}</title></line>`)}
        ${peak
          ? svg`<circle class="peak" data-testid="timeline-peak" cx=${peakX} cy=${y(series.peakBytes)} r="5"><title>peak ${formatBytes(series.peakBytes)}, set by ${peak.label}</title></circle>
              ${this._lineLabel(peakRight ? peakX - 8 : peakX + 8, peakLabelY, `peak ${formatBytes(series.peakBytes)}: ${peak.label}`, '#0a3069', peakRight ? 'end' : 'start')}`
          : nothing}
        ${!hasSamples
          ? svg`<text class="waiting" x=${left + plotW / 2} y=${kMargin.top + plotH / 2} text-anchor="middle">${this.live ? 'waiting for the first allocation…' : 'no buffer was allocated'}</text>`
          : nothing}
        ${cursor !== undefined
          ? svg`<line class="cursor" x1=${x(series.t[cursor])} x2=${x(series.t[cursor])} y1=${kMargin.top} y2=${bottom}></line>
              <circle class="cursor-dot" cx=${x(series.t[cursor])} cy=${y(series.device[cursor])} r="3.5"></circle>`
          : nothing}
      </svg>
      <ul class="legend" data-testid="timeline-legend">
        ${layers.map((l) => html`<li><span class="swatch" style="background:${l.colour}"></span>${l.name}</li>`)}
        <li><span class="stroke" style="border-color:#0a3069"></span>device bytes${this.label ? ` (${this.label})` : ''}</li>
        <li><span class="stroke" style="border-color:#24292f;border-top-style:dashed"></span>staging bytes (host-visible)</li>
        ${compared ? html`<li><span class="stroke" style="border-color:#953800;border-top-style:dashed;border-top-width:3px"></span>device bytes (${this.compare!.label})</li>` : nothing}
        ${plan ? html`<li><span class="stroke" style="border-color:#cf222e;border-top-style:dashed"></span>budget</li>` : nothing}
        ${marks.bands.length ? html`<li><span class="swatch" style="background:#009E73;opacity:.35"></span>${bands.length ? 'chunk' : `${marks.bands.length.toLocaleString('en-US')} chunks (too narrow to shade)`}</li>` : nothing}
        ${marks.markers.some((m) => m.kind !== 'fallback') ? html`<li><span class="stroke" style="border-color:#cf222e"></span>fault</li>` : nothing}
        ${marks.markers.some((m) => m.kind === 'fallback') ? html`<li><span class="stroke" style="border-color:#8250df;border-top-style:dotted"></span>fallback</li>` : nothing}
        ${limitsOnScale.length ? html`<li><span class="stroke" style="border-color:#8250df;border-top-style:dashed"></span>per-buffer limit</li>` : nothing}
        ${limitsOffScale.length
          ? html`<li class="off-scale" data-testid="timeline-limits-off-scale">off the scale: ${limitsOffScale.map((l) => `${l.name} ${formatBytes(l.bytes)}`).join(', ')} (per buffer)</li>`
          : nothing}
      </ul>
      <p class="readout" data-testid="timeline-readout">${readout}</p>
    `;
  }

  /** The stack's layers for the current choice, in plan order, without layers that never hold a byte. */
  private _layers(series: MemorySeries): { key: string; name: string; colour: string; column: number[] }[] {
    if (this._stackBy === 'usage') {
      return kDeviceUsageClasses
        .filter((usage) => series.byUsage[usage].some((v) => v > 0))
        .map((usage) => ({ key: usage, name: `${usage} buffers`, colour: kUsageColours[usage], column: series.byUsage[usage] }));
    }
    const order = (name: string) => {
      const i = this.plan?.arrays.findIndex((a) => a.name === name) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...series.byArray.entries()]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([name, column]) => ({ key: name, name: name === kUnnamedLayer ? 'buffers of no array' : name, colour: name === kUnnamedLayer ? kOtherColour : arrayColour(this.plan, name), column }));
  }

  /** Text on a white halo, so it stays readable over bands and layers. */
  private _lineLabel(x: number, y: number, text: string, colour: string, anchor: 'start' | 'end' = 'end') {
    return svg`<text x=${x} y=${y} text-anchor=${anchor} fill=${colour} stroke="#fff" stroke-width="3" paint-order="stroke">${text}</text>`;
  }

  private _summary(tEnd: number, budget: number): string {
    const { series } = this._drawn;
    const what = this.live ? `Device memory so far, ${formatDuration(tEnd)} into the run` : `Device memory over ${formatDuration(tEnd)}`;
    const compared = this._compared && this.compare
      ? `; ${this.compare.label}, drawn as a line: peak ${formatBytes(this._compared.series.peakBytes)}${this.compare.budgetBytes !== undefined ? ` against ${formatBytes(this.compare.budgetBytes)}` : ''}`
      : '';
    return `${what}${this.label ? ` (${this.label})` : ''}: peak ${formatBytes(series.peakBytes)}${this.plan ? ` against a budget of ${formatBytes(budget)}` : ''}${compared}. Arrow keys step through allocations and frees; Page Up and Page Down jump a tenth of the run.`;
  }

  private _readout(cursor: number | undefined, layers: { name: string; column: number[] }[]) {
    const { series } = this._drawn;
    if (cursor === undefined) return 'Point at the chart, or focus it and use the arrow keys, to see each allocation and free.';
    const index = series.eventIndex[cursor];
    const event = index >= 0 ? this.events[index] : undefined;
    const parts = layers.filter((l) => l.column[cursor] > 0).map((l) => `${l.name} ${formatBytes(l.column[cursor])}`);
    return `${formatDuration(series.t[cursor])}: ${formatBytes(series.device[cursor])} device${parts.length > 1 ? ` (${parts.join(', ')})` : ''}, ${formatBytes(series.staging[cursor])} staging${event ? ` — ${describeEvent(event)}` : ''}`;
  }

  private _onStackBy(e: Event) {
    this._stackBy = (e.target as HTMLInputElement).value as StackBy;
  }

  private _onPointer(e: PointerEvent, timeAt: (px: number) => number) {
    const svgEl = e.currentTarget as SVGSVGElement;
    this._cursor = this._drawn.series.sampleAt(timeAt(e.clientX - svgEl.getBoundingClientRect().left));
  }

  private _onKey(e: KeyboardEvent) {
    const last = this._drawn.series.length - 1;
    const at = this._cursor ?? 0;
    const jump = Math.max(1, Math.round(last / 10));
    // The slider keys: Up and Down step as Right and Left do.
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowUp: at + 1, ArrowLeft: at - 1, ArrowDown: at - 1, PageDown: at + jump, PageUp: at - jump, Home: 0, End: last };
    if (!(e.key in moves)) return;
    e.preventDefault();
    this._cursor = Math.min(last, Math.max(0, moves[e.key]));
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
