/**
 * `<device-info-panel>`: the WebGPU adapter the simulator worker sees — its name,
 * the limits the planner cares about, every other limit, and its features.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBytes, formatCount } from '../core/units.ts';
import type { DeviceInfo } from '../worker/simulator-api.ts';

@customElement('device-info-panel')
export class DeviceInfoPanel extends LitElement {
  static override styles = css`
    :host { display: block; container-type: inline-size; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
    dt { color: var(--cs-muted); }
    dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    dt { overflow-wrap: anywhere; }
    @container (max-width: 480px) {
      /* Limit names are long: give each its own line rather than squeeze the values. */
      dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
      dd { margin: 0 0 0.4rem 0.75rem; }
    }
    h3 { font-size: 0.95rem; margin: 0.75rem 0 0.3rem; }
    .features { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem; }
    .features li { font-family: ui-monospace, monospace; font-size: 0.75rem; background: var(--cs-surface); border: 1px solid var(--cs-border); border-radius: 3px; padding: 0.05rem 0.35rem; }
    .unavailable { border-left: 4px solid var(--cs-danger); padding: 0.5rem 0.75rem; background: var(--cs-danger-bg); }
  `;

  /** What the worker reported; undefined while it is asking. */
  @property({ attribute: false }) info: DeviceInfo | undefined;

  /** Why the worker could not be asked, if it could not. */
  @property() failure: string | undefined;

  override render() {
    if (this.failure) return html`<h2>Device</h2><p class="unavailable" role="alert">${this.failure}</p>`;
    const info = this.info;
    if (!info) return html`<h2>Device</h2><p role="status">Asking the worker for a WebGPU adapter…</p>`;
    if (!info.available) {
      return html`<h2>Device</h2><p class="unavailable" role="alert" data-testid="device-unavailable">No WebGPU adapter: ${info.reason}</p>`;
    }
    const name = [info.adapter.vendor, info.adapter.architecture, info.adapter.device, info.adapter.description]
      .filter((part) => typeof part === 'string' && part !== '')
      .join(' · ');
    return html`
      <h2>Device</h2>
      <dl data-testid="device-info">
        <dt>adapter</dt>
        <dd data-testid="device-adapter">${name || 'unnamed adapter'}${info.adapter.isFallbackAdapter ? ' (fallback adapter)' : nothing}</dd>
        <dt>maxBufferSize</dt>
        <dd>${formatBytes(info.limits.maxBufferSize ?? 0)}</dd>
        <dt>maxStorageBufferBindingSize</dt>
        <dd>${formatBytes(info.limits.maxStorageBufferBindingSize ?? 0)}</dd>
        <dt>maxComputeWorkgroupsPerDimension</dt>
        <dd>${formatCount(info.limits.maxComputeWorkgroupsPerDimension ?? 0)}</dd>
      </dl>
      <h3 id="features-heading">features (${info.features.length})</h3>
      ${info.features.length
        ? html`<ul class="features" aria-labelledby="features-heading">${info.features.map((f) => html`<li>${f}</li>`)}</ul>`
        : html`<p>none</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'device-info-panel': DeviceInfoPanel;
  }
}
