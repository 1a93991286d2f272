/**
 * `<plan-view>`: the plan of a scenario, or why there is none.
 *
 * Shows how the runs are cut into chunks (the dangling final chunk included), which
 * constraint bound chunkLength, and the bytes each array occupies against the budget.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Plan } from '../core/planner.ts';
import { formatBytes, formatBytesExact, formatCount } from '../core/units.ts';
import type { PlanReply } from '../worker/simulator-api.ts';

@customElement('plan-view')
export class PlanView extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0 0 1rem; }
    dt { color: #57606a; }
    dd { margin: 0; font-variant-numeric: tabular-nums; }
    .error { border-left: 4px solid #cf222e; padding: 0.5rem 0.75rem; background: #fff0f0; }
    .error code { font-weight: 600; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #d0d7de; white-space: nowrap; }
    td.num, th.num { text-align: right; }
    .pending { color: #57606a; font-style: italic; }
  `;

  /** The worker's answer for the scenario shown; undefined before the first one. */
  @property({ attribute: false }) reply: PlanReply | undefined;

  /** True while a newer scenario is being planned (the shown plan is about to change). */
  @property({ type: Boolean }) pending = false;

  override render() {
    const reply = this.reply;
    if (!reply) return html`<p class="pending" role="status">Planning…</p>`;
    return html`
      <h2>Plan ${this.pending ? html`<span class="pending">(updating…)</span>` : nothing}</h2>
      ${reply.ok ? this.#renderPlan(reply.plan) : this.#renderError(reply)}
    `;
  }

  #renderError(reply: Extract<PlanReply, { ok: false }>) {
    return html`
      <div class="error" role="alert" data-testid="plan-error">
        <p>No plan: <code>${reply.error.code}</code></p>
        <p>${reply.error.path ? html`<code>${reply.error.path}</code>: ` : nothing}${reply.error.message}</p>
        ${reply.issues
          ? html`<ul>${reply.issues.map((i) => html`<li><code>${i.path || '(scenario)'}</code>: ${i.message}</li>`)}</ul>`
          : nothing}
      </div>
    `;
  }

  #renderPlan(plan: Plan) {
    const dangling = plan.finalChunkLength !== plan.chunkLength;
    return html`
      <dl data-testid="plan-summary">
        <dt>runs</dt>
        <dd>${formatCount(plan.runs)}</dd>
        <dt>chunks</dt>
        <dd data-testid="plan-chunks">
          ${formatCount(plan.numChunks)} ${plan.numChunks === 1 ? 'chunk' : 'chunks'} of ${formatCount(plan.chunkLength)} runs
        </dd>
        <dt>final chunk</dt>
        <dd data-testid="plan-final-chunk">
          ${formatCount(plan.finalChunkLength)} runs ${dangling ? '(dangling)' : '(no dangling chunk)'}
        </dd>
        <dt>bound by</dt>
        <dd data-testid="plan-bound-by">${plan.boundBy}</dd>
        <dt>fixed</dt>
        <dd>${formatBytesExact(plan.fixedBytes)}</dd>
        <dt>per run</dt>
        <dd>${formatBytesExact(plan.perRunBytes)}</dd>
        <dt>peak</dt>
        <dd>${formatBytesExact(plan.predictedPeakBytes)} of ${formatBytesExact(plan.budgetBytes)} budget</dd>
      </dl>
      <div class="table-wrap">
        <table>
          <caption hidden>Bytes per array at chunkLength ${formatCount(plan.chunkLength)}</caption>
          <thead>
            <tr><th>array</th><th>role</th><th>dtype</th><th>chunk buffer</th><th class="num">bytes</th></tr>
          </thead>
          <tbody>
            ${plan.arrays.map(
              (a) => html`<tr>
                <td>${a.name}</td><td>${a.role}</td><td>${a.dtype}</td>
                <td>${a.chunked ? `[${a.chunkedShape.join(', ')}]` : 'fixed'}</td>
                <td class="num">${formatBytes(a.bytes)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'plan-view': PlanView;
  }
}
