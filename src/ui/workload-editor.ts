/**
 * `<workload-editor>`: a workload edited as its JSON in a textarea, checked as you type:
 * text that is not JSON says where it breaks; JSON goes up as `scenario-changed` (the
 * app plans it and the address follows it) and its problems come back, each with its path.
 * A form for workloads is not built yet: the JSON is the editor.
 *
 * @fires scenario-changed - `detail: { scenario }` with the edited JSON, once it parses.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ScenarioIssue } from '../core/scenario.ts';
import type { ScenarioChangedDetail } from './scenario-editor.ts';

@customElement('workload-editor')
export class WorkloadEditor extends LitElement {
  static override styles = css`
    :host { display: block; }
    p { margin: 0 0 0.4rem; color: var(--cs-muted); font-size: 0.88rem; }
    textarea { box-sizing: border-box; width: 100%; min-height: 22rem; font: 0.82rem/1.35 ui-monospace, monospace; padding: 0.5rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-bg); color: var(--cs-fg); resize: vertical; }
    textarea:focus-visible { outline: 2px solid var(--cs-accent); outline-offset: 1px; }
    .problems { border-left: 4px solid var(--cs-danger); background: var(--cs-danger-bg); padding: 0.4rem 0.75rem; margin: 0.4rem 0 0; }
    .problems ul { margin: 0.25rem 0 0; padding-left: 1.2rem; }
    li { margin: 0.15rem 0; overflow-wrap: anywhere; }
    code { font-size: 0.85rem; font-weight: 600; }
    .ok { color: var(--cs-ok); margin: 0.4rem 0 0; }
  `;

  /** The workload being edited (JSON). */
  @property({ attribute: false }) workload: unknown;
  /** The workload's problems from the planner, each with its path; empty when it plans. */
  @property({ attribute: false }) issues: ScenarioIssue[] = [];
  /** True until the plan of the latest text has come back. */
  @property({ type: Boolean }) pending = false;

  @state() private _text = '';
  @state() private _syntax = '';
  /** The JSON this editor last sent up: when it comes back down, the text the user typed stays as typed. */
  #sent: unknown;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('workload') && this.workload !== this.#sent) {
      this._text = `${JSON.stringify(this.workload, null, 2)}\n`;
      this._syntax = '';
    }
  }

  override render() {
    return html`
      <p>Edit the workload's JSON: it is checked as you type, and every problem is named by its path (a form for workloads is not built yet).</p>
      <textarea data-testid="workload-json" aria-label="workload JSON" spellcheck="false" .value=${this._text} @input=${this._onInput}></textarea>
      ${this._syntax
        ? html`<div class="problems" role="alert" data-testid="workload-syntax"><strong>Not JSON yet:</strong> ${this._syntax}</div>`
        : this.issues.length
          ? html`<div class="problems" role="alert" data-testid="workload-problems">
              <strong>${this.issues.length === 1 ? '1 problem' : `${this.issues.length} problems`}</strong>
              <ul>${this.issues.map((i) => html`<li data-testid="workload-problem"><code>${i.path || '(workload)'}</code>: ${i.message}</li>`)}</ul>
            </div>`
          : this.pending
            ? nothing
            : html`<p class="ok" data-testid="workload-valid">Valid: every job plans.</p>`}
    `;
  }

  private _onInput(e: Event) {
    this._text = (e.target as HTMLTextAreaElement).value;
    let json: unknown;
    try {
      json = JSON.parse(this._text);
    } catch (error) {
      this._syntax = (error as Error).message;
      return;
    }
    this._syntax = '';
    this.#sent = json;
    this.dispatchEvent(new CustomEvent<ScenarioChangedDetail>('scenario-changed', { detail: { scenario: json }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'workload-editor': WorkloadEditor;
  }
}
