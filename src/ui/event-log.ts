import '@lit-labs/virtualizer';
import type { LitVirtualizer } from '@lit-labs/virtualizer/LitVirtualizer.js';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { eventOfChunk } from '../core/run-marks.ts';
import type { TraceEvent } from '../core/trace.ts';
import { formatCount } from '../core/units.ts';
import type { ChunkRows, LogFilter, LogPage, TraceExport } from '../worker/trace-store.ts';
import { kStepContext } from './step-context.ts';
import { describeEvent } from './event-words.ts';
import { downloadText, fileStem } from './file-download.ts';

/** Which event a highlight points at; `request` changes on every click so the same row can be shown again. */
export interface EventHighlight {
  index: number;
  request: number;
}

/** What the log asks the worker for (the simulator client has these methods). */
export interface LogClient {
  logPage(traceId: number, filter: LogFilter, from: number, count: number): Promise<LogPage>;
  logLocate(traceId: number, filter: LogFilter, at: { eventIndex: number } | { t: number }): Promise<{ eventIndex: number; position: number }>;
  exportTrace(traceId: number, format: TraceExport): Promise<string | undefined>;
  logChunkRows(traceId: number, chunk: number): Promise<ChunkRows>;
}

/** Rows fetched per request to the worker. */
const kPageRows = 200;
/** Rows kept on the page at most; scrolling far away fetches again. */
const kCachedRows = 4000;

/**
 * `[0, 1, …, length − 1]` without an array of that length: the virtualizer wants an array
 * of items, and a log of 10^6 events must not cost the page 10^6 of anything.
 */
