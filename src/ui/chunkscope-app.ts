/**
 * `<chunkscope-app>`: the root of the app. Owns the simulator worker and the scenario
 * being looked at; hands the worker's answers down to the views.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import lorenzBatch from '../../examples/lorenz-batch.json';
import { PlanController } from './plan-controller.ts';
import { SimulatorController } from './simulator-controller.ts';
import './device-info-panel.ts';
import './plan-view.ts';

@customElement('chunkscope-app')
export class ChunkscopeApp extends LitElement {
  static override styles = css`
    :host { display: block; max-width: 1280px; margin: 0 auto; padding: 1rem; box-sizing: border-box; }
    header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
    h1 { font-size: 1.4rem; margin: 0; }
    header p { margin: 0; color: #57606a; }
    section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 1rem; margin-bottom: 1rem; }
  `;

  /** The scenario as the user has it (JSON, possibly invalid): what is planned and shown. */
  @state() private _scenarioJson: unknown = lorenzBatch;

  private readonly _simulator = new SimulatorController(this);
  private readonly _planner = new PlanController(this, this._simulator);

  override connectedCallback(): void {
    super.connectedCallback();
    this._planner.plan(this._scenarioJson, { immediately: true });
  }

  override render() {
    const name = (this._scenarioJson as { name?: unknown }).name;
    return html`
      <header>
        <h1>chunkscope</h1>
        <p>${typeof name === 'string' ? name : 'untitled scenario'}</p>
      </header>
      <section aria-label="Plan">
        <plan-view .reply=${this._planner.reply} ?pending=${this._planner.pending}></plan-view>
        ${this._planner.failure ? html`<p role="alert">${this._planner.failure}</p>` : ''}
      </section>
      <section aria-label="Device">
        <device-info-panel .info=${this._simulator.deviceInfo} .failure=${this._simulator.failure}></device-info-panel>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chunkscope-app': ChunkscopeApp;
  }
}
