import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Scenario } from '../core/scenario.ts';
import { formatBytes, formatCount } from '../core/units.ts';
import type { WhatIfRow } from '../core/what-if.ts';

const kGroupWords: Record<WhatIfRow['kind'], string> = {
  'as planned': 'as planned',
  dtype: 'dtype of each float array (f32 / f16)',
  bufferSets: 'buffer sets',
  headroom: 'headroom',
  budget: 'budget',
};

/** Detail of `what-if-adopted`: the changed scenario and the change in words. */
export interface WhatIfAdoptedDetail {
  scenario: Scenario;
  change: string;
}

/**
 * `<what-if-table>`: the scenario planned again with one thing changed at a time (core's
 * `whatIfTable`, computed in the worker with the run's plan options): each f32/f16
 * combination, buffer sets, headroom, budget halved and doubled. One click adopts a row.
 *
 * @fires what-if-adopted - the user chose a row; detail: {@link WhatIfAdoptedDetail}
 */
@customElement('what-if-table')
export class WhatIfTable extends LitElement {
  static override styles = css`
    :host { display: block; container-type: inline-size; }
    .wrap { overflow-x: auto; max-height: 24rem; overflow-y: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.15rem 0.3rem; border-bottom: 1px solid var(--cs-border); text-align: right; white-space: nowrap; }
    thead th { position: sticky; top: 0; background: var(--cs-bg); color: var(--cs-subtle); font-weight: 600; }
    th:first-child, td:first-child, td.bound { text-align: left; }
    td:first-child { white-space: normal; overflow-wrap: anywhere; }
    tr.group th { text-align: left; font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--cs-muted); background: var(--cs-surface); }
    @container (max-width: 560px) {
      thead { display: none; }
      table, tbody, tr, td, th { display: block; }
      tr { border-bottom: 1px solid var(--cs-border); padding: 0.2rem 0; }
      td { border: 0; text-align: left; display: inline-block; padding: 0.05rem 0.4rem 0.05rem 0; }
      td:first-child { display: block; font-weight: 600; }
      td[data-label]::before { content: attr(data-label) ' '; color: var(--cs-muted); }
    }
    tr.as-planned td { font-weight: 600; background: var(--cs-surface); }
    tr.better td.peak { color: var(--cs-ok); }
    .refused { color: var(--cs-warn-text); }
    .none { color: var(--cs-danger); }
    button { font: inherit; font-size: 0.8rem; padding: 0.05rem 0.45rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-surface); color: var(--cs-fg); cursor: pointer; }
    button:focus-visible { outline: var(--cs-focus); outline-offset: 1px; }
    p { margin: 0.3rem 0; font-size: 0.85rem; color: var(--cs-muted); }
  `;

  /** The rows, the scenario as planned first. */
  @property({ attribute: false }) rows: readonly WhatIfRow[] = [];

  override render() {
    if (this.rows.length === 0) return html`<p>No what-if: the scenario is not valid yet.</p>`;
    const refused = this.rows.some((r) => r.refused);
    return html`<div class="wrap"><table data-testid="what-if">
        <thead><tr><th>change</th><th>per run</th><th>chunkLength</th><th>chunks</th><th>final</th><th>peak</th><th class="bound">bound by</th><th></th></tr></thead>
        <tbody>${this.rows.map((r, i) => html`${i > 0 && r.kind !== this.rows[i - 1].kind ? html`<tr class="group"><th colspan="8" scope="rowgroup">${kGroupWords[r.kind]}</th></tr>` : nothing}${this._row(r, i)}`)}</tbody>
      </table></div>
      ${refused ? html`<p class="refused">* the kernel refuses this as written: its plan is what the f16 rung of the recovery ladder gets by storing f32 arrays as f16.</p>` : nothing}`;
  }

  private _row(r: WhatIfRow, i: number) {
    const o = r.outcome;
    const first = i === 0;
    return html`<tr class=${first ? 'as-planned' : ''} data-testid="what-if-row" data-kind=${r.kind}>
      <td><span data-testid="what-if-change">${r.change}</span>${r.refused ? html` <span class="refused" title=${r.refused}>*</span>` : nothing}</td>
      ${o.ok
        ? html`<td data-label="per run">${formatBytes(o.perRunBytes)}</td><td data-label="chunkLength" data-testid="what-if-chunk-length">${formatCount(o.chunkLength)}</td><td data-label="chunks">${formatCount(o.numChunks)}</td><td data-label="final">${formatCount(o.finalChunkLength)}</td><td data-label="peak" class="peak">${formatBytes(o.predictedPeakBytes)}</td><td data-label="bound by" class="bound">${o.boundBy}</td>`
        : html`<td></td><td colspan="4" class="none" title=${o.message}>no plan</td><td class="bound">${o.code}</td>`}
      <td>${first ? '' : html`<button type="button" data-testid="what-if-adopt" aria-label=${`adopt: ${r.change}`} @click=${() => this._onAdopt(r)}>Adopt</button>`}</td>
    </tr>`;
  }

  private _onAdopt(row: WhatIfRow) {
    const detail: WhatIfAdoptedDetail = { scenario: row.scenario, change: row.change };
    this.dispatchEvent(new CustomEvent('what-if-adopted', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'what-if-table': WhatIfTable;
  }
}
