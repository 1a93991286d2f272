/**
 * `<scenario-editor>`: every part of a scenario as form controls.
 *
 * The editor holds no scenario of its own: it renders the JSON it is given and, on each
 * user edit, fires `scenario-changed` with an edited copy. It keeps what the user typed
 * even when that is invalid (a shape of `3, rns`, a budget of `8 XB`), so the
 * validator's issue for that path can be shown beside the very field that holds it.
 *
 * @fires scenario-changed - `detail: { scenario }`, the edited scenario JSON, after each user edit.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { kDtypeNames } from '../core/dtypes.ts';
import type { PlanError } from '../core/planner.ts';
import { isJsonObject, kDefaultBudgetBytes, kDefaultLimits, kFallbacks, kFaultKinds, kFaultTriggers, kLimitNames, kRoles, kRunsAxis, type ScenarioIssue } from '../core/scenario.ts';
import { kDefaultReuseBuffers } from '../core/scenario.ts';
import { kAllocatorModels } from '../core/allocator-model.ts';
import { kCachingDefaults } from '../core/caching-allocator.ts';
import { formatBytes, formatCount } from '../core/units.ts';
import { exactByteText, kBudgetSteps, nearestBudgetStep, parseByteText } from './byte-text.ts';
import { getAt, isWithin, pathText, setAt, type JsonPath } from './scenario-paths.ts';

/** Detail of the `scenario-changed` event. */
export interface ScenarioChangedDetail {
  scenario: unknown;
}

// Fault kinds, their triggers and the default budget come from core's schema: one home for each fact.
const kDefaultBudget = kDefaultBudgetBytes;
const kTriggerWords: Record<string, string> = {
  onAllocation: 'on allocation number',
  aboveBytes: 'on an allocation above (bytes)',
  beforeChunk: 'before chunk',
  duringChunk: 'during chunk',
};

/** A number where the text is one, else the text itself, so the validator can name the problem. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : text;
}

/** `"100, 3, runs"` → `[100, 3, "runs"]`; tokens that are not numbers stay text for the validator. */
function parseShape(text: string): unknown[] {
  const tokens = text.split(/[,\s×x*]+/).filter((t) => t !== '');
  return tokens.map((t) => (t.toLowerCase() === kRunsAxis ? kRunsAxis : numberOrText(t)));
}

function shapeText(shape: unknown): string {
  return Array.isArray(shape) ? shape.join(', ') : '';
}

function valueText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

@customElement('scenario-editor')
export class ScenarioEditor extends LitElement {
  static override styles = css`
    :host { display: block; container-type: inline-size; }
    fieldset { border: 1px solid var(--cs-border); border-radius: 6px; margin: 0 0 0.75rem; padding: 0.5rem 0.75rem 0.75rem; min-width: 0; }
    legend { font-weight: 600; padding: 0 0.25rem; }
    .fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.5rem 0.75rem; }
    .field { display: flex; flex-direction: column; gap: 0.15rem; min-width: 0; }
    .field.wide { grid-column: 1 / -1; }
    label, .label { font-size: 0.85rem; color: var(--cs-subtle); }
    .hint { font-size: 0.8rem; color: var(--cs-muted); }
    input, select, button { font: inherit; font-size: 0.95rem; }
    input[type='text'], input:not([type]), select { padding: 0.25rem 0.4rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; min-width: 0; background: var(--cs-bg); }
    input[aria-invalid='true'] { border-color: var(--cs-danger); outline-color: var(--cs-danger); background: var(--cs-danger-bg); }
    :focus-visible { outline: 2px solid var(--cs-accent); outline-offset: 1px; }
    button { padding: 0.2rem 0.6rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-surface); cursor: pointer; }
    button:disabled { cursor: not-allowed; opacity: 0.5; }
    .issue { color: var(--cs-danger); font-size: 0.85rem; margin: 0; }
    .issue::before { content: '⚠ '; }
    .plan-problem { color: var(--cs-warn-text); font-size: 0.85rem; margin: 0; }
    .budget { display: grid; grid-template-columns: 1fr 10rem; gap: 0.5rem; align-items: center; }
    .budget input[type='range'] { width: 100%; margin: 0; }
    .rows { display: flex; flex-direction: column; gap: 0.5rem; }
    .row { display: grid; gap: 0.25rem 0.5rem; align-items: start; }
    .array-row { grid-template-columns: minmax(7rem, 1.6fr) minmax(5.5rem, 1fr) minmax(4.5rem, 0.7fr) minmax(8rem, 1.6fr) auto; }
    .param-row { grid-template-columns: minmax(6rem, 1fr) minmax(6rem, 1fr) auto; }
    .fault-row { grid-template-columns: minmax(9rem, 1fr) minmax(9rem, 1.2fr) minmax(5rem, 0.8fr) auto auto; align-items: end; }
    .row-issues { grid-column: 1 / -1; }
    .headers { font-size: 0.85rem; color: var(--cs-subtle); }
    .row .field > label.column { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .ladder { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.25rem; }
    .ladder li { display: flex; align-items: center; gap: 0.5rem; }
    .ladder .rung { min-width: 4rem; }
    .summary { border-left: 4px solid var(--cs-danger); background: var(--cs-danger-bg); padding: 0.4rem 0.75rem; margin: 0 0 0.75rem; }
    .summary p { margin: 0.2rem 0; }
    .valid { border-left: 4px solid var(--cs-ok); background: var(--cs-ok-bg); padding: 0.4rem 0.75rem; margin: 0 0 0.75rem; }
    code { font-size: 0.85em; }
    @container (max-width: 560px) {
      .row.headers { display: none; }
      .array-row, .param-row, .fault-row { grid-template-columns: 1fr 1fr; border-top: 1px solid var(--cs-border); padding-top: 0.5rem; }
      .row .field > label.column { position: static; width: auto; height: auto; overflow: visible; clip-path: none; }
      .budget { grid-template-columns: 1fr; }
    }
  `;

