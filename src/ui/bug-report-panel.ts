/**
 * `<bug-report-panel>`: copies a Markdown bug report — the scenario's link, the device,
 * the plan and the last run — to the clipboard. Where the clipboard is refused, the
 * block is shown in the page to be copied by hand.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { bugReportMarkdown, type BugReportInput } from '../core/bug-report.ts';

@customElement('bug-report-panel')
export class BugReportPanel extends LitElement {
  static override styles = css`
    :host { display: block; }
    h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
    .row { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; }
    p { margin: 0; color: var(--cs-muted); font-size: 0.9rem; }
    button { font: inherit; font-size: 0.9rem; padding: 0.2rem 0.6rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-surface); cursor: pointer; }
    button:focus-visible, textarea:focus-visible { outline: 2px solid var(--cs-accent); outline-offset: 1px; }
    .status { color: var(--cs-ok); min-height: 1.2em; margin-top: 0.4rem; overflow-wrap: anywhere; }
    label { display: block; margin: 0.5rem 0 0.25rem; font-size: 0.9rem; }
    textarea { box-sizing: border-box; width: 100%; min-height: 14rem; font: 0.8rem/1.35 ui-monospace, monospace; padding: 0.5rem; border: 1px solid var(--cs-border-strong); border-radius: 4px; background: var(--cs-surface); resize: vertical; }
  `;

  /**
   * Gathers the report's parts at the moment of the click: the link must be the one the
   * scenario has now, not the one it had at the last render.
   */
  @property({ attribute: false }) gather: (() => Promise<BugReportInput>) | undefined;

  /** Makes the report and copies it on each click; its states are what the status line says. */
  private readonly _copy = new Task(this, {
    autoRun: false,
    task: async (): Promise<{ markdown: string; copied: boolean }> => {
      const markdown = bugReportMarkdown(await this.gather!());
      try {
        await navigator.clipboard.writeText(markdown);
        return { markdown, copied: true };
      } catch {
        return { markdown, copied: false };
      }
    },
  });

  override render() {
    const shown = this._copy.status === TaskStatus.COMPLETE && !this._copy.value!.copied ? this._copy.value!.markdown : '';
    return html`
      <h2>Bug report</h2>
      <div class="row">
        <button type="button" data-testid="copy-bug-report" ?disabled=${!this.gather} @click=${this._onCopy}>Copy bug report</button>
        <p>Markdown with the link, the browser, the device, the plan and the last run, to paste into an issue.</p>
      </div>
      <p class="status" role="status" data-testid="bug-report-status">${this._copy.render({
        pending: () => 'Making the report…',
        complete: ({ markdown, copied }) =>
          copied ? `Bug report copied (${markdown.split('\n').length} lines of Markdown).` : 'The clipboard was refused: the report is below, to copy by hand.',
        error: (error) => `The report could not be made: ${(error as Error).message}`,
      })}</p>
      ${shown
        ? html`<label for="bug-report-text">Bug report (select all and copy)</label>
            <textarea id="bug-report-text" readonly data-testid="bug-report-text" .value=${shown}></textarea>`
        : ''}
    `;
  }

  private async _onCopy() {
    if (!this.gather) return;
    await this._copy.run();
    if (this._copy.value && !this._copy.value.copied) {
      await this.updateComplete;
      this.renderRoot.querySelector('textarea')?.select();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'bug-report-panel': BugReportPanel;
  }
}
