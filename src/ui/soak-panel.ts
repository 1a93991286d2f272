/**
 * `<soak-panel>`: runs the scenario again and again on one device and shows live device
 * bytes after each cycle, the fitted growth per cycle, the emergency stop and the verdict.
 *
 * @fires soak-requested - Soak was pressed; detail {@link SoakRequestedDetail}.
 * @fires soak-cancelled - Cancel was pressed during a soak.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { scaleLinear } from 'd3-scale';
import { byteAxis } from './byte-axis.ts';
import { formatBytes, formatBytesExact, formatCount } from '../core/units.ts';
import type { SoakReport, SoakSample } from '../engine/index.ts';
import { parseByteText } from './byte-text.ts';
import { SizeController } from './size-controller.ts';

/** Detail of `soak-requested`. */
export interface SoakRequestedDetail {
  cycles: number;
  stopAtBytes?: number;
}

const kHeight = 170;
const kMargin = { top: 10, right: 12, bottom: 28, left: 64 };

@customElement('soak-panel')
export class SoakPanel extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0 0 0.25rem; }
    p { margin: 0.25rem 0; }
    .hint { color: var(--cs-muted, var(--cs-muted)); font-size: 0.9rem; }
    form { display: flex; flex-wrap: wrap; align-items: end; gap: 0.5rem 1rem; margin: 0.5rem 0; }
    label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--cs-muted, var(--cs-muted)); gap: 0.15rem; }
    input { font: inherit; width: 8rem; padding: 0.15rem 0.3rem; }
    input[aria-invalid='true'] { border-color: var(--cs-bad, var(--cs-danger)); }
    button { font: inherit; padding: 0.3rem 1rem; border-radius: 6px; border: 1px solid var(--cs-border-strong, var(--cs-border-strong)); background: var(--cs-surface-alt, var(--cs-surface)); color: inherit; cursor: pointer; }
    button:disabled { opacity: 0.6; cursor: not-allowed; }
    button:focus-visible, input:focus-visible { outline: 2px solid var(--cs-focus, var(--cs-accent)); outline-offset: 1px; }
    svg { display: block; width: 100%; height: ${kHeight}px; overflow: visible; }
    .axis text { font-size: 11px; fill: var(--cs-muted, var(--cs-muted)); }
    .axis line, .axis path { stroke: var(--cs-border, var(--cs-border)); }
    .bytes { fill: none; stroke: var(--cs-accent, var(--cs-accent)); stroke-width: 2; }
    .point { fill: var(--cs-accent, var(--cs-accent)); }
    .fit { stroke: var(--cs-warn, #9a6700); stroke-dasharray: 6 4; stroke-width: 2; }
    .stop { stroke: var(--cs-bad, var(--cs-danger)); stroke-dasharray: 2 3; }
    .stop-label { font-size: 11px; fill: var(--cs-bad, var(--cs-danger)); }
    .verdict { font-weight: 600; }
    .verdict.steady { color: var(--cs-good, var(--cs-ok)); }
    .verdict.leaking, .verdict.stopped { color: var(--cs-bad, var(--cs-danger)); }
    .legend { font-size: 0.8rem; color: var(--cs-muted, var(--cs-muted)); display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 1.25rem; }
    .legend > span { white-space: nowrap; }
    .key { display: inline-block; width: 1.4rem; height: 0; border-top: 2px solid var(--cs-accent, var(--cs-accent)); }
    .fit-key { border-top: 2px dashed var(--cs-warn, #9a6700); }
    .problem { border-left: 4px solid var(--cs-bad, var(--cs-danger)); padding: 0.3rem 0.6rem; }
  `;

  /** Samples so far (live) or of the last soak. */
  @property({ attribute: false }) samples: readonly SoakSample[] = [];
  /** The last soak's report, once it ended. */
  @property({ attribute: false }) report: SoakReport | undefined;
  /** A soak is in flight. */
  @property({ type: Boolean }) running = false;
  /** Cancel was pressed for the soak in flight. */
  @property({ type: Boolean }) cancelling = false;
  /** Why Soak cannot start now (a run in flight, an invalid scenario), if it cannot. */
  @property() blocked: string | undefined;
  /** Why the last soak could not start or had no reply, in words. */
  @property() problem: string | undefined;
  /** The scenario's own soak settings: the form starts from them. */
  @property({ attribute: false }) defaults: { cycles?: number; stopAtBytes?: number } | undefined;

  @state() private _cycles: string | undefined;
  @state() private _stopAt: string | undefined;

  private readonly _size = new SizeController(this);

  override render() {
    const cyclesText = this._cycles ?? String(this.defaults?.cycles ?? 10);
    const stopText = this._stopAt ?? (this.defaults?.stopAtBytes !== undefined ? String(this.defaults.stopAtBytes) : '');
    const cycles = /^\d+$/.test(cyclesText.trim()) && Number(cyclesText) >= 1 ? Number(cyclesText) : undefined;
    const stopAtBytes = stopText.trim() === '' ? undefined : parseByteText(stopText);
    const stopBad = stopText.trim() !== '' && stopAtBytes === undefined;
    const canStart = !this.running && !this.blocked && cycles !== undefined && !stopBad;
    return html`
      <h2 id="soak-heading">Soak</h2>
      <p class="hint">Runs the scenario again and again on one device and watches live device bytes after each cycle: steady, leaking (a <code>leak</code> fault never frees its buffer), or stopped by the emergency stop.</p>
      <form @submit=${(e: Event) => this._onSubmit(e, cycles, stopAtBytes)}>
        <label>cycles
          <input type="text" inputmode="numeric" data-testid="soak-cycles" .value=${cyclesText} aria-invalid=${cycles === undefined}
            @input=${(e: Event) => (this._cycles = (e.target as HTMLInputElement).value)} />
        </label>
        <label>stop at (bytes, empty: none)
          <input type="text" data-testid="soak-stop-at" .value=${stopText} placeholder="e.g. 12 KB" aria-invalid=${stopBad}
            @input=${(e: Event) => (this._stopAt = (e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" data-testid="soak-button" ?disabled=${!canStart}>${this.running ? 'Soaking…' : 'Soak'}</button>
        ${this.running
          ? html`<button type="button" data-testid="soak-cancel" ?disabled=${this.cancelling} @click=${this._onCancel}>${this.cancelling ? 'Cancelling…' : 'Cancel'}</button>`
          : nothing}
      </form>
      ${this.blocked && !this.running ? html`<p class="hint" data-testid="soak-blocked">Soak is off: ${this.blocked}.</p>` : nothing}
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.running ? html`<p role="status" data-testid="soak-progress">cycle ${formatCount(this.samples.length)} of ${cycles ?? '?'}…</p>` : nothing}
      ${this.samples.length ? this._renderChart(this.report?.cycles.length ?? cycles ?? this.samples.length, stopAtBytes) : nothing}
      ${this.report && !this.running ? this._renderVerdict(this.report) : nothing}
    `;
  }

  private _renderChart(cycles: number, stopAtBytes: number | undefined) {
    const width = Math.max(this._size.width, 200);
    const samples = this.samples;
    const stop = this.report?.stopped?.stopAtBytes ?? stopAtBytes;
    const highest = samples.reduce((m, s) => Math.max(m, s.liveDeviceBytes), stop ?? 0) || 1024;
    const x = scaleLinear().domain([1, Math.max(2, cycles)]).range([kMargin.left, width - kMargin.right]);
    const axis = byteAxis(highest, [kHeight - kMargin.bottom, kMargin.top]);
    const y = axis.y;
    const points = samples.map((s) => `${x(s.cycle).toFixed(1)},${y(s.liveDeviceBytes).toFixed(1)}`).join(' ');
    const fit = this.report ? fittedLine(this.report) : undefined;
    const last = samples.at(-1)!;
    const label = `live device bytes after each of ${samples.length} cycles, from ${formatBytes(samples[0].liveDeviceBytes)} to ${formatBytes(last.liveDeviceBytes)}` +
      (this.report ? `; fitted growth ${formatCount(this.report.growth.deviceBytesPerCycle)} B a cycle` : '');
    return html`<svg role="img" aria-label=${label} data-testid="soak-chart">
      <g class="axis">
        ${axis.ticks.map((t) => svg`<line x1=${kMargin.left} x2=${width - kMargin.right} y1=${y(t.bytes)} y2=${y(t.bytes)} opacity="0.5"></line>
          <text x=${kMargin.left - 6} y=${y(t.bytes) + 4} text-anchor="end">${t.label}</text>`)}
        ${x.ticks(Math.min(cycles, 8)).filter(Number.isInteger).map((c) => svg`<text x=${x(c)} y=${kHeight - 10} text-anchor="middle">${c}</text>`)}
        <text x=${width - kMargin.right} y=${kHeight} text-anchor="end">cycle</text>
      </g>
      ${stop !== undefined
        ? svg`<line class="stop" x1=${kMargin.left} x2=${width - kMargin.right} y1=${y(stop)} y2=${y(stop)}></line>
          <text class="stop-label" x=${kMargin.left + 6} y=${y(stop) - 4}>stop at ${formatCount(stop)} B</text>`
        : nothing}
      <polyline class="bytes" points=${points}></polyline>
      ${samples.length <= 200 ? samples.map((s) => svg`<circle class="point" r="2.5" cx=${x(s.cycle)} cy=${y(s.liveDeviceBytes)}></circle>`) : nothing}
      ${fit ? svg`<line class="fit" data-testid="soak-fit" x1=${x(1)} x2=${x(last.cycle)} y1=${y(fit(1))} y2=${y(fit(last.cycle))}></line>` : nothing}
    </svg>
    <p class="legend" aria-hidden="true"><span><span class="key"></span> live device bytes after each cycle</span>${fit
      ? html`<span><span class="key fit-key"></span> fitted: ${formatCount(this.report!.growth.deviceBytesPerCycle)} B a cycle</span>`
      : nothing}</p>`;
  }

  private _renderVerdict(report: SoakReport) {
    return html`<p data-testid="soak-verdict"><span class=${`verdict ${report.verdict}`}>${report.verdict}</span>:
      ${report.why}. Growth ${formatBytesExact(report.growth.deviceBytesPerCycle)} a cycle over ${formatCount(report.cycles.length)} cycles${report.stopped
        ? html`; stopped in cycle ${report.stopped.cycle} at ${formatBytesExact(report.stopped.liveDeviceBytes)}, the finished cycles kept`
        : nothing}; ${report.leakedAtEnd.buffers} leaked buffers (${formatBytesExact(report.leakedAtEnd.deviceBytes)}) alive at the end, destroyed by the soak.</p>
      <p class="hint" data-testid="soak-cycles-verified">${report.outcomes.filter((o) => o.verified).length} of ${report.outcomes.length} cycles verified.</p>`;
  }

  private _onSubmit(e: Event, cycles: number | undefined, stopAtBytes: number | undefined) {
    e.preventDefault();
    if (cycles === undefined || this.running || this.blocked) return;
    const detail: SoakRequestedDetail = { cycles, ...(stopAtBytes !== undefined && { stopAtBytes }) };
    this.dispatchEvent(new CustomEvent('soak-requested', { detail, bubbles: true, composed: true }));
  }

  private _onCancel() {
    this.dispatchEvent(new CustomEvent('soak-cancelled', { bubbles: true, composed: true }));
  }
}

/** The least-squares line through live device bytes over cycles: y = a + b·cycle, b the report's growth. */
function fittedLine(report: SoakReport): (cycle: number) => number {
  const n = report.cycles.length;
  const meanX = report.cycles.reduce((s, c) => s + c.cycle / n, 0);
  const meanY = report.cycles.reduce((s, c) => s + c.liveDeviceBytes / n, 0);
  const b = report.growth.deviceBytesPerCycle;
  return (cycle) => meanY + b * (cycle - meanX);
}

declare global {
  interface HTMLElementTagNameMap {
    'soak-panel': SoakPanel;
  }
}
