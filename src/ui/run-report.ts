/**
 * `<run-report>`: what a run did — predicted against measured peak and the buffer that
 * set it, chunks, phase times, verification, faults and fallbacks in order, and the
 * buffers still live after the run (0 unless something leaked).
 *
 * @fires show-peak - the user asked to see the allocation that set the peak (in the event log)
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBytesExact, formatCount, formatDuration } from '../core/units.ts';
import type { AllocationFaultEvent, DeviceLostEvent, FallbackEvent } from '../core/trace.ts';
import type { RunReply, RunReportView } from '../worker/simulator-api.ts';
import { bufferWords } from './event-words.ts';
import { kFigureListStyles } from './theme.ts';

/** A run's status in words, as the report and the run bar's last-run line say it. */
export const kStatusWords: Record<RunReportView['status'], string> = {
  ok: 'finished',
  'ladder-exhausted': 'stopped: recovery ladder exhausted',
  cancelled: 'cancelled',
  error: 'stopped by an error',
};

@customElement('run-report')
export class RunReport extends LitElement {
  static override styles = [kFigureListStyles, css`
    :host { display: block; container-type: inline-size; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
    h3 { font-size: 0.95rem; margin: 0.9rem 0 0.3rem; }
    .ok { color: var(--cs-ok); font-weight: 600; }
    .bad { color: var(--cs-danger); font-weight: 600; }
    .note { color: var(--cs-muted); }
    .problem { border-left: 4px solid var(--cs-danger); background: var(--cs-danger-bg); padding: 0.4rem 0.75rem; margin: 0 0 0.5rem; overflow-wrap: anywhere; }
    button { font: inherit; font-size: 0.85rem; padding: 0.1rem 0.5rem; margin-left: 0.4rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-surface); cursor: pointer; }
    button:focus-visible { outline: 2px solid var(--cs-accent); outline-offset: 1px; }
    ol { margin: 0; padding-left: 1.4rem; }
    li { margin: 0.2rem 0; overflow-wrap: anywhere; }
    .label { font-family: ui-monospace, monospace; font-size: 0.85rem; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { text-align: right; padding: 0.1rem 0.6rem 0.1rem 0; }
    th:first-child, td:first-child { text-align: left; }
    th { font-weight: 600; color: var(--cs-muted); font-size: 0.85rem; }
  `];

  /** The reply of the last run; undefined before the first. */
  @property({ attribute: false }) reply: RunReply | undefined;