function positions(length: number): number[] {
  return new Proxy<number[]>([], {
    get(target, key, receiver) {
      if (key === 'length') return length;
      if (typeof key === 'string') {
        const n = Number(key);
        if (Number.isInteger(n) && n >= 0 && String(n) === key) return n < length ? n : undefined;
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * `<event-log>`: the trace of a run, every event reachable however long it is: the rows
 * are virtualised (`@lit-labs/virtualizer`) and fetched from the worker's trace store a
 * page at a time. Filter by kind, search by kind and label, or jump to a time. Setting
 * `highlight` (an event's index in the trace) scrolls that row into view and marks it —
 * how the report's "Show in event log" and a click on the timeline reach an allocation.
 * The chunk stepped through (`kStepContext`) has its rows shaded and scrolled to: those
 * from its `chunk-begin` to its end, but events naming another chunk.
 * The trace downloads as the versioned trace file `chunkscope run --trace` writes
 * (docs/trace-format.md), in the Chrome trace-event format that Perfetto opens, or as the
 * timeline's CSV; the worker writes each.
 */
@customElement('event-log')
export class EventLog extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0; }
    .head { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: baseline; margin-bottom: 0.4rem; }
    label { font-size: 0.9rem; }
    select, input { font: inherit; font-size: 0.9rem; }
    input[type='search'] { width: 12rem; max-width: 60vw; }
    input[type='number'] { width: 6rem; }
    .head button { font: inherit; font-size: 0.85rem; padding: 0.1rem 0.5rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-surface); color: var(--cs-fg); cursor: pointer; }
    .head button:focus-visible, input:focus-visible, select:focus-visible { outline: var(--cs-focus); outline-offset: 1px; }
    .table { border: 1px solid var(--cs-border); border-radius: 4px; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    .row { display: grid; grid-template-columns: 5.5rem 5.5rem minmax(0, 1fr); width: 100%; box-sizing: border-box; border-bottom: 1px solid var(--cs-surface-strong); }
    .row > span { padding: 0.15rem 0.5rem; overflow-wrap: anywhere; }
    .row .t { text-align: right; white-space: nowrap; }
    .header { background: var(--cs-surface); font-weight: 600; }
    lit-virtualizer { height: 22rem; }
    .row.fault { background: var(--cs-danger-bg); }
    .row.fallback { background: var(--cs-replay-bg); }
    .row.stepped { background: var(--cs-step-highlight); box-shadow: inset 4px 0 0 var(--cs-step-outline); }
    .row.highlight { background: var(--cs-attention-bg); box-shadow: inset 0 2px 0 var(--cs-step-outline), inset 0 -2px 0 var(--cs-step-outline); font-weight: 600; }
    .row.pending { color: var(--cs-border-strong); }
    .row:focus-visible { outline: 2px solid var(--cs-accent); outline-offset: -2px; }
    .note { font-size: 0.85rem; color: var(--cs-muted); margin: 0.3rem 0 0; }
    @media (max-width: 600px) {
      .row { grid-template-columns: 4rem 4.5rem minmax(0, 1fr); }
    }
  `;

  /** Asks the worker for pages of the trace and for its downloads. */
  @property({ attribute: false }) client: LogClient | undefined;
  /** The trace listed, in the worker's store. */
  @property({ type: Number }) traceId: number | undefined;
  /** The scenario's name, for the names of the downloads. */
  @property() scenarioName = '';
  /** Whether the trace file can be written (a trace saved with its scenario). */
  @property({ type: Boolean }) canSaveTrace = false;
  /** The event to scroll to and mark. */
  @property({ attribute: false }) highlight: EventHighlight | undefined;
  /** The chunk being stepped through (0-based, as the trace counts); from {@link kStepContext}. */
  @consume({ context: kStepContext, subscribe: true })
  @property({ attribute: false })
  highlightChunk: number | undefined;

  /** The kind shown, or `all`, and the search. */
  @state() private _kind = 'all';
  @state() private _search = '';
  /** Events the filter lets through; undefined until the worker has said. */
  @state() private _total: number | undefined;
  @state() private _kinds: [string, number][] = [];
  /** The highlighted event's trace index once it is located. */
  @state() private _marked: number | undefined;
  /** Rows fetched so far, by filtered position; a new object when rows arrive, so the list redraws. */
  @state() private _rows = new Map<number, { index: number; event: TraceEvent }>();
  /** Where the stepped chunk's rows lie, once the worker has said. */
  @state() private _stepped: ChunkRows | undefined;
  /** The stepped chunk's first row, until the list has scrolled it to the top. */
  private _stepScroll: { eventIndex: number; position: number } | undefined;

  @query('lit-virtualizer') private _list: LitVirtualizer | undefined;

  private _pending = new Set<number>();
  /** Bumped whenever the rows on the page stop matching (another trace, filter or search). */
  private _generation = 0;
  private _searchTimer: ReturnType<typeof setTimeout> | undefined;
  private _items: number[] = positions(0);

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('traceId')) {
      this._kind = 'all';
      this._search = '';
      this._marked = undefined;
      this._refilter();
    }
    if (changed.has('_total')) this._items = positions(this._total ?? 0);
  }

  override updated(changed: Map<string, unknown>) {
    if (changed.has('highlight') && this.highlight) void this._show(this.highlight.index);
    if (changed.has('highlightChunk') || changed.has('traceId')) void this._step();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._searchTimer);
  }

  override render() {
    if (this.traceId === undefined) return nothing;
    const total = this._total;
    const all = this._kinds.reduce((sum, [, n]) => sum + n, 0);
    return html`
      <div class="head">
        <h2>Event log</h2>
        <label>kind
          <select data-testid="event-kind" @change=${this._onKind} .value=${this._kind}>
            <option value="all">all (${formatCount(all)})</option>
            ${this._kinds.map(([k, n]) => html`<option value=${k} ?selected=${k === this._kind}>${k} (${formatCount(n)})</option>`)}
          </select>
        </label>
        <label>search <input type="search" data-testid="event-search" placeholder="label or kind" .value=${this._search} @input=${this._onSearch} /></label>
        <label>go to <input type="number" data-testid="event-goto-time" min="0" step="any" placeholder="ms" @change=${this._onGoTo} aria-label="go to the first event at or after this time, in ms" /> ms</label>
        <button type="button" data-testid="download-trace" ?disabled=${!this.canSaveTrace} @click=${() => this._download('trace')}>Download trace JSON</button>
        <button type="button" data-testid="download-chrome-trace" @click=${() => this._download('chrome')} title="open it in ui.perfetto.dev or chrome://tracing">Download Chrome trace</button>
        <button type="button" data-testid="download-csv" @click=${() => this._download('csv')} title="one row per event with the device and staging bytes live after it, as chunkscope run --csv writes">Download timeline CSV</button>
      </div>
      <div class="table" role="table" aria-label="trace events" aria-rowcount=${(total ?? 0) + 1} data-testid="event-table" data-count=${total ?? ''}>
        <div class="row header" role="row"><span role="columnheader">#</span><span role="columnheader" class="t">t (ms)</span><span role="columnheader">event</span></div>
        <lit-virtualizer scroller role="rowgroup" .items=${this._items} .renderItem=${(position: number) => this._renderRow(position)} @visibilityChanged=${this._onListMoved} @rangeChanged=${this._onListMoved} @wheel=${this._onReaderScroll} @touchstart=${this._onReaderScroll} @keydown=${this._onReaderScroll} @pointerdown=${this._onReaderScroll}></lit-virtualizer>
      </div>
      <p class="note" data-testid="event-count">${total === undefined
        ? 'Loading…'
        : this._kind === 'all' && !this._search.trim()
          ? `${formatCount(total)} events; scroll, search or filter to reach any of them.`
          : `${formatCount(total)} of ${formatCount(all)} events match.`}</p>
    `;
  }

  private _renderRow(position: number) {
    const row = this._rows.get(position);
    if (!row) {
      this._fetch(position);
      return html`<div class="row pending" role="row"><span role="cell">…</span><span role="cell" class="t"></span><span role="cell">loading</span></div>`;
    }
    const { index, event } = row;
    const stepped = this._inStep(index, event);
    return html`<div
      class="row ${rowClass(event)} ${this._marked === index ? 'highlight' : ''} ${stepped ? 'stepped' : ''}"
      role="row"
      tabindex="-1"
      data-testid="event-row"
      data-index=${index}
      data-kind=${event.kind}
      ?data-stepped=${stepped}
      aria-description=${stepped ? `in chunk ${this._stepped!.chunk}, the chunk stepped to` : nothing}
    ><span role="cell">${index}</span><span role="cell" class="t">${event.t.toFixed(1)}</span><span role="cell">${describeEvent(event)}</span></div>`;
  }

  /** Whether row `index` belongs to the stepped chunk. */
  private _inStep(index: number, event: TraceEvent): boolean {
    const stepped = this._stepped;
    if (!stepped) return false;
    return stepped.ranges.some(([from, to]) => index >= from && index <= to) && eventOfChunk(event, stepped.chunk);
  }

  /** Asks where the stepped chunk's rows are and scrolls the list (not the page) to the first. */
  private async _step() {
    const { client, traceId } = this;
    const k = this.highlightChunk;
    if (!client || traceId === undefined || k === undefined) {
      this._stepped = undefined;
      this._stepScroll = undefined;
      return;
    }
    const rows = await client.logChunkRows(traceId, k).catch(() => undefined);
    if (!rows || k !== this.highlightChunk || traceId !== this.traceId) return;
    this._stepped = rows;
    const first = rows.ranges[0]?.[0];
    if (first === undefined) return;
    const found = await client.logLocate(traceId, this._filter(), { eventIndex: first }).catch(() => undefined);
    if (!found || found.position < 0 || k !== this.highlightChunk || traceId !== this.traceId) return;
    this._fetch(found.position);
    this._stepScroll = found;
    await this.updateComplete;
    this._scrollToStep();
  }

  /**
   * Brings the stepped chunk's first row to the top of the list, and only the list: a drawn
   * row's own scrollIntoView would scroll the page too, away from the stepper being used.
   * A list off screen draws no rows, and rows drawn later are not the height the list
   * guessed, so the list keeps following the row as it lays out, until the reader scrolls
   * it (or steps elsewhere).
   */
  private _onListMoved() {
    // The list tells of new rows before it has laid them out: look once they are in place.
    if (this._stepScroll) requestAnimationFrame(() => this._scrollToStep());
  }

  private _scrollToStep() {
    const target = this._stepScroll;
    const list = this._list;
    if (!target || !list) return;
    const row = this.renderRoot.querySelector<HTMLElement>(`[data-testid="event-row"][data-index="${target.eventIndex}"]`);
    if (!row) {
      list.element(target.position)?.scrollIntoView({ block: 'start' });
      return;
    }
    const off = row.getBoundingClientRect().top - list.getBoundingClientRect().top;
    if (Math.abs(off) >= 2) list.scrollTop += off;
  }

  /** The reader scrolls the list: it stops following the stepped chunk. */
  private _onReaderScroll() {
    this._stepScroll = undefined;
  }

  private _filter(): LogFilter {
    return { kind: this._kind, search: this._search };
  }

  /** Drops the rows on the page and asks for the first page under the current filter. */
  private _refilter() {
    this._generation++;
    this._pending.clear();
    this._rows = new Map();
    this._total = undefined;
    this._fetch(0);
  }

  /** Fetches the page of rows holding filtered position `position`, once. */
  private _fetch(position: number) {
    const { client, traceId } = this;
    if (!client || traceId === undefined) return;
    const from = Math.floor(position / kPageRows) * kPageRows;
    if (this._pending.has(from)) return;
    this._pending.add(from);
    const generation = this._generation;
    void client
      .logPage(traceId, this._filter(), from, kPageRows)
      .then((page) => {
        if (generation !== this._generation) return;
        let rows = new Map(this._rows);
        if (rows.size > kCachedRows) {
          // Far from where the reader is now: drop what was fetched, so it is fetched again if needed.
          rows = new Map();
          this._pending = new Set([from]);
        }
        page.rows.forEach((row, i) => rows.set(page.from + i, row));
        this._rows = rows;
        this._total = page.total;
        this._kinds = page.kinds;
      })
      .catch(() => this._pending.delete(from));
  }

  /** Scrolls to the event with trace index `eventIndex` and marks it, showing every kind if the filter hides it. */
  private async _show(eventIndex: number) {
    await this._reveal({ eventIndex });
  }

  private async _reveal(at: { eventIndex: number } | { t: number }) {
    const { client, traceId } = this;
    if (!client || traceId === undefined) return;
    let found = await client.logLocate(traceId, this._filter(), at);
    if (found.eventIndex >= 0 && found.position < 0) {
      // A row hidden by the filter or the search could not be shown: show every event.
      this._kind = 'all';
      this._search = '';
      this._refilter();
      found = await client.logLocate(traceId, this._filter(), at);
    }
    if (found.position < 0) return;
    this._marked = found.eventIndex;
    this._fetch(found.position);
    await this.updateComplete;
    // The virtualizer draws only the rows inside the window: bring the list into view first.
    this._list?.scrollIntoView({ block: 'nearest' });
    this._list?.element(found.position)?.scrollIntoView({ block: 'center' });
    // The row is drawn once the virtualizer has laid it out and its page has come; then it takes the focus.
    for (let tries = 0; tries < 60; tries++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const row = this.renderRoot.querySelector<HTMLElement>(`[data-testid="event-row"][data-index="${found.eventIndex}"]`);
      if (row) {
        row.scrollIntoView({ block: 'nearest' });
        row.focus({ preventScroll: true });
        return;
      }
    }
  }

  private async _download(format: TraceExport) {
    const { client, traceId } = this;
    if (!client || traceId === undefined) return;
    const text = await client.exportTrace(traceId, format);
    if (text === undefined) return;
    const [suffix, type] = format === 'trace' ? ['trace.json', 'application/json'] : format === 'chrome' ? ['chrome.json', 'application/json'] : ['timeline.csv', 'text/csv'];
    downloadText(`${fileStem(this.scenarioName, 'run')}.${suffix}`, text, type);
  }

  private _onKind(e: Event) {
    this._kind = (e.target as HTMLSelectElement).value;
    this._refilter();
  }

  private _onSearch(e: Event) {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this._searchTimer);
    // Each search scans the trace in the worker: wait until the typing pauses.
    this._searchTimer = setTimeout(() => {
      this._search = value;
      this._refilter();
    }, 200);
  }

  private _onGoTo(e: Event) {
    const t = Number((e.target as HTMLInputElement).value);
    if (Number.isFinite(t)) void this._reveal({ t });
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
