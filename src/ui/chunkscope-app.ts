/**
 * `<chunkscope-app>`: the root of the app. Owns the simulator worker and the scenario
 * being edited; hands the worker's answers down to the editor and the views.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { kPresets } from './presets.ts';
import { PlanController } from './plan-controller.ts';
import { SimulatorController } from './simulator-controller.ts';
import type { ScenarioChangedDetail } from './scenario-editor.ts';
import type { PresetChosenDetail } from './preset-picker.ts';
import './device-info-panel.ts';
import './plan-view.ts';
import './preset-picker.ts';
import './scenario-editor.ts';

@customElement('chunkscope-app')
export class ChunkscopeApp extends LitElement {
  static override styles = css`
    :host { display: block; max-width: 1400px; margin: 0 auto; padding: 1rem; box-sizing: border-box; }
    header { display: flex; align-items: baseline; gap: 0.25rem 1rem; flex-wrap: wrap; margin-bottom: 0.75rem; }
    h1 { font-size: 1.4rem; margin: 0; }
    header p { margin: 0; color: #57606a; }
    section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 1rem; margin-bottom: 1rem; min-width: 0; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
    .layout { display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 6fr); gap: 1rem; align-items: start; }
    .results { position: sticky; top: 0.5rem; }
    @media (max-width: 900px) {
      :host { padding: 0.5rem; }
      .layout { grid-template-columns: minmax(0, 1fr); }
      .results { position: static; }
      section { padding: 0.75rem; }
    }
  `;

  /** The scenario as the user has it (JSON, possibly invalid): what is planned and shown. */
  @state() private _scenarioJson: unknown = kPresets[0].scenario;
  /** The preset the scenario came from, until the user edits it. */
  @state() private _presetId = kPresets[0].id;

  private readonly _simulator = new SimulatorController(this);
  private readonly _planner = new PlanController(this, this._simulator);

  override connectedCallback(): void {
    super.connectedCallback();
    this._planner.plan(this._scenarioJson, { immediately: true });
  }

  override render() {
    const name = (this._scenarioJson as { name?: unknown } | null)?.name;
    const reply = this._planner.reply;
    return html`
      <header>
        <h1>chunkscope</h1>
        <p data-testid="scenario-name">${typeof name === 'string' && name ? name : 'untitled scenario'}</p>
      </header>
      <section aria-label="Presets">
        <preset-picker .selected=${this._presetId} @preset-chosen=${this._onPresetChosen}></preset-picker>
      </section>
      <div class="layout">
        <section aria-labelledby="editor-heading">
          <h2 id="editor-heading">Scenario</h2>
          <scenario-editor
            .scenario=${this._scenarioJson}
            .issues=${reply && !reply.ok && reply.issues ? reply.issues : []}
            .planError=${reply && !reply.ok && !reply.issues ? reply.error : undefined}
            @scenario-changed=${this._onScenarioChanged}
          ></scenario-editor>
        </section>
        <div class="results">
          <section aria-label="Plan">
            <plan-view .reply=${reply} ?pending=${this._planner.pending}></plan-view>
            ${this._planner.failure ? html`<p role="alert">${this._planner.failure}</p>` : ''}
          </section>
          <section aria-label="Device">
            <device-info-panel .info=${this._simulator.deviceInfo} .failure=${this._simulator.failure}></device-info-panel>
          </section>
        </div>
      </div>
    `;
  }

  private _onScenarioChanged(e: CustomEvent<ScenarioChangedDetail>) {
    this._scenarioJson = e.detail.scenario;
    this._presetId = '';
    this._planner.plan(this._scenarioJson);
  }

  private _onPresetChosen(e: CustomEvent<PresetChosenDetail>) {
    this._scenarioJson = e.detail.preset.scenario;
    this._presetId = e.detail.preset.id;
    this._planner.plan(this._scenarioJson, { immediately: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'chunkscope-app': ChunkscopeApp;
  }
}
