import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ArithmeticStep, PlanArithmetic } from '../core/plan-arithmetic.ts';

/**
 * `<plan-arithmetic>`: "show the arithmetic" — every number of the plan as the formula
 * that gave it, with this scenario's numbers in. The lines come whole from core's
 * `explainPlan` (computed in the worker from the planner's own plan): nothing is
 * calculated here, so what a teacher points at is what the planner did.
 */
@customElement('plan-arithmetic')
export class PlanArithmeticView extends LitElement {
  static override styles = css`
    :host { display: block; container-type: inline-size; }
    h3 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; }
    table { border-collapse: collapse; width: 100%; font-size: 0.88rem; }
    th, td { text-align: left; padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--cs-border); vertical-align: top; }
    th { font-weight: 600; color: var(--cs-subtle); }
    td.what { white-space: nowrap; font-weight: 600; }
    td.formula { color: var(--cs-muted); }
    th:nth-child(3), td.numbers { width: 48%; }
    td.numbers { font-family: ui-monospace, monospace; font-size: 0.85rem; overflow-wrap: anywhere; }
    tr.binds td { background: var(--cs-warn-bg); }
    tr.binds td.what::after { content: ' — binds'; font-weight: normal; color: var(--cs-warn-text); }
    tr.total td { border-top: 2px solid var(--cs-border-strong); font-weight: 600; }
    .note { display: block; font-family: inherit; color: var(--cs-muted); font-size: 0.8rem; }
    @container (max-width: 520px) {
      table, tbody, tr, td { display: block; }
      thead { display: none; }
      tr { border-bottom: 1px solid var(--cs-border); padding: 0.25rem 0; }
      td { border: 0; padding: 0.05rem 0.25rem; }
    }
  `;

  /** The arithmetic of the plan shown (core's `explainPlan`). */
  @property({ attribute: false }) arithmetic: PlanArithmetic | undefined;

  override render() {
    const a = this.arithmetic;
    if (!a) return nothing;
    return html`
      <h3>Bytes</h3>
      ${this._table([...a.arrays, a.fixed, a.perRun, a.cap, a.usable], 'bytes')}
      <h3>What each constraint allows per chunk</h3>
      ${this._table(a.constraints, 'constraints')}
      <h3>Chunks</h3>
      ${this._table([a.chunkLength, a.numChunks, a.finalChunk], 'chunks')}
      <h3>Predicted peak: the sum of its rows</h3>
      <table data-testid="arith-peak">
        <thead><tr><th>array</th><th>bufferSets × ⌈one run × chunkLength⌉₄, or fixed</th></tr></thead>
        <tbody>
          ${a.peakRows.map((r) => html`<tr data-testid="arith-peak-row"><td class="what">${r.array}</td><td class="numbers">${r.numbers}</td></tr>`)}
          <tr class="total"><td class="what">${a.peak.what}</td><td class="numbers" data-testid="arith-peak-total">${a.peak.numbers}</td></tr>
        </tbody>
      </table>
    `;
  }

  private _table(steps: ArithmeticStep[], id: string) {
    return html`<table data-testid=${`arith-${id}`}>
      <thead><tr><th>what</th><th>formula</th><th>with this scenario's numbers</th></tr></thead>
      <tbody>
        ${steps.map((s) => html`<tr class=${s.binds ? 'binds' : ''} data-testid="arith-step" data-what=${s.what}>
          <td class="what">${s.what}</td>
          <td class="formula">${s.formula}</td>
          <td class="numbers">${s.numbers}${s.note ? html`<span class="note">${s.note}</span>` : nothing}</td>
        </tr>`)}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'plan-arithmetic': PlanArithmeticView;
  }
}
