/**
 * `<preset-picker>`: choose a preset scenario or workload; shows the sentence on what it teaches.
 *
 * @fires preset-chosen - `detail: { preset }` when the user picks a preset.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { kPresets, type Preset } from './presets.ts';
import { kWorkloadPresets } from './workload-presets.ts';

/** Scenarios and workloads: one list to find a preset by id. */
const kEveryPreset: readonly Preset[] = [...kPresets, ...kWorkloadPresets];

/** Detail of the `preset-chosen` event. */
export interface PresetChosenDetail {
  preset: Preset;
}

@customElement('preset-picker')
export class PresetPicker extends LitElement {
  static override styles = css`
    :host { display: block; }
    .pick { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; }
    label { font-weight: 600; }
    select { font: inherit; padding: 0.25rem 0.4rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-bg); max-width: 100%; }
    select:focus-visible { outline: 2px solid var(--cs-accent); outline-offset: 1px; }
    p { margin: 0.35rem 0 0; color: var(--cs-subtle); }
    code { font-size: 0.85em; }
  `;

  /** The id of the preset the current scenario came from; empty once the user has edited it. */
  @property() selected = '';

  override render() {
    const preset = kEveryPreset.find((p) => p.id === this.selected);
    return html`
      <div class="pick">
        <label for="preset">Preset</label>
        <select id="preset" aria-describedby="teaches" @change=${this._onChange}>
          ${preset ? nothing : html`<option value="" selected>your edited scenario</option>`}
          <optgroup label="Scenarios">
            ${kPresets.map((p) => html`<option value=${p.id} ?selected=${p.id === this.selected}>${p.title}</option>`)}
          </optgroup>
          <optgroup label="Workloads: several jobs on one device">
            ${kWorkloadPresets.map((p) => html`<option value=${p.id} ?selected=${p.id === this.selected}>${p.title}</option>`)}
          </optgroup>
        </select>
      </div>
      <p id="teaches" data-testid="preset-teaches">
        ${preset ? html`${preset.teaches} <span class="file">(<code>${preset.file}</code>)</span>` : 'Edited: pick a preset to start again from one.'}
      </p>
    `;
  }

  private _onChange(e: Event) {
    const preset = kEveryPreset.find((p) => p.id === (e.target as HTMLSelectElement).value);
    if (!preset) return;
    this.dispatchEvent(new CustomEvent<PresetChosenDetail>('preset-chosen', { detail: { preset }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'preset-picker': PresetPicker;
  }
  interface HTMLElementEventMap {
    'preset-chosen': CustomEvent<PresetChosenDetail>;
  }
}
