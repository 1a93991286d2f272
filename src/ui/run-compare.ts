/**
 * `<run-compare>`: two runs, two plans, or a run and a plan side by side — A (pinned)
 * and B (what is shown now) — with B − A in words and units, and both memory timelines
 * on one axis when both sides ran.
 *
 * The owner decides what A and B are; this element only draws them.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { compareRows, type CompareSide } from './compare-rows.ts';
import './memory-timeline.ts';
import type { TimelineClient, TimelineComparison } from './memory-timeline.ts';

@customElement('run-compare')
export class RunCompare extends LitElement {
  static override styles = css`
    :host { display: block; container-type: inline-size; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    caption { text-align: left; color: var(--cs-muted); font-size: 0.9rem; padding-bottom: 0.3rem; }
    th, td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid var(--cs-surface-strong); vertical-align: top; overflow-wrap: anywhere; }
    thead th { background: var(--cs-surface); font-size: 0.9rem; }
    tbody th { font-weight: 600; color: var(--cs-fg-strong); white-space: nowrap; }
    td.diff { color: var(--cs-muted); }
    tr.changed td.diff { color: var(--cs-accent-fg); font-weight: 600; }
    .note { color: var(--cs-muted); font-size: 0.9rem; margin: 0.5rem 0 0; }
    .timeline { margin-top: 0.75rem; }
    /* A phone: each row becomes a small card, every value with its column's name. */
    @container (max-width: 560px) {
      caption { display: block; padding-bottom: 0.4rem; }
      thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
      table, tbody, tr, th, td { display: block; width: auto; }
      tr { border: 1px solid var(--cs-border); border-radius: 6px; padding: 0.3rem 0.5rem; margin-bottom: 0.5rem; }
      tbody th { border: none; padding: 0.1rem 0; }
      td { border: none; padding: 0.1rem 0 0.1rem 0.5rem; display: grid; grid-template-columns: 2.5rem minmax(0, 1fr); gap: 0.5rem; }
      td::before { content: attr(data-column); color: var(--cs-muted); font-weight: 600; }
    }
  `;

  /** The pinned side. */
  @property({ attribute: false }) a: CompareSide | undefined;
  /** The side shown now; undefined until something differs from A. */
  @property({ attribute: false }) b: CompareSide | undefined;
  /** Asks the worker for the two runs' timelines. */
  @property({ attribute: false }) client: TimelineClient | undefined;

  private _compared: TimelineComparison | undefined;
  /** Each side's name by what differs (`B: budget 256 KiB → 512 KiB`); without it, their labels. */
  @property({ attribute: false }) names: { a: string; b: string } | undefined;

  override render() {
    const { a, b } = this;
    if (!a || !b) return nothing;
    const ran = a.report && b.report;
    const rows = compareRows(a, b);
    return html`
      <table data-testid="compare-table">
        <caption>A: ${a.label} · B: ${b.label}${this.names ? html` <strong data-testid="compare-b-name">(${this.names.b})</strong>` : nothing}</caption>
        <thead><tr><th scope="col">what</th><th scope="col">A</th><th scope="col">B</th><th scope="col">B − A</th></tr></thead>
        <tbody>
          ${rows.map((row) => html`<tr class=${row.changed ? 'changed' : ''} data-row=${row.id}>
            <th scope="row">${row.what}</th>
            <td data-column="A">${row.a}</td>
            <td data-column="B">${row.b}</td>
            <td class="diff" data-column="B−A">${row.diff}</td>
          </tr>`)}
        </tbody>
      </table>
      ${ran
        ? html`<div class="timeline">
            <memory-timeline
              data-testid="compare-timeline"
              label="B"
              .client=${this.client}
              .traceId=${b.report!.traceId}
              .eventCount=${b.report!.eventCount}
              .plan=${b.plan}
              .compare=${this._comparison(a)}
            ></memory-timeline>
          </div>`
        : html`<p class="note" data-testid="compare-plan-only">${a.report || b.report
            ? `Only ${a.report ? 'A' : 'B'} ran: the plans are compared; run ${a.report ? 'B' : 'A'} to compare measured peaks, times, faults and verification.`
            : 'Two plans, no run: only what the planner decides is compared.'}</p>`}
    `;
  }

  /** A as the timeline's comparison: the same object while A is the same, so the timeline does not ask again for nothing. */
  private _comparison(a: CompareSide): TimelineComparison {
    const traceId = a.report!.traceId;
    const budgetBytes = Number(a.plan.budgetBytes);
    if (this._compared?.traceId !== traceId || this._compared.budgetBytes !== budgetBytes) this._compared = { label: 'A', traceId, budgetBytes };
    return this._compared;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'run-compare': RunCompare;
  }
}
