import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatCount } from '../core/units.ts';
import { kBackendChoices, type BackendChoice, type RunProgress } from '../worker/simulator-api.ts';
import { kButtonStyles } from './theme.ts';

/** Detail of `backend-changed`. */
export interface BackendChangedDetail {
  backend: BackendChoice;
}

const kBackendWords: Record<BackendChoice, string> = { auto: 'auto', webgpu: 'WebGPU', cpu: 'CPU' };

/**
 * `<run-bar>`: Run, where it runs (auto / WebGPU / CPU), its progress and Cancel, and
 * why Run is off when it is. The app keeps it in view: beside the results on wide
 * screens, stuck to the top on phones.
 *
 * @fires run-requested - the user pressed Run
 * @fires report-requested - the user asked to see the last run's report (or the replay's)
 * @fires cancel-requested - the user pressed Cancel
 * @fires backend-changed - the user chose a backend; detail: {@link BackendChangedDetail}
 */
@customElement('run-bar')
export class RunBar extends LitElement {
  static override styles = [
    kButtonStyles,
    css`
      :host { display: block; }
      .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.75rem; }
      label { font-size: 0.9rem; color: var(--cs-muted); display: inline-flex; gap: 0.3rem; align-items: center; }
      .progress { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.5rem; flex: 1 1 14rem; min-width: 0; }
      .progress progress { flex: 1 1 auto; min-width: 6rem; height: 1rem; accent-color: var(--cs-ok); }
      .progress span { font-variant-numeric: tabular-nums; font-size: 0.9rem; }
      p { margin: 0.25rem 0 0; font-size: 0.88rem; color: var(--cs-muted); overflow-wrap: anywhere; }
      p.blocked { color: var(--cs-danger); }
      .keys { font-size: 0.8rem; color: var(--cs-muted); }
      button.link { border: none; background: none; padding: 0; color: var(--cs-accent); text-decoration: underline; }
    `,
  ];

  /** True while a run is in flight. */
  @property({ type: Boolean }) running = false;
  /** True once Cancel was pressed, until the run ends. */
  @property({ type: Boolean }) cancelling = false;
  /** Progress of the run in flight. */
  @property({ attribute: false }) progress: RunProgress | undefined;
  /** Why Run is off, in words; undefined when it is on. */
  @property({ attribute: false }) blocker: string | undefined;
  /** True when the blocker is WebGPU's and the CPU could run the scenario: a button offers it. */
  @property({ type: Boolean }) offerCpu = false;
  /** The backend chosen. */
  @property({ attribute: false }) backend: BackendChoice = 'auto';
  /** Where `auto` will run this scenario and why, in words. */
  @property({ attribute: false }) backendNote = '';
  /** One line on the last run or replay, when Run is on. */
  @property({ attribute: false }) lastRun = '';
  /** What the last-run line links to: the run's report or the replay's. */
  @property({ attribute: false }) lastRunLink: 'report' | 'replay' = 'report';

  override render() {
    const p = this.progress;
    return html`<div class="bar">
        <button type="button" class="primary" data-testid="run-button" ?disabled=${this.running || this.blocker !== undefined} @click=${this._onRun}>
          ${this.running ? 'Running…' : 'Run'}
        </button>
        <label>on <select data-testid="backend-select" aria-label="where to run" ?disabled=${this.running} @change=${this._onBackend}>
          ${kBackendChoices.map((b) => html`<option value=${b} ?selected=${b === this.backend}>${kBackendWords[b]}</option>`)}
        </select></label>
        ${this.running
          ? html`<div class="progress" data-testid="run-progress">
              <progress aria-label="runs done" max=${p?.runs ?? 1} value=${p?.runsDone ?? 0}></progress>
              <span role="status">${p ? `${formatCount(p.runsDone)} / ${formatCount(p.runs)} runs, attempt ${p.attempt}, on ${p.backend === 'webgpu' ? 'WebGPU' : 'the CPU'}` : 'starting…'}</span>
              <button type="button" class="danger" data-testid="cancel-button" ?disabled=${this.cancelling} @click=${this._onCancel}>
                ${this.cancelling ? 'Cancelling…' : 'Cancel'}
              </button>
            </div>`
          : html`<span class="keys">Ctrl+Enter runs</span>`}
      </div>
      ${!this.running && this.blocker
        ? html`<p class="blocked" data-testid="run-blocked">Run is off: ${this.blocker}.
            ${this.offerCpu ? html`<button type="button" data-testid="use-cpu" @click=${this._onUseCpu}>Run on the CPU instead</button>` : nothing}</p>`
        : nothing}
      ${this.backendNote ? html`<p data-testid="backend-note">${this.backendNote}</p>` : nothing}
      ${!this.running && !this.blocker && this.lastRun ? html`<p data-testid="last-run">${this.lastRun}
            <button type="button" class="link" @click=${this._onSeeReport}>See the ${this.lastRunLink}</button></p>` : nothing}`;
  }

  private _onRun() {
    this.dispatchEvent(new CustomEvent('run-requested', { bubbles: true, composed: true }));
  }

  private _onSeeReport() {
    this.dispatchEvent(new CustomEvent('report-requested', { bubbles: true, composed: true }));
  }

  private _onCancel() {
    this.dispatchEvent(new CustomEvent('cancel-requested', { bubbles: true, composed: true }));
  }

  private _onBackend(e: Event) {
    this._emitBackend((e.target as HTMLSelectElement).value as BackendChoice);
  }

  private _onUseCpu() {
    this._emitBackend('cpu');
  }

  private _emitBackend(backend: BackendChoice) {
    const detail: BackendChangedDetail = { backend };
    this.dispatchEvent(new CustomEvent('backend-changed', { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'run-bar': RunBar;
  }
}