  /** The scenario as JSON, possibly invalid; the editor shows it and never changes it in place. */
  @property({ attribute: false }) scenario: unknown = {};

  /** The validator's issues for `scenario`, each shown beside the field its path names. */
  @property({ attribute: false }) issues: readonly ScenarioIssue[] = [];

  /** Why a valid scenario has no plan, shown beside the field its path names. */
  @property({ attribute: false }) planError: PlanError | undefined;

  /** Text as typed, by path, where it differs from how the value would be written back. */
  @state() private _drafts = new Map<string, string>();

  /** The last scenario this editor fired: any other value set from outside drops the drafts. */
  private _emitted: unknown;

  /** Fields rendered in the current pass; issues at none of them go to the summary. */
  private _fields: string[] = [];

  /** The caching settings left when the model was switched to exact: switching back brings them back. */
  private _cachingSettings: Record<string, unknown> | undefined;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('scenario') && this.scenario !== this._emitted) {
      this._drafts = new Map();
      this._cachingSettings = undefined;
    }
  }

  override render() {
    this._fields = [];
    const body = html`
      ${this.#renderScenarioFields()} ${this.#renderDevice()} ${this.#renderArrays()} ${this.#renderPlanner()} ${this.#renderAllocator()}
      ${this.#renderKernel()} ${this.#renderRecovery()} ${this.#renderFaults()}
    `;
    // The summary is rendered after the fields so it knows which issues they showed.
    return html`${this.#renderSummary()}${body}`;
  }

  #renderSummary() {
    const count = this.issues.length;
    if (count === 0) {
      return html`<p class="valid" role="status" data-testid="scenario-valid">The scenario is valid.</p>`;
    }
    const unplaced = this.issues.filter((issue) => !this._fields.some((field) => isWithin(issue.path, field)));
    return html`
      <div class="summary" role="alert" data-testid="scenario-issues">
        <p><strong>${count} ${count === 1 ? 'problem' : 'problems'}</strong> in the scenario; fix ${count === 1 ? 'it' : 'them'} to plan and run. Each is shown beside its field.</p>
        ${unplaced.map((issue) => html`<p class="issue"><code>${issue.path || '(scenario)'}</code>: ${issue.message}</p>`)}
      </div>
    `;
  }

  #renderScenarioFields() {
    return html`
      <fieldset>
        <legend>Batch</legend>
        <div class="fields">
          ${this.#textField(['name'], 'name', { hint: 'shown in the header and in exports' })}
          ${this.#numberField(['runs'], 'runs', { hint: 'independent units of the batch' })}
          ${this.#numberField(['seed'], 'seed', { hint: 'for the kernel’s inputs', optional: true, placeholder: '1' })}
        </div>
      </fieldset>
    `;
  }

  #renderDevice() {
    const budgetPath = ['device', 'budgetBytes'];
    const key = pathText(budgetPath);
    this._fields.push(key);
    const value = getAt(this.scenario, budgetPath);
    const budget = typeof value === 'number' ? value : kDefaultBudget;
    const draft = this._drafts.get(key);
    const text = draft ?? (typeof value === 'number' && Number.isSafeInteger(value) ? exactByteText(value) : valueText(value));
    const step = nearestBudgetStep(budget);
    const invalid = this.#issuesAt(key).length > 0;
    return html`
      <fieldset>
        <legend>Device</legend>
        <div class="field wide">
          <span class="label" id="budget-label">budget (device memory the job may hold at once)</span>
          <div class="budget">
            <input
              type="range"
              id="budget-slider"
              aria-labelledby="budget-label"
              aria-describedby="budget-readout"
              min="0"
              max=${kBudgetSteps.length - 1}
              .value=${String(step)}
              aria-valuetext=${formatBytes(kBudgetSteps[step])}
              @input=${(e: Event) => this.#onBudgetSlider(e)}
            />
            <input
              id="budget"
              aria-label="budget, exact"
              aria-describedby="budget-readout budget-issues"
              aria-invalid=${invalid ? 'true' : 'false'}
              .value=${text}
              @input=${(e: Event) => this.#onBudgetText(e)}
              @change=${() => this.#dropDraft(key)}
            />
          </div>
          <span class="hint" id="budget-readout" data-testid="budget-readout">
            ${typeof value === 'number' ? `${formatBytes(value)} = ${formatCount(value)} B` : nothing} · type bytes or a unit: 8 MiB, 1.5 GiB
          </span>
          <div id="budget-issues">${this.#renderIssues(key)}</div>
        </div>
        <div class="fields">
          ${kLimitNames.map((name) =>
            name === 'maxComputeWorkgroupsPerDimension'
              ? this.#numberField(['device', 'limits', name], name, {
                  optional: true,
                  placeholder: String(kDefaultLimits[name]),
                  hint: `default ${formatCount(kDefaultLimits[name])}`,
                })
              : this.#bytesField(['device', 'limits', name], name, `default ${exactByteText(kDefaultLimits[name])}`, exactByteText(kDefaultLimits[name])),
          )}
        </div>
      </fieldset>
    `;
  }

  #renderPlanner() {
    const headroom = getAt(this.scenario, ['planner', 'headroom']);
    return html`
      <fieldset>
        <legend>Planner</legend>
        <div class="fields">
          ${this.#numberField(['planner', 'headroom'], 'headroom', {
            optional: true,
            placeholder: '0',
            hint: typeof headroom === 'number' && headroom > 0 ? `keeps ${+(headroom * 100).toFixed(2)}% of the budget free` : 'fraction of the budget kept free, 0 to below 1',
          })}
          ${this.#selectField(['planner', 'bufferSets'], 'buffer sets', ['1', '2'], {
            hint: '2 holds two chunks at once (double buffering)',
            toValue: Number,
            fallback: '1',
          })}
          ${this.#selectField(['planner', 'reuseBuffers'], 'reuse buffers', ['true', 'false'], {
            hint: 'false allocates each chunk’s buffers for that chunk and frees them after it, as naive batched code does',
            toValue: (text) => text === 'true',
            fallback: String(kDefaultReuseBuffers),
          })}
        </div>
      </fieldset>
    `;
  }

  #renderAllocator() {
    const allocator = getAt(this.scenario, ['allocator']);
    const model = isJsonObject(allocator) ? allocator.model : undefined;
    this._fields.push('allocator');
    const current = typeof model === 'string' ? model : kAllocatorModels[0];
    const known = (kAllocatorModels as readonly string[]).includes(current);
    return html`
      <fieldset>
        <legend>Allocator</legend>
        ${this.#renderExactIssues('allocator')}
        <div class="fields">
          ${this.#field('allocator.model', 'allocator model', { hint: current === 'caching' ? 'PyTorch’s caching allocator: blocks carved from segments, freed blocks stay reserved' : 'exact: one buffer per array buffer, nothing cached' }, (id, describedBy, invalid) => html`
            <select id=${id} aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : 'false'} data-testid="allocator-model"
              @change=${(e: Event) => this.#onAllocatorModel((e.target as HTMLSelectElement).value)}>
              ${known ? nothing : html`<option value="" selected disabled>${current}</option>`}
              ${kAllocatorModels.map((m) => html`<option value=${m} ?selected=${m === current}>${m}</option>`)}
            </select>
          `)}
          ${current === 'caching'
            ? html`
                ${this.#bytesField(['allocator', 'roundBytes'], 'round requests to', `default ${exactByteText(kCachingDefaults.roundBytes)}`, exactByteText(kCachingDefaults.roundBytes))}
                ${this.#bytesField(['allocator', 'smallSizeBytes'], 'small requests up to', `default ${exactByteText(kCachingDefaults.smallSizeBytes)}`, exactByteText(kCachingDefaults.smallSizeBytes))}
                ${this.#bytesField(['allocator', 'smallSegmentBytes'], 'small segment', `default ${exactByteText(kCachingDefaults.smallSegmentBytes)}`, exactByteText(kCachingDefaults.smallSegmentBytes))}
                ${this.#bytesField(['allocator', 'largeSegmentRoundBytes'], 'large segments round to', `default ${exactByteText(kCachingDefaults.largeSegmentRoundBytes)}`, exactByteText(kCachingDefaults.largeSegmentRoundBytes))}
                ${this.#selectField(['allocator', 'emptyCacheOnOom'], 'empty the cache and retry on OOM', ['true', 'false'], {
                  toValue: (text) => text === 'true',
                  fallback: String(kCachingDefaults.emptyCacheOnOom),
                })}
              `
            : nothing}
        </div>
      </fieldset>
    `;
  }

  #renderArrays() {
    const arrays = getAt(this.scenario, ['arrays']);
    const list = Array.isArray(arrays) ? arrays : [];
    this._fields.push('arrays');
    return html`
      <fieldset>
        <legend>Arrays</legend>
        <p class="hint">Write <code>runs</code> in a shape for its chunk axis; an array without it is a fixed array, allocated once, whole.</p>
        ${this.#renderExactIssues('arrays')}
        <div class="rows" role="list" aria-label="arrays">
          <div class="row array-row headers" aria-hidden="true"><span>name</span><span>role</span><span>dtype</span><span>shape</span><span></span></div>
          ${list.map((_, i) => this.#renderArrayRow(i))}
        </div>
        <p><button type="button" @click=${this.#onAddArray}>Add array</button></p>
      </fieldset>
    `;
  }

  #renderArrayRow(i: number) {
    const base: JsonPath = ['arrays', i];
    const rowKey = pathText(base);
    this._fields.push(rowKey);
    const name = getAt(this.scenario, [...base, 'name']);
    // Named by its path, as every issue is: "arrays[0] (state)".
    const who = typeof name === 'string' && name ? `arrays[${i}] (${name})` : `arrays[${i}]`;
    return html`
      <div class="row array-row" role="listitem" data-testid="array-row">
        ${this.#textField([...base, 'name'], `name of ${who}`, { column: 'name' })}
        ${this.#selectField([...base, 'role'], `role of ${who}`, kRoles, { column: 'role' })}
        ${this.#selectField([...base, 'dtype'], `dtype of ${who}`, kDtypeNames, { column: 'dtype' })}
        ${this.#shapeField([...base, 'shape'], `shape of ${who}`)}
        <div class="field">
          <button type="button" aria-label=${`remove ${who}`} title="remove this array" @click=${() => this.#onRemoveAt(['arrays'], i)}>Remove</button>
        </div>
        <div class="row-issues">${this.#renderExactIssues(rowKey)}</div>
      </div>
    `;
  }

  #renderKernel() {
    const kernel = getAt(this.scenario, ['kernel']);
    this._fields.push('kernel');
    const params = isJsonObject(kernel) ? Object.keys(kernel).filter((k) => k !== 'name') : [];
    return html`
      <fieldset>
        <legend>Kernel</legend>
        ${this.#renderExactIssues('kernel')}
        <div class="fields">
          ${this.#textField(['kernel', 'name'], 'kernel name', { hint: 'the WGSL kernel each chunk runs', removeWhenEmpty: true })}
        </div>
        <div class="rows" role="list" aria-label="kernel parameters">
          ${params.length ? html`<div class="row param-row headers" aria-hidden="true"><span>parameter</span><span>value</span><span></span></div>` : nothing}
          ${params.map((param, i) => this.#renderParamRow(param, i))}
        </div>
        <p><button type="button" @click=${this.#onAddParam}>Add parameter</button></p>
      </fieldset>
    `;
  }

  #renderParamRow(param: string, i: number) {
    const path: JsonPath = ['kernel', param];
    const key = pathText(path);
    this._fields.push(key);
    const draftKey = `kernel:param:${i}`;
    const nameText = this._drafts.get(draftKey) ?? param;
    return html`
      <div class="row param-row" role="listitem">
        <div class="field">
          <label class="column" for=${`param-name-${i}`}>parameter</label>
          <input id=${`param-name-${i}`} aria-label=${`name of kernel parameter ${i + 1}`} .value=${nameText} @change=${(e: Event) => this.#onRenameParam(param, (e.target as HTMLInputElement).value, draftKey)}
            @input=${(e: Event) => this.#setDraft(draftKey, (e.target as HTMLInputElement).value)} />
        </div>
        ${this.#numberField(path, `value of ${param}`, { column: 'value' })}
        <div class="field">
          <button type="button" aria-label=${`remove parameter ${param}`} @click=${() => this.#onRemoveParam(param)}>Remove</button>
        </div>
      </div>
    `;
  }

  #renderRecovery() {
    const raw = getAt(this.scenario, ['recovery', 'ladder']);
    const ladder = Array.isArray(raw) ? (raw as unknown[]) : [...kFallbacks];
    const off = kFallbacks.filter((f) => !ladder.includes(f));
    this._fields.push('recovery.ladder');
    return html`
      <fieldset>
        <legend>Recovery ladder</legend>
        <p class="hint">Fallbacks taken in order after a fault: shrink the chunk, store in f16, run on the CPU.</p>
        ${this.#renderIssues('recovery.ladder')}
        <ol class="ladder" aria-label="recovery ladder, in order">
          ${ladder.map(
            (rung, i) => html`<li>
              <span class="rung"><strong>${i + 1}.</strong> ${String(rung)}</span>
              <button type="button" aria-label=${`move ${String(rung)} earlier`} ?disabled=${i === 0} @click=${() => this.#onMoveRung(ladder, i, -1)}>↑</button>
              <button type="button" aria-label=${`move ${String(rung)} later`} ?disabled=${i === ladder.length - 1} @click=${() => this.#onMoveRung(ladder, i, 1)}>↓</button>
              <button type="button" aria-label=${`take ${String(rung)} off the ladder`} @click=${() => this.#onSetLadder(ladder.filter((_, j) => j !== i))}>Remove</button>
            </li>`,
          )}
        </ol>
        ${ladder.length === 0 ? html`<p class="hint">Empty ladder: the first fault ends the run.</p>` : nothing}
        ${off.length
          ? html`<p>${off.map((f) => html`<button type="button" @click=${() => this.#onSetLadder([...ladder, f])}>Add ${f}</button> `)}</p>`
          : nothing}
        <div class="fields">
          ${this.#numberField(['recovery', 'shrink'], 'shrink factor', { optional: true, placeholder: '0.5', hint: 'chunkLength is multiplied by this on shrink' })}
          ${this.#numberField(['recovery', 'maxAttempts'], 'max attempts', { optional: true, placeholder: '8', hint: 'fallbacks tried before giving up' })}
        </div>
      </fieldset>
    `;
  }

  #renderFaults() {
    const raw = getAt(this.scenario, ['faults']);
    const faults = Array.isArray(raw) ? raw : [];
    this._fields.push('faults');
    return html`
      <fieldset>
        <legend>Injected faults</legend>
        <p class="hint">Faults the engine raises on purpose, to reproduce an allocation bug or watch a fallback.</p>
        ${this.#renderExactIssues('faults')}
        <div class="rows" role="list" aria-label="injected faults">
          ${faults.length === 0 ? html`<p class="hint">No faults: the run goes as planned.</p>` : nothing}
          ${faults.map((fault, i) => this.#renderFaultRow(fault, i))}
        </div>
        <p><button type="button" @click=${this.#onAddFault}>Add fault</button></p>
      </fieldset>
    `;
  }

  #renderFaultRow(fault: unknown, i: number) {
    const base: JsonPath = ['faults', i];
    const rowKey = pathText(base);
    this._fields.push(rowKey);
    const record = isJsonObject(fault) ? fault : {};
    const kind = (kFaultKinds as readonly unknown[]).includes(record.kind) ? (record.kind as (typeof kFaultKinds)[number]) : 'out-of-memory';
    const triggers = kFaultTriggers[kind];
    const trigger = triggers.find((t) => record[t] !== undefined) ?? triggers[0];
    const who = `faults[${i}]`;
    return html`
      <div class="row fault-row" role="listitem" data-testid="fault-row">
        <div class="field">
          <label for=${`fault-kind-${i}`}>kind</label>
          <select id=${`fault-kind-${i}`} aria-label=${`kind of ${who}`} @change=${(e: Event) => this.#onFaultKind(i, (e.target as HTMLSelectElement).value as (typeof kFaultKinds)[number])}>
            ${kFaultKinds.map((k) => html`<option value=${k} ?selected=${k === kind}>${k}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for=${`fault-trigger-${i}`}>when</label>
          <select id=${`fault-trigger-${i}`} aria-label=${`when ${who} strikes`} ?disabled=${triggers.length === 1} @change=${(e: Event) => this.#onFaultTrigger(i, trigger, (e.target as HTMLSelectElement).value)}>
            ${triggers.map((t) => html`<option value=${t} ?selected=${t === trigger}>${kTriggerWords[t]}</option>`)}
          </select>
        </div>
        ${this.#numberField([...base, trigger], `${kTriggerWords[trigger]} (${who})`, { visibleLabel: 'number' })}
        ${kind === 'device-lost'
          ? html`<div class="field">
              <label for=${`fault-repeat-${i}`}>repeat</label>
              <input type="checkbox" id=${`fault-repeat-${i}`} aria-label=${`lose every new device too (${who})`} .checked=${record.repeat === true}
                @change=${(e: Event) => this.#edit([...base, 'repeat'], (e.target as HTMLInputElement).checked || undefined)} />
            </div>`
          : html`<span></span>`}
        <div class="field">
          <button type="button" aria-label=${`remove ${who}`} @click=${() => this.#onRemoveAt(['faults'], i)}>Remove</button>
        </div>
        <div class="row-issues">${this.#renderExactIssues(rowKey)}</div>
      </div>
    `;
  }

  // ---- field builders -------------------------------------------------------------

  #textField(path: JsonPath, label: string, options: { hint?: string; column?: string; removeWhenEmpty?: boolean } = {}) {
    const key = pathText(path);
    return this.#field(key, label, options, (id, describedBy, invalid, name) => html`
      <input id=${id} aria-label=${name ?? nothing} aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : 'false'}
        .value=${this._drafts.get(key) ?? valueText(getAt(this.scenario, path))}
        @input=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          this.#edit(path, text === '' && options.removeWhenEmpty ? undefined : text, { key, text });
        }}
        @change=${() => this.#dropDraft(key)} />
    `);
  }

  #numberField(
    path: JsonPath,
    label: string,
    options: { hint?: string; column?: string; optional?: boolean; placeholder?: string; visibleLabel?: string } = {},
  ) {
    const key = pathText(path);
    return this.#field(key, label, options, (id, describedBy, invalid, name) => html`
      <input id=${id} aria-label=${name ?? nothing} inputmode="decimal" aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : 'false'}
        placeholder=${options.placeholder ?? nothing}
        .value=${this._drafts.get(key) ?? valueText(getAt(this.scenario, path))}
        @input=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          const value = numberOrText(text);
          this.#edit(path, value === '' && options.optional ? undefined : value, { key, text });
        }}
        @change=${() => this.#dropDraft(key)} />
    `);
  }

  /** An optional byte count typed with or without a unit (`128 MiB`); empty means the default. */
  #bytesField(path: JsonPath, label: string, hint: string, placeholder: string) {
    const key = pathText(path);
    const value = getAt(this.scenario, path);
    const shown = typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? exactByteText(value) : valueText(value);
    return this.#field(key, label, { hint }, (id, describedBy, invalid, name) => html`
      <input id=${id} aria-label=${name ?? nothing} aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : 'false'}
        placeholder=${placeholder}
        .value=${this._drafts.get(key) ?? shown}
        @input=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          this.#edit(path, text.trim() === '' ? undefined : (parseByteText(text) ?? text), { key, text });
        }}
        @change=${() => this.#dropDraft(key)} />
    `);
  }

  #shapeField(path: JsonPath, label: string) {
    const key = pathText(path);
    return this.#field(key, label, { column: 'shape' }, (id, describedBy, invalid, name) => html`
      <input id=${id} aria-label=${name ?? nothing} aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : 'false'} placeholder="e.g. 3, runs"
        .value=${this._drafts.get(key) ?? shapeText(getAt(this.scenario, path))}
        @input=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          this.#edit(path, parseShape(text), { key, text });
        }}
        @change=${() => this.#dropDraft(key)} />
    `);
  }

  #selectField(
    path: JsonPath,
    label: string,
    choices: readonly string[],
    options: { hint?: string; column?: string; toValue?: (text: string) => unknown; fallback?: string } = {},
  ) {
    const key = pathText(path);
    const current = valueText(getAt(this.scenario, path)) || options.fallback || '';
    return this.#field(key, label, options, (id, describedBy, invalid, name) => html`
      <select id=${id} aria-label=${name ?? nothing} aria-describedby=${describedBy} aria-invalid=${invalid ? 'true' : 'false'}
        @change=${(e: Event) => {
          const text = (e.target as HTMLSelectElement).value;
          this.#edit(path, options.toValue ? options.toValue(text) : text);
        }}>
        ${choices.includes(current) ? nothing : html`<option value="" selected disabled>${current || 'choose'}</option>`}
        ${choices.map((c) => html`<option value=${c} ?selected=${c === current}>${c}</option>`)}
      </select>
    `);
  }

  /** A labelled control with its hint and the issues at its path, tied together for screen readers. */
  #field(
    key: string,
    label: string,
    options: { hint?: string; column?: string; visibleLabel?: string },
    control: (id: string, describedBy: string, invalid: boolean, name: string | undefined) => TemplateResult,
  ) {
    this._fields.push(key);
    const id = `f-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    const issues = this.#issuesAt(key);
    const planProblem = this.planError?.path === key;
    // In a row the visible label is the column's word; the control still gets its full name.
    const short = options.visibleLabel ?? options.column;
    return html`
      <div class="field">
        <label for=${id} class=${options.column ? 'column' : ''}>${short ?? label}</label>
        ${control(id, `${id}-hint ${id}-issues`, issues.length > 0, short === undefined ? undefined : label)}
        ${options.hint ? html`<span class="hint" id=${`${id}-hint`}>${options.hint}</span>` : nothing}
        <div id=${`${id}-issues`} data-issues-for=${key}>
          ${issues.map((issue) => html`<p class="issue">${issue.message}</p>`)}
          ${planProblem ? html`<p class="plan-problem">${this.planError!.message}</p>` : nothing}
        </div>
      </div>
    `;
  }

  #issuesAt(key: string): ScenarioIssue[] {
    return this.issues.filter((issue) => isWithin(issue.path, key));
  }

  #renderIssues(key: string) {
    const planProblem = this.planError?.path === key;
    return html`<div data-issues-for=${key}>
      ${this.#issuesAt(key).map((issue) => html`<p class="issue">${issue.message}</p>`)}
      ${planProblem ? html`<p class="plan-problem">${this.planError!.message}</p>` : nothing}
    </div>`;
  }

  /** Issues at exactly `key` (a row or list), leaving those inside it to their fields. */
  #renderExactIssues(key: string) {
    const issues = this.issues.filter((issue) => issue.path === key);
    const planProblem = this.planError?.path === key;
    if (!issues.length && !planProblem) return nothing;
    return html`<div data-issues-for=${key}>
      ${issues.map((issue) => html`<p class="issue">${issue.message}</p>`)}
      ${planProblem ? html`<p class="plan-problem">${this.planError!.message}</p>` : nothing}
    </div>`;
  }

  // ---- handlers -------------------------------------------------------------------

  /** Applies one edit and tells the owner; `draft` keeps the text as typed at its field. */
  #edit(path: JsonPath, value: unknown, draft?: { key: string; text: string }) {
    if (draft) {
      const drafts = new Map(this._drafts);
      drafts.set(draft.key, draft.text);
      this._drafts = drafts;
    }
    this.#emit(setAt(this.scenario, path, value));
  }

  /** A structural edit (rows added, removed, renamed): drafts keyed by position would now be wrong. */
  #restructure(scenario: unknown) {
    this._drafts = new Map();
    this.#emit(scenario);
  }

  #emit(scenario: unknown) {
    this._emitted = scenario;
    this.dispatchEvent(new CustomEvent<ScenarioChangedDetail>('scenario-changed', { detail: { scenario }, bubbles: true, composed: true }));
  }

  #setDraft(key: string, text: string) {
    const drafts = new Map(this._drafts);
    drafts.set(key, text);
    this._drafts = drafts;
  }

  #dropDraft(key: string) {
    if (!this._drafts.has(key)) return;
    const drafts = new Map(this._drafts);
    drafts.delete(key);
    this._drafts = drafts;
  }

  #onBudgetSlider(e: Event) {
    const bytes = kBudgetSteps[Number((e.target as HTMLInputElement).value)];
    this.#dropDraft('device.budgetBytes');
    this.#edit(['device', 'budgetBytes'], bytes);
  }

  #onBudgetText(e: Event) {
    const text = (e.target as HTMLInputElement).value;
    // A count the text names; else the text itself, so the validator says it is not a number.
    this.#edit(['device', 'budgetBytes'], parseByteText(text) ?? (text.trim() === '' ? '' : text), { key: 'device.budgetBytes', text });
  }

  /** Each model has its own settings (exact has none): switching keeps the caching ones aside, to bring back. */
  #onAllocatorModel(model: string) {
    const allocator = getAt(this.scenario, ['allocator']);
    if (isJsonObject(allocator) && allocator.model === 'caching') this._cachingSettings = allocator;
    const next = model === 'caching' ? (this._cachingSettings ?? { model }) : { model };
    this.#restructure(setAt(this.scenario, ['allocator'], next));
  }

  #onAddArray() {
    const arrays = getAt(this.scenario, ['arrays']);
    const list = Array.isArray(arrays) ? arrays : [];
    const taken = new Set(list.map((a) => (isJsonObject(a) ? a.name : undefined)));
    let n = list.length + 1;
    while (taken.has(`array_${n}`)) n++;
    this.#restructure(setAt(this.scenario, ['arrays'], [...list, { name: `array_${n}`, role: 'input', dtype: 'f32', shape: [1, kRunsAxis] }]));
  }

  #onRemoveAt(listPath: JsonPath, index: number) {
    const list = getAt(this.scenario, listPath);
    if (!Array.isArray(list)) return;
    this.#restructure(setAt(this.scenario, listPath, list.filter((_, i) => i !== index)));
  }

  #onAddParam() {
    const kernel = getAt(this.scenario, ['kernel']);
    const record = isJsonObject(kernel) ? kernel : { name: '' };
    let n = Object.keys(record).length;
    while (`param${n}` in record) n++;
    this.#restructure(setAt(this.scenario, ['kernel'], { ...record, [`param${n}`]: 0 }));
  }

  #onRenameParam(from: string, to: string, draftKey: string) {
    const kernel = getAt(this.scenario, ['kernel']);
    if (!isJsonObject(kernel) || to === from) return this.#dropDraft(draftKey);
    // Rebuild the object so the renamed parameter keeps its place.
    const renamed = Object.fromEntries(Object.entries(kernel).map(([k, v]) => [k === from ? to : k, v]));
    this.#restructure(setAt(this.scenario, ['kernel'], renamed));
  }

  #onRemoveParam(param: string) {
    const kernel = getAt(this.scenario, ['kernel']);
    if (!isJsonObject(kernel)) return;
    const rest = Object.fromEntries(Object.entries(kernel).filter(([k]) => k !== param));
    this.#restructure(setAt(this.scenario, ['kernel'], rest));
  }

  #onMoveRung(ladder: unknown[], i: number, by: -1 | 1) {
    const next = [...ladder];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    this.#onSetLadder(next);
  }

  #onSetLadder(ladder: unknown[]) {
    this.#restructure(setAt(this.scenario, ['recovery', 'ladder'], ladder));
  }

  #onAddFault() {
    const faults = getAt(this.scenario, ['faults']);
    const list = Array.isArray(faults) ? faults : [];
    this.#restructure(setAt(this.scenario, ['faults'], [...list, { kind: 'out-of-memory', onAllocation: 3 }]));
  }

  #onFaultKind(i: number, kind: (typeof kFaultKinds)[number]) {
    const trigger = kFaultTriggers[kind][0];
    const fault = kind === 'device-lost' ? { kind, [trigger]: 1 } : { kind, [trigger]: 3 };
    this.#restructure(setAt(this.scenario, ['faults', i], fault));
  }

  #onFaultTrigger(i: number, from: string, to: string) {
    const fault = getAt(this.scenario, ['faults', i]);
    if (!isJsonObject(fault)) return;
    const { [from]: value, ...rest } = fault;
    this.#restructure(setAt(this.scenario, ['faults', i], { ...rest, [to]: value ?? 1 }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'scenario-editor': ScenarioEditor;
  }
  interface HTMLElementEventMap {
    'scenario-changed': CustomEvent<ScenarioChangedDetail>;
  }
}
