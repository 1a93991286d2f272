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
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
    dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
    dt { color: #57606a; }
    dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
    .unavailable { border-left: 4px solid #cf222e; padding: 0.5rem 0.75rem; background: #fff0f0; }
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
        <dt>features</dt>
        <dd>${info.features.length ? info.features.join(', ') : 'none'}</dd>
      </dl>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'device-info-panel': DeviceInfoPanel;
  }
}
