/**
 * `<workload-run>`: a workload's run in the app: while it goes, which jobs have started
 * and ended; after, what failed in plain words, the device ledger's peak and the job
 * that set it, the device timeline stacked by job with each lane's row, and each job's
 * run report on demand (the same report a single run shows).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBytesExact, formatDuration } from '../core/units.ts';
import type { WorkloadPlanSummary } from '../engine/workload-summary.ts';
import type { WorkloadJobUpdate, WorkloadRunReply } from '../worker/simulator-api.ts';
import { workloadFailureWords } from './workload-words.ts';
import './run-report.ts';
import './workload-timeline.ts';

const kStatusWords: Record<string, string> = { ok: 'verified', 'ladder-exhausted': 'failed', cancelled: 'cancelled', error: 'failed', crashed: 'crashed', placed: 'placed, not run' };

@customElement('workload-run')
export class WorkloadRun extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
    h3 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; }
    p { margin: 0.25rem 0; }
    .muted { color: var(--cs-muted); }
    .ok { color: var(--cs-ok); font-weight: 600; }
    .bad { color: var(--cs-danger); font-weight: 600; }
    .failures { border-left: 4px solid var(--cs-danger); background: var(--cs-danger-bg); padding: 0.4rem 0.75rem; margin: 0.4rem 0; }
    .failures ul { margin: 0.2rem 0 0; padding-left: 1.2rem; }
    li { margin: 0.15rem 0; overflow-wrap: anywhere; }
    details { margin: 0.25rem 0; border: 1px solid var(--cs-border); border-radius: 4px; padding: 0.3rem 0.6rem; }
    summary { cursor: pointer; }
    summary:focus-visible { outline: var(--cs-focus); outline-offset: 2px; }
    .error { overflow-wrap: anywhere; font-size: 0.88rem; }
  `;

  @property({ attribute: false }) reply: WorkloadRunReply | undefined;
  /** The plan, for the jobs' names while a run goes. */
  @property({ attribute: false }) plan: WorkloadPlanSummary | undefined;
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) jobs = new Map<number, WorkloadJobUpdate>();
  /** Why the last run got no reply, if it did not. */
  @property() failure: string | undefined;

  override render() {
    if (this.running) return this.#renderLive();
    const reply = this.reply;
    if (this.failure) return html`<h2>Workload run</h2><p class="failures" role="alert">${this.failure}</p>`;
    if (!reply) return html`<h2>Workload run</h2><p class="muted">Press Run: each lane runs in its own Web Worker with its own WebGPU device, every allocation counted in one device ledger.</p>`;
    if (!reply.ok) {
      return html`<h2>Workload run</h2><p class="failures" role="alert" data-testid="workload-run-error"><strong>${reply.error.code}</strong>: ${reply.error.message}</p>`;
    }
    const s = reply.summary;
    const failures = workloadFailureWords(s, reply.memory);
    const ran = s.jobs.filter((j) => j.status !== 'placed');
    const verified = ran.filter((j) => j.status === 'ok' && j.verification?.passed !== false).length;
    return html`
      <h2>Workload run</h2>
      <p data-testid="workload-run-status" class=${failures.length ? 'bad' : 'ok'}>${ran.length === 0
        ? 'No job runs: every job is weight-only, placed and not run.'
        : failures.length
          ? `${ran.length - verified} of ${ran.length} ${ran.length === 1 ? 'job' : 'jobs'} did not verify`
          : `All ${ran.length} ${ran.length === 1 ? 'job' : 'jobs'} verified`}</p>
      ${failures.length
        ? html`<div class="failures" role="alert" data-testid="workload-failures"><strong>What failed</strong><ul>
            ${failures.map((f) => html`<li data-testid="workload-failure" data-job=${f.job} data-lane=${f.lane}>${f.words.replace(/\.$/, '')}.</li>`)}
          </ul></div>`
        : nothing}
      <p data-testid="workload-ledger-peak">Device ledger's peak: <strong>${formatBytesExact(s.device.peakBytes)}</strong> of ${formatBytesExact(s.device.budgetBytes)}${s.device.setBy
        ? html`, set by <strong data-testid="workload-peak-job">${s.device.setBy.job !== undefined ? `job "${s.device.setBy.job}"` : 'the parent'}</strong> on lane "${s.device.setBy.lane}" allocating <code>${s.device.setBy.label}</code> (${formatBytesExact(s.device.setBy.bytes)})`
        : ': nothing was allocated'}.</p>
      <p class="muted" data-testid="workload-after">After every lane ended: ${s.liveBuffersAfter} live ${s.liveBuffersAfter === 1 ? 'buffer' : 'buffers'}, ${s.devicesAfter} ${s.devicesAfter === 1 ? 'device' : 'devices'} left, ${formatBytesExact(s.device.liveBytesAfter)} in the ledger; ${formatDuration(s.wallMs)} on ${s.adapter}.</p>
      ${reply.memory.length
        ? html`<h3>Device memory over the workload</h3>
            <workload-timeline .memory=${reply.memory} .lanes=${s.lanes.map((l) => ({ name: l.name, capBytes: l.capBytes }))} .budgetBytes=${s.device.budgetBytes}></workload-timeline>`
        : nothing}
      <h3>Each job</h3>
      ${s.jobs.map((job, i) => {
        const report = reply.reports[i];
        return html`<details data-testid="workload-job-run" data-job=${job.name} data-status=${job.status}>
          <summary><strong>${job.name}</strong> on lane ${job.lane}: <span class=${job.status === 'ok' ? 'ok' : job.status === 'placed' ? 'muted' : 'bad'}>${kStatusWords[job.status] ?? job.status}</span>${job.start !== undefined && job.end !== undefined ? html` <span class="muted">(${formatDuration(job.start)} to ${formatDuration(job.end)})</span>` : nothing}</summary>
          ${job.error ? html`<p class="error" data-testid="workload-job-error"><strong>${job.error.fault ?? job.error.code}</strong>: ${job.error.message}</p>` : nothing}
          ${report ? html`<run-report .reply=${report}></run-report>` : job.status === 'placed' ? html`<p class="muted">Weight-only: placed on its lane, not run.</p>` : html`<p class="muted">No run report: the job never ran to a report.</p>`}
        </details>`;
      })}
    `;
  }

  #renderLive() {
    const names = this.plan?.jobs ?? [];
    return html`<h2>Workload run</h2>
      <p data-testid="workload-live">Running on the lanes' workers: the reports follow when every lane has ended.</p>
      <ul>
        ${names.map((job, i) => {
          const update = this.jobs.get(i);
          return html`<li>${job.name} on lane ${job.lane}: ${!update ? html`<span class="muted">waiting</span>` : update.ended ? (kStatusWords[update.status] ?? update.status) : 'running'}</li>`;
        })}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'workload-run': WorkloadRun;
  }
}
