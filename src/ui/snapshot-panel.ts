/**
 * `<snapshot-panel>`: a PyTorch memory snapshot opened in the app — what
 * `chunkscope import-snapshot` prints (the allocated and reserved peaks, the allocation
 * that set the allocated peak with its top frames, each out-of-memory with the figures
 * at that moment) — and its replay on the browser's WebGPU device under a budget and an
 * allocator model, as `chunkscope replay-snapshot` gives it: the first request that
 * fails with the fragmentation then, or the peaks it fits in.
 *
 * @fires snapshot-replay-requested - `detail: SnapshotReplaySettings`, the user pressed Replay.
 * @fires show-peak - the user asked to see the allocation that set the allocated peak (in the event log).
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { kAllocatorModels, type AllocatorModelName } from '../core/allocator-model.ts';
import type { SnapshotFrame } from '../core/pytorch-snapshot.ts';
import { kTopFrames, snapshotTimeWords } from '../core/snapshot-trace.ts';
import { formatBytesExact, formatCount } from '../core/units.ts';
import type { SnapshotReplayReply, SnapshotReplaySettings, SnapshotView } from '../worker/simulator-api.ts';
import { exactByteText, parseByteText } from './byte-text.ts';
import { kButtonStyles, kFigureListStyles } from './theme.ts';

/** Detail of the `snapshot-replay-requested` event. */
export type SnapshotReplayRequestedDetail = SnapshotReplaySettings;

/** What each allocator model does with a replayed request, in a line under the choice. */
const kModelWords: Record<AllocatorModelName, string> = {
  exact: 'one buffer per request, freed at once: fails only when the live bytes pass the budget',
  caching: 'PyTorch’s caching allocator: 2 MiB segments, best fit, freed blocks stay reserved — fragmentation can fail a request under the budget',
};

@customElement('snapshot-panel')
export class SnapshotPanel extends LitElement {
  static override styles = [
    kButtonStyles,
    kFigureListStyles,
    css`
      :host { display: block; container-type: inline-size; }
      h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
      h3 { font-size: 0.95rem; margin: 0.9rem 0 0.3rem; }
      p { margin: 0.3rem 0; overflow-wrap: anywhere; }
      .frames { margin: 0.2rem 0 0; padding-left: 1.2rem; font-family: ui-monospace, monospace; font-size: 0.85rem; }
      .frames li { margin: 0.05rem 0; overflow-wrap: anywhere; }
      .frames .more { list-style: none; font-family: inherit; color: var(--cs-muted); }
      .note { color: var(--cs-muted); font-size: 0.9rem; }
      .ok { color: var(--cs-ok); font-weight: 600; }
      .bad { color: var(--cs-danger); font-weight: 600; }
      .problem { border-left: 4px solid var(--cs-danger); background: var(--cs-danger-bg); padding: 0.4rem 0.75rem; margin: 0.5rem 0; overflow-wrap: anywhere; }
      .form { display: flex; flex-wrap: wrap; gap: 0.5rem 0.75rem; align-items: end; }
      .field { display: flex; flex-direction: column; gap: 0.15rem; min-width: 0; }
      label { font-size: 0.85rem; color: var(--cs-subtle); }
      input, select { font: inherit; font-size: 0.95rem; padding: 0.25rem 0.4rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-bg); color: var(--cs-fg); min-width: 0; }
      input { width: 10rem; }
      input[aria-invalid='true'] { border-color: var(--cs-danger); background: var(--cs-danger-bg); }
      .hint { font-size: 0.8rem; color: var(--cs-muted); }
      .show { margin-left: 0.4rem; font-size: 0.85rem; padding: 0.1rem 0.5rem; }
    `,
  ];

  /** The snapshot open in the worker. */
  @property({ attribute: false }) snapshot: SnapshotView | undefined;
  /** The file it came from. */
  @property() file = '';
  /** The last replay of this snapshot, if any. */
  @property({ attribute: false }) replay: SnapshotReplayReply | undefined;
  /** True while a replay is in flight. */
  @property({ type: Boolean }) replaying = false;
  /** Why Replay cannot be pressed now (a run in flight, no worker), or undefined. */
  @property() blocked: string | undefined;

