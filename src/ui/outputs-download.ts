import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { formatBytes, formatCount } from '../core/units.ts';
import type { OutputsOffer } from '../worker/simulator-api.ts';
import type { SimulatorClient } from '../worker/simulator-client.ts';
import { kButtonStyles } from './theme.ts';
import { downloadBlob, fileStem } from './file-download.ts';

/** How the run ended, for a run cut short. */
const kEndWords: Record<Extract<OutputsOffer, { kept: true }>['status'], string> = {
  ok: '',
  'ladder-exhausted': ' (the recovery ladder gave up)',
  cancelled: ' (stopped early)',
  error: ' (stopped by an error)',
};

/** What the manifest says of the finished runs' verification. */
const kVerifiedWords: Record<Extract<OutputsOffer, { kept: true }>['verified'], string> = {
  passed: 'each verified as it landed: passed',
  failed: 'each verified as it landed: FAILED',
  'not verified': 'not verified',
};

/**
 * `<outputs-download>`: "Download finished runs" — the `.npy` files and `manifest.json`
 * of the last run (or soak cycle) as one `.zip` named after its scenario, the files
 * `chunkscope run --outputs DIR` writes. It says what is kept, is disabled with the
 * reason when nothing is, and says so when the scenario changed since.
 */
@customElement('outputs-download')
export class OutputsDownload extends LitElement {
  static override styles = [
    kButtonStyles,
    css`
      :host { display: block; margin: 0.6rem 0; }
      .row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3rem 0.8rem; }
      button[aria-disabled='true'] { opacity: 0.6; cursor: not-allowed; }
      p { margin: 0; font-size: 0.88rem; overflow-wrap: anywhere; flex: 1 1 16rem; }
      .what { color: var(--cs-muted); }
      code { white-space: nowrap; font-size: 0.85rem; }
      .stale { color: var(--cs-warn-text); font-weight: 600; }
      .saved { color: var(--cs-ok); }
      .problem { color: var(--cs-danger); }
    `,
  ];

  /** What the worker kept of the last run, or why nothing; undefined when there is no run to speak of. */
  @property({ attribute: false }) offer: OutputsOffer | undefined;
  /** Why there is nothing to download when there is no offer (no run yet, a replay, a run in flight). */
  @property() unavailable: string | undefined;
  /** The scenario changed since this run: the files are those of the earlier one. */
  @property({ type: Boolean }) stale = false;
  /** The scenario the run ran, named in the file. */
  @property() scenarioName = '';
  /** Whose runs these are, for the sentence: the run's or the soak's last cycle's. */
  @property() source: 'run' | 'soak' = 'run';
  /** The worker that holds the files. */
  @property({ attribute: false }) client: SimulatorClient | undefined;

  @state() private _busy = false;
  /** The outcome of the last click, for the offer it was made for. */
  @state() private _said: { offer: OutputsOffer; text: string; ok: boolean } | undefined;

  override render() {
    const why = this._whyNot();
    const said = this._said?.offer === this.offer ? this._said : undefined;
    return html`<div class="row">
        <button type="button" data-testid="download-outputs" aria-disabled=${why !== undefined || this._busy ? 'true' : 'false'}
          aria-describedby="outputs-what" @click=${this._onDownload}>${this._busy ? 'Zipping…' : 'Download finished runs'}</button>
        <p id="outputs-what" class="what" data-testid="outputs-what">${why ?? this._whatIsKept()}</p>
      </div>
      ${this.stale && this.offer?.kept
        ? html`<p class="stale" data-testid="outputs-stale">From an earlier scenario: these are the finished runs of “${this.scenarioName}”, not of the scenario as edited now.</p>`
        : nothing}
      <p role="status" class=${said?.ok ? 'saved' : 'problem'} data-testid="outputs-saved">${said?.text ?? ''}</p>`;
  }

  /** Why the button does nothing now, or undefined when it downloads. */
  private _whyNot(): string | undefined {
    const offer = this.offer;
    if (!offer) return this.unavailable ?? 'Nothing to download yet: run the scenario first.';
    if (!offer.kept) return offer.reason;
    if (offer.runsFinished === 0) return `Nothing to download: no run finished${kEndWords[offer.status]}.`;
    return undefined;
  }

  private _whatIsKept() {
    const offer = this.offer as Extract<OutputsOffer, { kept: true }>;
    const arrays = offer.files.filter((f) => f.name.endsWith('.npy')).length;
    const bytes = offer.files.reduce((sum, f) => sum + f.bytes, 0);
    const whose = this.source === 'soak' ? 'The last cycle: ' : '';
    return html`${whose}${formatCount(offer.runsFinished)} of ${formatCount(offer.runs)} runs finished${kEndWords[offer.status]}, ${kVerifiedWords[offer.verified]}. ${arrays} .npy ${arrays === 1 ? 'file' : 'files'} and manifest.json, ${formatBytes(bytes)}, as <code>chunkscope run --outputs</code> writes them.`;
  }

  private async _onDownload() {
    const offer = this.offer;
    if (this._busy || this._whyNot() !== undefined || !offer?.kept || !this.client) return;
    const fileName = `${fileStem(this.scenarioName, 'scenario')}-outputs.zip`;
    this._busy = true;
    try {
      const zip = await this.client.outputsZip(offer.id);
      if (!zip) {
        this._said = { offer, ok: false, text: 'These finished runs are no longer kept: a later run replaced them.' };
        return;
      }
      downloadBlob(fileName, new Blob([zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
      this._said = { offer, ok: true, text: `Saved ${fileName} (${formatBytes(zip.byteLength)}).` };
    } catch (error) {
      this._said = { offer, ok: false, text: `The download failed: ${(error as Error).message}` };
    } finally {
      this._busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'outputs-download': OutputsDownload;
  }
}
