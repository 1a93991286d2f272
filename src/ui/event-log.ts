/**
 * `<event-log>`: the trace of a run as a table, filterable by kind. Setting `highlight`
 * (an event's index in the trace) scrolls that row into view and marks it — how the
 * report's "Show in event log" reaches the allocation that set the peak. The trace
 * downloads as the versioned trace file `chunkscope run --trace` writes
 * (docs/trace-format.md: events, error and verification, so Open trace… re-renders the report),
 * in the Chrome trace-event format that Perfetto opens, or as the timeline's CSV.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { toChromeTrace, type TraceEvent } from '../core/trace.ts';
import { outcomeOf } from '../core/run-outcome.ts';
import { timelineCsv, toTraceFile } from '../core/trace-file.ts';
import type { Scenario } from '../core/scenario.ts';
import { describeEvent } from './event-words.ts';
import { downloadText, fileStem } from './file-download.ts';
import type { RunReportView } from '../worker/simulator-api.ts';

/** Rows drawn at most: a trace of 100 000 events would freeze the page as a table. */
const kRowsShown = 1000;

/** Which event a highlight points at; `request` changes on every click so the same row can be shown again. */
export interface EventHighlight {
  index: number;
  request: number;
}

@customElement('event-log')
export class EventLog extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0; }
    .head { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: baseline; margin-bottom: 0.4rem; }
    label { font-size: 0.9rem; }
    select { font: inherit; font-size: 0.9rem; }
    .head button { font: inherit; font-size: 0.85rem; padding: 0.1rem 0.5rem; border: 1px solid #8c959f; border-radius: 4px; background: #f6f8fa; cursor: pointer; }
    .head button:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
    .scroll { max-height: 22rem; overflow: auto; border: 1px solid #d0d7de; border-radius: 4px; }
    table { border-collapse: collapse; width: 100%; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.15rem 0.5rem; text-align: left; vertical-align: top; border-bottom: 1px solid #eaeef2; }
    th { position: sticky; top: 0; background: #f6f8fa; white-space: nowrap; }
    td.t { text-align: right; white-space: nowrap; }
    td.what { overflow-wrap: anywhere; }
    tr.fault td { background: #fff0f0; }
    tr.fallback td { background: #f5f0ff; }
    tr.highlight td { background: #fff8c5; border-top: 2px solid #bf8700; border-bottom: 2px solid #bf8700; font-weight: 600; }
    tr:focus-visible td { outline: 2px solid #0969da; outline-offset: -2px; }
    .note { font-size: 0.85rem; color: #57606a; margin: 0.3rem 0 0; }
  `;

  /** The report whose trace is listed. */
  @property({ attribute: false }) report: RunReportView | undefined;
  /** The scenario as run (defaults applied), saved with the trace. */
  @property({ attribute: false }) scenario: Scenario | undefined;
  /** Where the run ran, in words, saved with the trace. */
  @property() device = '';
  /** The event to scroll to and mark. */
  @property({ attribute: false }) highlight: EventHighlight | undefined;

  /** The kind shown, or `all`. */
  @state() private _kind = 'all';

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('report')) this._kind = 'all';
    // A highlighted row hidden by the filter could not be shown: show every kind.
    if (changed.has('highlight') && this.highlight && this.report) {
      const kind = this.report.trace[this.highlight.index]?.kind;
      if (kind && this._kind !== 'all' && this._kind !== kind) this._kind = 'all';
    }
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('highlight') && this.highlight) {
      const row = this.renderRoot.querySelector<HTMLElement>(`tr[data-index="${this.highlight.index}"]`);
      row?.scrollIntoView({ block: 'center' });
      row?.focus({ preventScroll: true });
    }
  }

  override render() {
    const r = this.report;
    if (!r) return nothing;
    const kinds = [...new Set(r.trace.map((e) => e.kind))];
    const rows = r.trace.map((event, index) => ({ event, index })).filter(({ event }) => this._kind === 'all' || event.kind === this._kind);
    const at = this.highlight ? rows.findIndex((row) => row.index === this.highlight!.index) : -1;
    // Keep the highlighted row inside the window that is drawn.
    const from = at >= kRowsShown ? Math.max(0, at - kRowsShown / 2) : 0;
    const shown = rows.slice(from, from + kRowsShown);
    return html`
      <div class="head">
        <h2>Event log</h2>
        <label>kind
          <select data-testid="event-kind" @change=${this._onKind} .value=${this._kind}>
            <option value="all">all (${r.trace.length})</option>
            ${kinds.map((k) => html`<option value=${k} ?selected=${k === this._kind}>${k} (${r.trace.filter((e) => e.kind === k).length})</option>`)}
          </select>
        </label>
        <button type="button" data-testid="download-trace" ?disabled=${!this.scenario} @click=${this._onDownloadTrace}>Download trace JSON</button>
        <button type="button" data-testid="download-chrome-trace" @click=${this._onDownloadChromeTrace} title="open it in ui.perfetto.dev or chrome://tracing">Download Chrome trace</button>
        <button type="button" data-testid="download-csv" @click=${this._onDownloadCsv} title="one row per event with the device and staging bytes live after it, as chunkscope run --csv writes">Download timeline CSV</button>
      </div>
      <div class="scroll">
        <table data-testid="event-table">
          <thead><tr><th scope="col">#</th><th scope="col">t (ms)</th><th scope="col">event</th></tr></thead>
          <tbody>
            ${shown.map(({ event, index }) => html`<tr
              data-index=${index}
              data-kind=${event.kind}
              tabindex="-1"
              class=${[rowClass(event), this.highlight?.index === index ? 'highlight' : ''].join(' ')}
            >
              <td>${index}</td><td class="t">${event.t.toFixed(1)}</td><td class="what">${describeEvent(event)}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      ${rows.length > shown.length ? html`<p class="note">Showing rows ${from + 1}–${from + shown.length} of ${rows.length}; filter by kind to see others.</p>` : nothing}
    `;
  }

  private _onDownloadTrace() {
    if (!this.report || !this.scenario) return;
    const file = toTraceFile(this.scenario, this.device, this.report.trace, outcomeOf(this.report));
    downloadText(`${fileStem(this.report.scenario, 'run')}.trace.json`, JSON.stringify(file), 'application/json');
  }

  private _onDownloadChromeTrace() {
    if (this.report) downloadText(`${fileStem(this.report.scenario, 'run')}.chrome.json`, JSON.stringify(toChromeTrace(this.report.trace)), 'application/json');
  }

  private _onDownloadCsv() {
    if (this.report) downloadText(`${fileStem(this.report.scenario, 'run')}.timeline.csv`, timelineCsv(this.report.trace), 'text/csv');
  }

  private _onKind(e: Event) {
    this._kind = (e.target as HTMLSelectElement).value;
  }
}

function rowClass(event: TraceEvent): string {
  if (event.kind === 'oom' || event.kind === 'validation-error' || event.kind === 'device-lost') return 'fault';
  return event.kind === 'fallback' ? 'fallback' : '';
}

declare global {
  interface HTMLElementTagNameMap {
    'event-log': EventLog;
  }
}