  /** The budget as typed. */
  @state() private _budgetText: string | undefined;
  @state() private _model: AllocatorModelName = kAllocatorModels[0];

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // Another snapshot starts from its own reserved peak: the budget it ran in.
    if (changed.has('snapshot')) this._budgetText = undefined;
  }

  override render() {
    const s = this.snapshot;
    if (!s) return nothing;
    const { bytes, t, setBy } = s.allocatedPeak;
    return html`
      <h2>PyTorch snapshot</h2>
      <p data-testid="snapshot-source"><strong>${this.file}</strong>: device ${s.device}${s.devices > 1 ? ` of ${s.devices}` : ''}, ${formatCount(s.entries)} trace entries
        (${s.clock === 'time_us' ? 'times from time_us' : 'no times: the axis counts entries'}), ${formatCount(s.requests)} requests to replay.</p>
      <dl>
        <dt>Allocated peak</dt>
        <dd data-testid="snapshot-allocated-peak">${formatBytesExact(bytes)} at ${this._time(t)}</dd>
        <dt>Peak set by</dt>
        <dd>
          ${setBy
            ? html`<span data-testid="snapshot-peak-set-by">${setBy.entry === null ? 'an allocation live before the trace' : `entry ${setBy.entry}`}: ${formatBytesExact(setBy.bytes)} at 0x${setBy.addr.toString(16)}</span>${s.peakEventIndex >= 0
                  ? html`<button type="button" class="show" data-testid="snapshot-show-peak" @click=${this._onShowPeak}>Show in event log</button>`
                  : nothing}
                ${this._frames(setBy.frames, 'snapshot-peak-frames')}`
            : 'nothing was allocated'}
        </dd>
        <dt>Reserved peak</dt>
        <dd data-testid="snapshot-reserved-peak">${formatBytesExact(s.reservedPeakBytes)}</dd>
        <dt>Out of memory</dt>
        <dd data-testid="snapshot-ooms">
          ${s.ooms.length === 0
            ? 'none recorded'
            : s.ooms.map(
                (oom) => html`<div data-testid="snapshot-oom">at entry ${oom.entry} (${this._time(oom.t)}): tried to allocate ${formatBytesExact(oom.requestedBytes)};
                    ${formatBytesExact(oom.allocatedBytes)} allocated, ${formatBytesExact(oom.reservedBytes)} reserved,
                    <strong>${formatBytesExact(oom.reservedBytes - oom.allocatedBytes)} reserved but free</strong>${oom.deviceFreeBytes !== undefined ? `, ${formatBytesExact(oom.deviceFreeBytes)} free on the device` : ''}
                    ${this._frames(oom.frames, 'snapshot-oom-frames')}</div>`,
              )}
        </dd>
      </dl>
      ${s.notes.length ? html`<ul class="note" data-testid="snapshot-notes">${s.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
      ${this._renderReplayForm(s)} ${this._renderReplay()}
    `;
  }

  private _renderReplayForm(s: SnapshotView) {
    const text = this._budgetText ?? exactByteText(s.reservedPeakBytes);
    const budget = parseByteText(text);
    const invalid = budget === undefined || budget <= 0;
    return html`
      <h3>Replay on this device</h3>
      <p class="hint">Re-runs the snapshot’s allocations and frees on real WebGPU buffers under a budget, as <code>chunkscope replay-snapshot</code> does: each segment a buffer counted against the budget.</p>
      <div class="form">
        <div class="field">
          <label for="replay-budget">budget</label>
          <input id="replay-budget" data-testid="replay-budget" aria-describedby="replay-budget-hint" aria-invalid=${invalid ? 'true' : 'false'} .value=${text}
            @input=${(e: Event) => (this._budgetText = (e.target as HTMLInputElement).value)} />
          <span class="hint" id="replay-budget-hint">${invalid ? 'type a positive byte count: 12582912, 12 MiB' : `${formatBytesExact(budget)}`}</span>
        </div>
        <div class="field">
          <label for="replay-model">allocator model</label>
          <select id="replay-model" data-testid="replay-model" aria-describedby="replay-model-hint" @change=${(e: Event) => (this._model = (e.target as HTMLSelectElement).value as AllocatorModelName)}>
            ${kAllocatorModels.map((m) => html`<option value=${m} ?selected=${m === this._model}>${m}</option>`)}
          </select>
        </div>
        <button type="button" class="primary" data-testid="replay-button" ?disabled=${invalid || this.replaying || this.blocked !== undefined}
          @click=${() => !invalid && this._onReplay(budget)}>${this.replaying ? 'Replaying…' : 'Replay'}</button>
      </div>
      <p class="hint" id="replay-model-hint">${kModelWords[this._model]}</p>
      ${this.blocked ? html`<p class="hint" data-testid="replay-blocked">Replay is off: ${this.blocked}.</p>` : nothing}
    `;
  }

  private _renderReplay() {
    const reply = this.replay;
    if (!reply || this.replaying) return nothing;
    if (!reply.ok) return html`<p class="problem" role="alert" data-testid="replay-error"><strong>${reply.error.code}</strong>: ${reply.error.message}</p>`;
    const o = reply.outcome;
    const f = o.failure;
    const head = `${formatCount(o.requestsDone)} of ${formatCount(o.requests)} requests under ${formatBytesExact(o.budgetBytes)}, ${o.model} allocator, on ${reply.device}`;
    return html`<div data-testid="replay-result" data-fits=${f ? 'no' : 'yes'}>
      <p class="note" data-testid="replay-head">${head}</p>
      ${f
        ? html`<p data-testid="replay-verdict"><span class="bad">Does not fit:</span> request ${formatCount(f.request)}
              (${f.entry === null ? 'an allocation live before the trace' : `entry ${f.entry}`}, ${formatBytesExact(f.bytes)}) fails${f.failedInSnapshot ? ', as it did in the snapshot' : ''}.</p>
            <p class="problem" data-testid="replay-message">${f.message}</p>`
        : html`<p data-testid="replay-verdict"><span class="ok">Fits:</span> allocated peak ${formatBytesExact(o.allocatedPeakBytes)}, reserved peak ${formatBytesExact(o.reservedPeakBytes)}.</p>`}
      <dl>
        ${f
          ? html`<dt>Allocated</dt><dd data-testid="replay-allocated">${formatBytesExact(f.stats.allocatedBytes)}</dd>
              <dt>Reserved</dt><dd data-testid="replay-reserved">${formatBytesExact(f.stats.reservedBytes)}</dd>
              <dt>Reserved but free</dt><dd data-testid="replay-reserved-free">${formatBytesExact(f.stats.reservedFreeBytes)}</dd>
              <dt>Largest free block</dt><dd data-testid="replay-largest-free">${formatBytesExact(f.stats.largestFreeBytes)}</dd>
              <dt>Fragmentation</dt><dd data-testid="replay-fragmentation">${f.stats.fragmentation.toFixed(2)} <span class="note">(1 − largest free block ÷ reserved but free)</span></dd>
              ${o.model === 'caching' && f.expandableBytes !== null
                ? html`<dt>Expandable segments</dt><dd data-testid="replay-expandable">would have needed ${formatBytesExact(f.expandableBytes)} reserved:
                    ${f.expandableBytes <= o.budgetBytes ? 'it would have fitted' : 'it would not have fitted either'}</dd>`
                : nothing}`
          : nothing}
        ${o.model === 'caching'
          ? html`<dt>Expandable peak</dt><dd data-testid="replay-expandable-peak">${formatBytesExact(o.expandablePeakBytes)} at most with expandable segments${o.reservedPeakBytes > o.expandablePeakBytes ? `, ${formatBytesExact(o.reservedPeakBytes - o.expandablePeakBytes)} less` : ''} (reported, not run: WebGPU cannot grow a buffer)</dd>`
          : nothing}
        <dt>Live buffers after</dt><dd data-testid="replay-live-after" class=${o.liveBuffersAfter === 0 ? '' : 'bad'}>${o.liveBuffersAfter}</dd>
      </dl>
    </div>`;
  }

  /** The innermost frames: where the allocation came from. */
  private _frames(frames: readonly SnapshotFrame[], testId: string) {
    if (frames.length === 0) return nothing;
    return html`<ol class="frames" data-testid=${testId}>
      ${frames.slice(0, kTopFrames).map((f) => html`<li>${f.name} (${f.filename}:${f.line})</li>`)}
      ${frames.length > kTopFrames ? html`<li class="more">… ${frames.length - kTopFrames} more</li>` : nothing}
    </ol>`;
  }

  private _time(t: number): string {
    return snapshotTimeWords(this.snapshot?.clock ?? 'entry', t);
  }

  private _onReplay(budgetBytes: number) {
    this.dispatchEvent(new CustomEvent<SnapshotReplayRequestedDetail>('snapshot-replay-requested', { detail: { budgetBytes, model: this._model }, bubbles: true, composed: true }));
  }

  private _onShowPeak() {
    this.dispatchEvent(new CustomEvent('show-peak', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'snapshot-panel': SnapshotPanel;
  }
}
