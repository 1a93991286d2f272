/**
 * `<workload-plan>`: what `chunkscope plan workload.json` prints, for the app: the
 * device, each lane's share and cap in exact bytes, the placement with its load table
 * and imbalance, and each job's budget, weight and (on demand) its own plan.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBytes, formatBytesExact, formatCount } from '../core/units.ts';
import type { WorkloadPlanReply } from '../worker/simulator-api.ts';
import './plan-view.ts';

@customElement('workload-plan')
export class WorkloadPlan extends LitElement {
  static override styles = css`
    :host { display: block; container-type: inline-size; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
    h3 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; }
    p { margin: 0.2rem 0; }
    .muted { color: var(--cs-muted); }
    .warn { border-left: 4px solid var(--cs-warn-strong); background: var(--cs-warn-bg); color: var(--cs-warn-text); padding: 0.35rem 0.7rem; margin: 0.4rem 0; }
    .problem { border-left: 4px solid var(--cs-danger); background: var(--cs-danger-bg); padding: 0.4rem 0.75rem; overflow-wrap: anywhere; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.88rem; }
    th, td { text-align: right; padding: 0.15rem 0.6rem 0.15rem 0; vertical-align: top; white-space: nowrap; }
    th:first-child, td:first-child { text-align: left; }
    /* On a phone the table scrolls sideways in its box rather than squeezing the names to a letter a line. */
    td.jobs { text-align: left; min-width: 10rem; max-width: 22rem; white-space: normal; overflow-wrap: anywhere; }
    th { font-weight: 600; color: var(--cs-muted); }
    tr.busiest td { font-weight: 600; }
    details { margin: 0.2rem 0; }
    summary { cursor: pointer; }
    summary:focus-visible { outline: var(--cs-focus); outline-offset: 2px; }
    code { font-size: 0.85em; }
  `;

  @property({ attribute: false }) reply: WorkloadPlanReply | undefined;

  override render() {
    const reply = this.reply;
    if (!reply) return html`<h2>Workload plan</h2><p class="muted">Planning…</p>`;
    if (!reply.ok) {
      return html`<h2>Workload plan</h2>
        <p class="problem" role="alert" data-testid="workload-plan-error"><strong>${reply.error.code}</strong>: ${reply.error.path ? html`<code>${reply.error.path}</code>: ` : nothing}${reply.error.message}</p>`;
    }
    const p = reply.plan;
    const busiest = p.lanes.reduce((best, lane, i) => (lane.load > p.lanes[best].load ? i : best), 0);
    return html`
      <h2>Workload plan</h2>
      <p data-testid="workload-device">A device of <strong>${formatBytesExact(p.device.budgetBytes)}</strong>,
        ${p.device.mode === 'exclusive' ? html`<strong>exclusive-process</strong> mode${p.device.mps ? ' shared through MPS' : ''}` : 'shared mode'};
        ${p.lanes.length} ${p.lanes.length === 1 ? 'lane' : 'lanes'}, ${p.isolation === 'per-lane' ? 'one worker per lane for all its jobs (per-lane)' : 'a fresh worker and device for each job (per-job)'}${p.parentHoldsDevice ? '; the parent opens the device first' : ''}.</p>
      ${p.overCommit
        ? html`<p class="warn" data-testid="workload-over-commit">The jobs' budgets together (${formatBytesExact(p.overCommit.lanesBudgetBytes)}) pass the device's ${formatBytesExact(p.overCommit.deviceBudgetBytes)}: the device ledger will refuse what does not fit.</p>`
        : nothing}
      <h3>Lanes: shares, caps and load (placement <code>${p.placement}</code>)</h3>
      <div class="scroll"><table data-testid="workload-lanes">
        <thead><tr><th scope="col">lane</th><th scope="col">share</th><th scope="col">cap</th><th scope="col">load</th><th scope="col">× mean</th><th scope="col" style="text-align:left">jobs, in order</th></tr></thead>
        <tbody>
          ${p.lanes.map((lane, i) => html`<tr data-testid="workload-lane" data-lane=${lane.name} class=${i === busiest && p.lanes.length > 1 ? 'busiest' : ''}>
            <td>${lane.name}</td>
            <td>${lane.share === 'auto' ? 'auto' : lane.share}</td>
            <td data-testid="lane-cap">${formatBytesExact(lane.capBytes)}</td>
            <td>${formatCount(lane.load)}</td>
            <td>${lane.ofMean.toFixed(3)}</td>
            <td class="jobs">${lane.jobs.length ? lane.jobs.join(', ') : html`<span class="muted">none</span>`}</td>
          </tr>`)}
        </tbody>
      </table></div>
      <p data-testid="workload-imbalance">Imbalance (busiest lane's load ÷ the mean): <strong>${p.imbalance.toFixed(3)}</strong></p>
      <h3>Jobs</h3>
      <div class="scroll"><table data-testid="workload-jobs">
        <thead><tr><th scope="col">job</th><th scope="col">lane</th><th scope="col">budget</th><th scope="col">weight</th><th scope="col">holds memory</th></tr></thead>
        <tbody>
          ${p.jobs.map((job) => html`<tr data-testid="workload-job" data-job=${job.name}>
            <td>${job.name}</td><td>${job.lane}</td>
            <td>${formatBytesExact(job.budgetBytes)} <span class="muted">(${job.budgetFrom === 'scenario' ? 'its own' : "lane's cap"})</span></td>
            <td>${formatCount(job.weight)}${job.weightFrom === 'plan' ? html` <span class="muted">B moved</span>` : nothing}</td>
            <td>${job.holdsMemoryUntilExit ? 'until its worker exits' : 'no'}</td>
          </tr>`)}
        </tbody>
      </table></div>
      ${reply.jobPlans.some((j) => j) ? html`<h3>Each job's plan</h3>` : html`<p class="muted">Weight-only jobs: placed, not run, so no job has a plan.</p>`}
      ${reply.jobPlans.map((plan, i) => (plan
        ? html`<details data-testid="workload-job-plan" data-job=${p.jobs[i].name}><summary>${p.jobs[i].name}: its plan on ${formatBytes(p.jobs[i].budgetBytes)}</summary><plan-view .reply=${plan}></plan-view></details>`
        : nothing))}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'workload-plan': WorkloadPlan;
  }
}