  override render() {
    const reply = this.reply;
    if (!reply) return html`<h2>Run report</h2><p>Press Run (or Ctrl+Enter) to execute the plan in the worker, on WebGPU or the CPU.</p>`;
    if (!reply.ok) {
      return html`<h2>Run report</h2>
        <p class="problem" role="alert" data-testid="run-error"><strong>${reply.error.code}</strong>: ${reply.error.message}</p>`;
    }
    const r = reply.report;
    const predicted = r.peak.predictedBytes;
    const measured = r.peak.measuredBytes;
    const lastAttempt = r.attempts.at(-1);
    const v = r.verification;
    // A run stopped before its first allocation has no peak to compare and no fallback to list.
    if (BigInt(measured) === 0n && r.runsDone === 0 && r.status !== 'ok') {
      return html`<h2>Run report</h2>
        ${r.error ? html`<p class="problem" role="alert" data-testid="run-error"><strong>${r.error.code}</strong>: ${r.error.message}</p>` : nothing}
        <dl>
          <dt>Status</dt>
          <dd data-testid="run-status" class="bad">${kStatusWords[r.status]} before anything ran</dd>
          <dt>Runs done</dt>
          <dd data-testid="run-runs-done">none: no buffer was allocated, so there is no peak to compare with the prediction (${formatBytesExact(predicted)})</dd>
        </dl>`;
    }
    return html`
      <h2>Run report</h2>
      ${r.error ? html`<p class="problem" role="alert" data-testid="run-error"><strong>${r.error.code}</strong>: ${r.error.message}</p>` : nothing}
      <dl>
        <dt>Status</dt>
        <dd data-testid="run-status" class=${r.status === 'ok' ? 'ok' : 'bad'}>${kStatusWords[r.status]}</dd>
        <dt>Runs done</dt>
        <dd data-testid="run-runs-done">${formatCount(r.runsDone)} of ${formatCount(r.plan.runs)} on ${r.backend === 'webgpu' ? 'WebGPU' : 'the CPU'}</dd>
        <dt>Predicted peak</dt>
        <dd data-testid="run-predicted-peak">${formatBytesExact(predicted)}</dd>
        <dt>Measured peak</dt>
        <dd>
          <span data-testid="run-measured-peak">${formatBytesExact(measured)}</span>
          ${BigInt(measured) === predicted
            ? html`<span class="ok" data-testid="run-peak-match">= predicted</span>`
            : r.attempts.length > 1 && BigInt(measured) < predicted
              ? html`<span class="note" data-testid="run-peak-match">below the first plan: the run finished on a smaller one</span>`
              : html`<span class="bad" data-testid="run-peak-match">${BigInt(measured) > predicted ? 'over' : 'under'} the prediction</span>`}
        </dd>
        ${lastAttempt && r.attempts.length > 1
          ? html`<dt>Last attempt's peak</dt>
              <dd data-testid="run-last-attempt-peak">${formatBytesExact(lastAttempt.measuredPeakBytes)} measured, ${formatBytesExact(lastAttempt.predictedPeakBytes)} predicted</dd>`
          : nothing}
        <dt>Peak set by</dt>
        <dd>
          ${r.peak.setBy
            ? html`<span class="label" data-testid="run-peak-set-by">${bufferWords(r.peak.setBy.label, r.peak.setBy.bytes)}</span> at ${formatDuration(r.peak.setBy.t)}<button type="button" data-testid="show-peak" @click=${this._onShowPeak}>Show in event log</button>`
            : 'no device buffer was allocated'}
        </dd>
        <dt>Staging peak</dt>
        <dd data-testid="run-staging-peak">${formatBytesExact(r.stagingPeakBytes)} measured${
          lastAttempt?.predictedStagingPeakBytes !== undefined
            ? `, ${formatBytesExact(lastAttempt.predictedStagingPeakBytes)} predicted${r.attempts.length > 1 ? ' for the last attempt' : ''}`
            : ''} (host-visible, not in the budget)</dd>
        <dt>Chunks completed</dt>
        <dd data-testid="run-chunks">${formatCount(r.chunksCompleted)} over ${r.attempts.length} ${r.attempts.length === 1 ? 'attempt' : 'attempts'}</dd>
        <dt>Verification</dt>
        <dd data-testid="run-verification">
          ${v
            ? html`<span class=${v.passed ? 'ok' : 'bad'}>${v.passed ? 'passed' : 'FAILED'}</span>, max abs error
                <span data-testid="run-max-abs-error">${v.maxAbsError.toPrecision(3)}</span>
                ${v.precisionLoss ? html`; f16 cost ${v.precisionLoss.maxAbsError.toPrecision(3)} abs, ${v.precisionLoss.maxRelError.toPrecision(3)} rel` : nothing}`
            : 'not run (the run did not finish)'}
        </dd>
        <dt>Live buffers after</dt>
        <dd data-testid="run-live-after" class=${r.liveBuffersAfter === 0 ? '' : 'bad'}>${r.liveBuffersAfter}</dd>
      </dl>
      <h3>Phase times</h3>
      <table data-testid="run-phases">
        <thead><tr><th scope="col">phase</th><th scope="col">time</th></tr></thead>
        <tbody>
          ${Object.entries(r.phases).map(([phase, ms]) => html`<tr><td>${phase}</td><td>${formatDuration(ms)}</td></tr>`)}
        </tbody>
      </table>
      <h3>Faults and fallbacks</h3>
      ${this._renderFaults(r)}
    `;
  }

  private _renderFaults(r: RunReportView) {
    // The trace stays in the worker; the report carries its faults and fallbacks, merged here in time order.
    const items: (AllocationFaultEvent | DeviceLostEvent | FallbackEvent)[] = [...r.faults, ...r.fallbacks].sort((x, y) => x.t - y.t);
    if (items.length === 0) return html`<p data-testid="run-faults">None: the first attempt ran to the end.</p>`;
    return html`<ol data-testid="run-faults">
      ${items.map((e) => {
        switch (e.kind) {
          case 'fallback':
            return html`<li data-kind="fallback">at ${formatDuration(e.t)}: <strong>fallback ${e.from} → ${e.to}</strong>, chunkLength
              ${formatCount(e.chunkLengthBefore)} → ${formatCount(e.chunkLengthAfter)}, resuming at run ${formatCount(e.resumeAt)}</li>`;
          case 'device-lost':
            return html`<li data-kind="device-lost">at ${formatDuration(e.t)}: <strong>device lost</strong> (${e.reason}${e.injected ? ', injected' : ''})${e.chunk !== undefined ? ` in chunk ${e.chunk}` : ''}: ${e.message}</li>`;
          default:
            return html`<li data-kind=${e.kind}>at ${formatDuration(e.t)}: <strong>${e.kind === 'oom' ? 'out of memory' : 'validation error'}</strong> allocating
              <span class="label">${bufferWords(e.label, e.bytes)}</span> (${e.source}): ${e.message}</li>`;
        }
      })}
    </ol>`;
  }

  private _onShowPeak() {
    this.dispatchEvent(new CustomEvent('show-peak', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'run-report': RunReport;
  }
}
