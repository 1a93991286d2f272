import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { kStepContext } from './step-context.ts';
import { chunkUse } from '../core/chunk-use.ts';
import type { Plan } from '../core/planner.ts';
import { formatBytes, formatCount } from '../core/units.ts';
import { StepPlayController } from './step-play-controller.ts';

/** Detail of `chunk-stepped`: the chunk to show (0-based, as the trace and the fault fields count), or none. */
export interface ChunkSteppedDetail {
  chunk: number | undefined;
}

/**
 * `<chunk-stepper>`: steps through a plan chunk by chunk (first, previous, a slider,
 * next, last, play), and says what chunk k uses: its runs, its buffer set, each buffer
 * and the bytes of it the chunk fills (core's `chunkUse`).
 *
 * The chunk is owned by the app, which provides it as `kStepContext` (the plan strip,
 * the timeline and the event log all highlight it): this element only asks for a change.
 *
 * @fires chunk-stepped - the user chose a chunk or ended stepping; detail: {@link ChunkSteppedDetail}
 */
@customElement('chunk-stepper')
export class ChunkStepper extends LitElement {
  static override styles = css`
    :host { display: block; margin-top: 0.5rem; }
    .controls { display: flex; flex-wrap: wrap; gap: 0.35rem; align-items: center; }
    .controls input[type='range'] { flex: 1 1 8rem; min-width: 6rem; accent-color: var(--cs-step-outline); }
    button { font: inherit; font-size: 0.85rem; padding: 0.15rem 0.5rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-surface); color: var(--cs-fg); cursor: pointer; }
    button:disabled { opacity: 0.5; cursor: not-allowed; }
    button:focus-visible, input:focus-visible { outline: var(--cs-focus); outline-offset: 1px; }
    .readout { margin: 0.4rem 0 0; padding: 0.4rem 0.6rem; border-left: 4px solid var(--cs-step-outline); background: var(--cs-surface); font-size: 0.88rem; }
    .readout p { margin: 0 0 0.2rem; }
    .readout ul { margin: 0; padding-left: 1.1rem; font-variant-numeric: tabular-nums; }
    .label { font-family: ui-monospace, monospace; font-size: 0.82rem; }
    .muted { color: var(--cs-muted); }
    .dangling { color: var(--cs-warn-text); font-weight: 600; }
  `;

  /** The plan stepped through. */
  @property({ attribute: false }) plan: Plan | undefined;
  /** The chunk shown (0-based), or undefined when not stepping; from {@link kStepContext}. */
  @consume({ context: kStepContext, subscribe: true })
  @property({ attribute: false })
  chunk: number | undefined;

  private readonly _player = new StepPlayController(this);

  override updated(changed: Map<string, unknown>): void {
    // A new plan ends a play that was walking the old one.
    if (changed.has('plan') && changed.get('plan') !== undefined) this._player.stop();
  }

  override render() {
    const plan = this.plan;
    if (!plan) return nothing;
    const last = plan.numChunks - 1;
    const k = this.chunk;
    return html`
      <div class="controls" role="group" aria-label="Step through the chunks">
        <button type="button" data-testid="step-first" ?disabled=${k === 0} @click=${() => this._go(0)}>First</button>
        <button type="button" data-testid="step-prev" ?disabled=${k === undefined || k === 0} @click=${() => this._go((k ?? 0) - 1)}>◀ Prev</button>
        <input type="range" min="0" max=${last} .value=${String(k ?? 0)} aria-label="chunk" data-testid="step-slider" @input=${this._onSlider} />
        <button type="button" data-testid="step-next" ?disabled=${k === last} @click=${() => this._go(k === undefined ? 0 : k + 1)}>Next ▶</button>
        <button type="button" data-testid="step-last" ?disabled=${k === last} @click=${() => this._go(last)}>Last</button>
        <button type="button" data-testid="step-play" @click=${this._onPlay}>${this._player.playing ? 'Pause' : 'Play'}</button>
        ${k !== undefined ? html`<button type="button" data-testid="step-clear" @click=${this._onClear}>Done</button>` : nothing}
      </div>
      ${k !== undefined ? this._readout(plan, k) : html`<p class="muted">Step through the chunks to see which runs, buffers and bytes each one uses.</p>`}
    `;
  }

  private _readout(plan: Plan, k: number) {
    const use = chunkUse(plan, k);
    const runs = use.chunk.end - use.chunk.start;
    return html`<div class="readout" data-testid="step-readout" aria-live="polite">
      <p><strong>chunk ${formatCount(use.chunk.index)}</strong> of ${formatCount(plan.numChunks)} (counting from 0): runs [${formatCount(use.chunk.start)}, ${formatCount(use.chunk.end)}), ${formatCount(runs)} runs${use.dangling ? html` — <span class="dangling">the dangling final chunk</span>` : nothing}</p>
      <p>${plan.bufferSets > 1 ? html`uses <strong data-testid="step-set">buffer set ${use.set}</strong> of ${plan.bufferSets} (chunk k uses set k mod ${plan.bufferSets}); ` : nothing}binds ${formatBytes(use.boundBytes)}:</p>
      <ul>
        ${use.buffers.map((b) => html`<li><span class="label">${b.label}</span>: ${b.fixed ? 'fixed, whole' : b.usedBytes === b.bytes ? `${formatBytes(b.bytes)}, full` : `${formatBytes(b.usedBytes)} of ${formatBytes(b.bytes)} filled`}</li>`)}
      </ul>
    </div>`;
  }

  private _onSlider(e: Event) {
    this._player.stop();
    this._go(Number((e.target as HTMLInputElement).value), { keepPlaying: true });
  }

  private _onPlay() {
    const plan = this.plan;
    if (!plan) return;
    if (this._player.playing) {
      this._player.stop();
      return;
    }
    const last = plan.numChunks - 1;
    if (this.chunk === undefined || this.chunk >= last) this._go(0, { keepPlaying: true });
    this._player.play(() => {
      const next = (this.chunk ?? -1) + 1;
      if (next > last) return false;
      this._go(next, { keepPlaying: true });
      return next < last;
    });
  }

  private _onClear() {
    this._player.stop();
    this._emit(undefined);
  }

  private _go(chunk: number, { keepPlaying = false } = {}) {
    if (!keepPlaying) this._player.stop();
    const last = (this.plan?.numChunks ?? 1) - 1;
    this._emit(Math.min(Math.max(0, chunk), last));
  }

  private _emit(chunk: number | undefined) {
    const detail: ChunkSteppedDetail = { chunk };
    this.dispatchEvent(new CustomEvent('chunk-stepped', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chunk-stepper': ChunkStepper;
  }
}
