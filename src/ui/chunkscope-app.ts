/**
 * `<chunkscope-app>`: the root of the app. Owns the simulator worker and the scenario
 * being edited; hands the worker's answers down to the editor and the views.
 */
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { kPresets } from './presets.ts';
import { PlanController } from './plan-controller.ts';
import { RunController } from './run-controller.ts';
import { SimulatorController } from './simulator-controller.ts';
import { SoakController } from './soak-controller.ts';
import './soak-panel.ts';
import type { SoakRequestedDetail } from './soak-panel.ts';
import { ScenarioAddressController } from './scenario-address-controller.ts';
import { FileDropController } from './file-drop-controller.ts';
import { jsonFileKind } from './json-file-kind.ts';
import type { BugReportInput } from '../core/bug-report.ts';
import type { Plan } from '../core/planner.ts';
import './bug-report-panel.ts';
import { downloadText, fileStem } from './file-download.ts';
import type { ScenarioChangedDetail } from './scenario-editor.ts';
import type { PresetChosenDetail } from './preset-picker.ts';
import './device-info-panel.ts';
import './plan-view.ts';
import './preset-picker.ts';
import './event-log.ts';
import './memory-timeline.ts';
import './run-report.ts';
import './run-compare.ts';
import type { CompareSide } from './compare-rows.ts';
import type { EventHighlight } from './event-log.ts';
import type { RunReply, RunReportView, TraceReply } from '../worker/simulator-api.ts';
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
    /* Beside a long editor the plan stays in view; taller than the window, it scrolls on its own instead of hiding its end. */
    .results { position: sticky; top: 0.5rem; max-height: calc(100vh - 1rem); overflow-y: auto; }
    .editor-head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: baseline; justify-content: space-between; }
    .editor-head h2 { margin: 0; }
    .actions { display: flex; flex-wrap: wrap; gap: 0.4rem; }
    .actions button, .file-button { font: inherit; font-size: 0.9rem; padding: 0.2rem 0.6rem; border: 1px solid #8c959f; border-radius: 4px; background: #f6f8fa; cursor: pointer; }
    /* The file input stays focusable (keyboard users reach it) but is drawn as its label. */
    .file-button { position: relative; }
    .file-button input { position: absolute; inset: 0; opacity: 0; cursor: pointer; width: 100%; }
    .file-button:focus-within, .actions button:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
    .notice { min-height: 1.2em; margin: 0.25rem 0; color: #1a7f37; font-size: 0.9rem; overflow-wrap: anywhere; }
    .problem { border-left: 4px solid #cf222e; background: #fff0f0; padding: 0.4rem 0.75rem; margin: 0.25rem 0 0.75rem; }
    .run-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; }
    .run-bar h2 { margin: 0; }
    .run-button { font: inherit; font-weight: 600; padding: 0.35rem 1.2rem; border-radius: 6px; border: 1px solid #1a7f37; background: #1f883d; color: #fff; cursor: pointer; }
    .run-button:disabled { background: #eaeef2; border-color: #d0d7de; color: #57606a; cursor: not-allowed; }
    .run-bar button:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
    .cancel-button { font: inherit; padding: 0.3rem 0.9rem; border-radius: 6px; border: 1px solid #cf222e; background: #fff; color: #cf222e; cursor: pointer; }
    .progress { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.5rem; flex: 1 1 16rem; min-width: 0; }
    .progress progress { flex: 1 1 auto; min-width: 6rem; height: 1rem; }
    .progress span { font-variant-numeric: tabular-nums; font-size: 0.9rem; }
    .why-disabled { color: #57606a; font-size: 0.9rem; margin: 0; }
    .address-note { margin: 0 0 0.5rem; color: #57606a; font-size: 0.85rem; }
    .problem ul { margin: 0.25rem 0 0; padding-left: 1.2rem; }
    .problem li { margin: 0.15rem 0; overflow-wrap: anywhere; }
    .problem code { font-size: 0.85rem; }
    .problem li > code:first-child { font-weight: 600; }
    /* Drawn over the page while a file is dragged in; pointer-events stay with the page so the drop lands. */
    .drop-target { position: fixed; inset: 0.5rem; z-index: 10; pointer-events: none; display: grid; place-items: center; border: 3px dashed #0969da; border-radius: 10px; background: rgb(221 244 255 / 0.85); }
    .drop-target p { font-size: 1.2rem; font-weight: 600; color: #0a3069; background: #fff; padding: 0.75rem 1.25rem; border-radius: 6px; margin: 1rem; text-align: center; }
    .link-button { font: inherit; border: none; background: none; padding: 0; color: #0969da; text-decoration: underline; cursor: pointer; }
    .replay { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1rem; border-left: 4px solid #8250df; background: #fbefff; padding: 0.5rem 0.75rem; margin: 0 0 0.75rem; }
    .replay p { margin: 0; overflow-wrap: anywhere; flex: 1 1 18rem; }
    .replay button, .compare-head button { font: inherit; font-size: 0.9rem; padding: 0.2rem 0.6rem; border: 1px solid #8c959f; border-radius: 4px; background: #f6f8fa; cursor: pointer; }
    .replay button:focus-visible, .compare-head button:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
    .compare-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.4rem 1rem; margin-bottom: 0.5rem; }
    .compare-head h2 { margin: 0; }
    .compare-head p { margin: 0; color: #57606a; font-size: 0.9rem; flex: 1 1 16rem; }
    @media (max-width: 900px) {
      :host { padding: 0.5rem; }
      .layout { grid-template-columns: minmax(0, 1fr); }
      .results { position: static; max-height: none; overflow: visible; }
      section { padding: 0.75rem; }
    }
  `;

  /** The scenario as the user has it (JSON, possibly invalid): what is planned and shown. */
  @state() private _scenarioJson: unknown = kPresets[0].scenario;
  /** The preset the scenario came from, until the user edits it. */
  @state() private _presetId = kPresets[0].id;

  private readonly _simulator = new SimulatorController(this);
  private readonly _planner = new PlanController(this, this._simulator);
  private readonly _runner = new RunController(this, this._simulator);
  private readonly _soaker = new SoakController(this, this._simulator);
  /** The plan the run in flight follows, for its live timeline. */
  private _runPlan: Plan | undefined;
  /**
   * A trace file opened as a replay: shown instead of the last run until Run is pressed
   * or a run that was already in flight ends (`over` is the run reply it covers).
   */
  @state() private _replay: { file: string; reply: Extract<TraceReply, { ok: true }>; over: RunReply | undefined } | undefined;
  /** The side pinned as A for comparison. */
  @state() private _pin: CompareSide | undefined;
  /** The report shown when the scenario was last edited: from then on it no longer stands for the scenario. */
  @state() private _reportAtEdit: RunReportView | undefined;
  /** The trace event the event log is asked to show. */
  @state() private _highlight: EventHighlight | undefined;

  /** What happened to the last share, open or link: a sentence for the status line. */
  @state() private _notice = '';
  /** A problem with the link or file the scenario was to come from. */
  @state() private _loadProblem = '';
  /** The mistakes that kept a legacy requests file from becoming a scenario, and the file's name. */
  @state() private _importMistakes: { file: string; mistakes: { code: string; path: string; message: string }[] } | undefined;

  private readonly _address = new ScenarioAddressController(this, this._simulator);
  private readonly _drop = new FileDropController(this, (file) => void this._openFile(file));

  override connectedCallback(): void {
    super.connectedCallback();
    const fragment = location.hash;
    if (fragment.includes('scenario=')) void this._openLink(fragment);
    else this._planner.plan(this._scenarioJson, { immediately: true });
  }

  override render() {
    const name = (this._scenarioJson as { name?: unknown } | null)?.name;
    const reply = this._planner.reply;
    const shown = this._shownReply();
    const report = shown?.ok ? shown.report : undefined;
    const running = this._runner.running;
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
          <div class="editor-head">
            <h2 id="editor-heading">Scenario</h2>
            <div class="actions">
              <button type="button" @click=${this._onShare} title="put the whole scenario in the page address, to share or file with a bug">Copy link</button>
              <button type="button" @click=${this._onDownload}>Download JSON</button>
              <label class="file-button">Open JSON…<input type="file" accept=".json,application/json" @change=${this._onOpenFile} /></label>
              <label class="file-button" title="a trace JSON saved by Download trace JSON or chunkscope run --trace: shows its report, timeline and events without running">Open trace…<input type="file" accept=".json,application/json" data-testid="open-trace" @change=${this._onOpenTraceFile} /></label>
              <label class="file-button" title="a JSON list of array requests (shape, dtype, chunk_axis_index, total_runs, unchunkable, memory), as GPU batch solvers write them">Import requests…<input type="file" accept=".json,application/json" @change=${this._onImportRequestsFile} /></label>
            </div>
          </div>
          <p class="notice" role="status" data-testid="notice">${this._notice}</p>
          ${this._address.stale
            ? html`<p class="address-note" data-testid="address-stale">The page address keeps the last valid scenario until this one is fixed: a reload now brings that one back.</p>`
            : ''}
          ${this._loadProblem ? html`<p class="problem" role="alert" data-testid="load-problem">${this._loadProblem}</p>` : ''}
          ${this._renderImportMistakes()}
          <scenario-editor
            .scenario=${this._scenarioJson}
            .issues=${reply && !reply.ok && reply.issues ? reply.issues : []}
            .planError=${reply && !reply.ok && !reply.issues ? reply.error : undefined}
            @scenario-changed=${this._onScenarioChanged}
          ></scenario-editor>
        </section>
        <div class="results">
          <section aria-labelledby="run-heading" data-testid="run-section">
            ${this._renderRunBar()}
            ${this._runner.failure ? html`<p class="problem" role="alert">${this._runner.failure}</p>` : ''}
          </section>
          <section aria-label="Plan">
            <plan-view .reply=${reply} ?pending=${this._planner.pending}></plan-view>
            ${this._planner.failure ? html`<p role="alert">${this._planner.failure}</p>` : ''}
          </section>
          <section aria-label="Device">
            <device-info-panel .info=${this._simulator.deviceInfo} .failure=${this._simulator.failure}></device-info-panel>
          </section>
          <section aria-label="Bug report">
            <bug-report-panel .gather=${this._gatherBugReport}></bug-report-panel>
          </section>
        </div>
      </div>
      <section aria-label="Run report">
        ${this._renderReplayBanner()}
        <run-report .reply=${shown} @show-peak=${this._onShowPeak}></run-report>
      </section>
      ${this._renderCompare()}
      ${running || report
        ? // One element, live and then finished: a keyboard user stepping through it keeps focus when the run ends.
          html`<section aria-label="Memory timeline"><memory-timeline
            ?live=${running}
            .events=${running ? this._runner.events : report!.trace}
            .plan=${running ? this._runPlan : report!.plan}
          ></memory-timeline></section>`
        : ''}
      ${report && !running
        ? html`<section aria-label="Event log"><event-log
                .report=${report}
                .scenario=${shown?.ok ? shown.scenario : undefined}
                .device=${shown?.ok ? shown.device : ''}
                .highlight=${this._highlight}
              ></event-log></section>`
        : ''}
      ${this._renderSoak()}
      ${this._drop.dragging
        ? html`<div class="drop-target" data-testid="drop-target"><p>Drop a .json file: a scenario, legacy array requests to import, or a trace to replay</p></div>`
        : ''}
    `;
  }

  private _renderImportMistakes() {
    const failed = this._importMistakes;
    if (!failed) return '';
    return html`<div class="problem" role="alert" data-testid="import-mistakes">
      <strong>${failed.file} cannot become a scenario; the scenario is unchanged.</strong>
      <ul>
        ${failed.mistakes.map((m) => html`<li><code>${m.code}</code> ${m.path ? html`<code>${m.path}</code>: ` : ''}${m.message}</li>`)}
      </ul>
    </div>`;
  }

  private _renderSoak() {
    const soaker = this._soaker;
    const reply = soaker.reply;
    const own = (this._scenarioJson as { soak?: { cycles?: unknown; stopAtBytes?: unknown } } | null)?.soak;
    const defaults = {
      ...(typeof own?.cycles === 'number' && { cycles: own.cycles }),
      ...(typeof own?.stopAtBytes === 'number' && { stopAtBytes: own.stopAtBytes }),
    };
    return html`<section aria-labelledby="soak-heading" data-testid="soak-section"><soak-panel
      .samples=${soaker.samples}
      .report=${reply?.ok ? reply.soak : undefined}
      ?running=${soaker.running}
      ?cancelling=${soaker.cancelling}
      .blocked=${this._runner.running ? 'a run is in flight' : this._runBlocker()}
      .problem=${soaker.failure ?? (reply && !reply.ok ? `The soak could not start (${reply.error.code}): ${reply.error.message}` : undefined)}
      .defaults=${defaults}
      @soak-requested=${(e: CustomEvent<SoakRequestedDetail>) => void soaker.start(this._scenarioJson, e.detail)}
      @soak-cancelled=${() => soaker.cancel()}
    ></soak-panel></section>`;
  }

  /** Why Run is disabled, in words, or undefined when it is enabled. */
  private _runBlocker(): string | undefined {
    if (this._soaker.running) return 'a soak is in flight';
    const reply = this._planner.reply;
    if (this._runner.running) return undefined;
    if (!this._simulator.client) return 'the simulator worker is not running';
    if (this._planner.pending || !reply) return 'planning…';
    if (!reply.ok) return reply.issues ? 'fix the scenario first' : 'the plan is infeasible';
    return undefined;
  }

  private _renderRunBar() {
    const runner = this._runner;
    const blocker = this._runBlocker();
    const p = runner.progress;
    return html`<div class="run-bar">
      <h2 id="run-heading">Run</h2>
      <button type="button" class="run-button" data-testid="run-button" ?disabled=${runner.running || blocker !== undefined} @click=${this._onRun}>
        ${runner.running ? 'Running…' : 'Run'}
      </button>
      ${runner.running
        ? html`<div class="progress" data-testid="run-progress">
            <progress aria-label="runs done" max=${p?.runs ?? 1} value=${p?.runsDone ?? 0}></progress>
            <span role="status">${p ? `${p.runsDone.toLocaleString('en-US')} / ${p.runs.toLocaleString('en-US')} runs, attempt ${p.attempt}` : 'starting…'}</span>
            <button type="button" class="cancel-button" data-testid="cancel-button" ?disabled=${runner.cancelling} @click=${this._onCancel}>
              ${runner.cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          </div>`
        : blocker
          ? html`<p class="why-disabled" data-testid="run-blocked">Run is off: ${blocker}.</p>`
          : this._renderLastRun()}
    </div>`;
  }

  /** What the report, timeline and log show: an opened trace while it is open, else the last run. */
  private _shownReply(): RunReply | undefined {
    return this._activeReplay()?.reply ?? this._runner.reply;
  }

  /** The replay, unless a run has ended since it was opened (that run is newer, so it is shown). */
  private _activeReplay() {
    return this._replay && this._replay.over === this._runner.reply ? this._replay : undefined;
  }

  private _renderReplayBanner() {
    const replay = this._activeReplay();
    if (!replay) return '';
    return html`<div class="replay" data-testid="replay-banner">
      <p><strong>Replay of ${replay.file}</strong> — run on ${replay.reply.device || 'an unnamed device'}, not run here.</p>
      <button type="button" data-testid="load-trace-scenario" @click=${this._onLoadTraceScenario}>Load its scenario</button>
    </div>`;
  }

  /** What B would be now: the run or replay shown, unless the scenario was edited since; else the current plan. */
  private _currentSide(): CompareSide | undefined {
    const shown = this._shownReply();
    const name = (this._scenarioJson as { name?: unknown } | null)?.name;
    if (shown?.ok && shown.report !== this._reportAtEdit) {
      const replay = this._activeReplay();
      const label = replay ? `replay of ${replay.file}` : `run of ${shown.report.scenario}`;
      return { label, plan: shown.report.plan, report: shown.report };
    }
    const plan = this._planner.reply;
    return plan?.ok ? { label: `plan of ${typeof name === 'string' && name ? name : 'the scenario'}`, plan: plan.plan } : undefined;
  }

  private _renderCompare() {
    const pin = this._pin;
    const current = this._currentSide();
    const same = pin && current && (current.report ? current.report === pin.report : !pin.report && current.plan === pin.plan);
    const b = pin && current && !same ? current : undefined;
    return html`<section aria-labelledby="compare-heading" data-testid="compare-section">
      <div class="compare-head">
        <h2 id="compare-heading">Compare</h2>
        <p data-testid="compare-hint">${pin
          ? b
            ? `A is the pinned ${pin.label}; B is the ${b.label}.`
            : `A is the pinned ${pin.label}. Now run again, open another trace or edit the scenario: that becomes B.`
          : 'Pin the run, trace or plan shown now as A; then run again, open another trace or edit the scenario to compare.'}</p>
        <button type="button" data-testid="pin-button" ?disabled=${!current} @click=${this._onPin}>${pin ? 'Pin this instead' : 'Pin for comparison'}</button>
        ${pin ? html`<button type="button" data-testid="clear-compare" @click=${this._onClearCompare}>Clear comparison</button>` : ''}
      </div>
      <run-compare .a=${pin} .b=${b}></run-compare>
    </section>`;
  }

  private _onPin() {
    const side = this._currentSide();
    if (side) this._pin = side;
  }

  private _onClearCompare() {
    this._pin = undefined;
  }

  private _onLoadTraceScenario() {
    const replay = this._activeReplay();
    if (replay) this._load(replay.reply.scenario, `Loaded the scenario of ${replay.file} into the editor; Run runs it here.`);
  }

  private _onShowPeak() {
    const shown = this._shownReply();
    const report = shown?.ok ? shown.report : undefined;
    const setBy = report?.peak.setBy;
    if (!report || !setBy) return;
    const index = report.trace.findIndex((e) => e.kind === 'alloc' && e.t === setBy.t && e.label === setBy.label);
    if (index < 0) return;
    this._highlight = { index, request: (this._highlight?.request ?? 0) + 1 };
  }

  /**
   * One line on the last run beside the Run button: the report itself is below the editor.
   * While a replay is shown there, the line says so, since the report is not this run's.
   */
  private _renderLastRun() {
    const reply = this._runner.reply;
    const replay = this._activeReplay();
    if (!reply && !replay) return '';
    const words = !reply
      ? 'No run here yet'
      : reply.ok
        ? `Last run ${reply.report.status === 'ok' ? 'finished' : reply.report.status}${reply.report.verification ? `, verification ${reply.report.verification.passed ? 'passed' : 'failed'}` : ''}`
        : `The last Run could not start (${reply.error.code})`;
    return html`<p class="why-disabled" data-testid="last-run">${replay ? `Showing the replay of ${replay.file}. ` : ''}${words}.
      <button type="button" class="link-button" @click=${this._onShowReport}>See the ${replay ? 'replay' : 'report'}</button></p>`;
  }

  private _onShowReport() {
    const section = this.renderRoot.querySelector<HTMLElement>('section[aria-label="Run report"]');
    section?.scrollIntoView({ block: 'start' });
  }

  private _onRun() {
    this._highlight = undefined;
    const planned = this._planner.reply;
    this._runPlan = planned?.ok ? planned.plan : undefined;
    // A live run takes the replay's place in the report, the timeline and the log.
    this._replay = undefined;
    void this._runner.start(this._scenarioJson);
  }

  private _onCancel() {
    this._runner.cancel();
  }

  private _onScenarioChanged(e: CustomEvent<ScenarioChangedDetail>) {
    this._markEdited();
    this._scenarioJson = e.detail.scenario;
    this._presetId = '';
    this._notice = '';
    this._planner.plan(this._scenarioJson);
    this._address.follow(this._scenarioJson);
  }

  /** Loads the scenario a `#scenario=…` link carries; a link that cannot be read leaves the default. */
  private async _openLink(fragment: string) {
    try {
      const linked = await this._simulator.client!.readLink(fragment);
      if (linked.kind === 'scenario') {
        this._scenarioJson = linked.scenario;
        this._presetId = '';
        this._notice = 'Scenario loaded from the link.';
      } else if (linked.kind === 'error') {
        const first = linked.issues[0];
        this._loadProblem = `The link's scenario was not loaded: ${linked.message}${first ? ` (${first.path || 'scenario'}: ${first.message})` : ''}. Showing the default instead.`;
      }
    } catch (error) {
      this._loadProblem = `The link could not be read: ${(error as Error).message}`;
    }
    this._planner.plan(this._scenarioJson, { immediately: true });
  }

  private async _onShare() {
    const reply = await this._address.writeNow(this._scenarioJson);
    if (!reply) return;
    if (!reply.ok) {
      this._notice = '';
      this._loadProblem = `Fix the scenario's ${reply.issues.length === 1 ? 'problem' : `${reply.issues.length} problems`} before sharing it: a link carries only a valid scenario.`;
      return;
    }
    this._loadProblem = '';
    this._importMistakes = undefined;
    try {
      await navigator.clipboard.writeText(location.href);
      this._notice = 'Link copied: it replays this exact scenario.';
    } catch {
      // No clipboard permission (an embedded or headless page): the address bar has it.
      this._notice = 'The link is in the address bar: copy it from there.';
    }
  }

  private _onDownload() {
    const name = (this._scenarioJson as { name?: unknown } | null)?.name;
    const fileName = `${fileStem(typeof name === 'string' ? name : '', 'scenario')}.json`;
    downloadText(fileName, `${JSON.stringify(this._scenarioJson, null, 2)}\n`, 'application/json');
    this._notice = `Saved as ${fileName}: \`chunkscope plan ${fileName}\` plans it on the command line.`;
  }

  private _onOpenFile(e: Event) {
    const file = takeFile(e);
    if (file) void this._openFile(file);
  }

  /** Open trace… takes the file as a trace whatever it holds, so a wrong file gets the trace reader's sentence. */
  private async _onOpenTraceFile(e: Event) {
    const file = takeFile(e);
    const json = file && (await this._readJson(file));
    if (file && json !== undefined) await this._openTrace(file, json);
  }

  private async _onImportRequestsFile(e: Event) {
    const file = takeFile(e);
    const json = file && (await this._readJson(file));
    if (file && json !== undefined) void this._importRequests(file, json);
  }

  /** Opens a picked or dropped file by what it holds: a scenario, legacy requests, or a trace. */
  private async _openFile(file: File) {
    const json = await this._readJson(file);
    if (json === undefined) return;
    switch (jsonFileKind(json)) {
      case 'scenario':
        this._load(json, `Opened ${file.name}.`);
        return;
      case 'legacy-requests':
        await this._importRequests(file, json);
        return;
      case 'trace':
        await this._openTrace(file, json);
        return;
      case 'foreign':
        this._showLoadProblem(
          `${file.name} is JSON, but neither a chunkscope scenario (an object with "version", "runs" and "arrays"), a list of legacy array requests, nor a chunkscope trace. The scenario is unchanged.`,
        );
    }
  }

  /**
   * Shows a trace file as a replay: the worker composes its report as the run did, and
   * the report, timeline and log show it; nothing runs and the scenario is unchanged.
   * A file that is not a readable trace leaves everything as it was and says why.
   */
  private async _openTrace(file: File, json: unknown) {
    const client = this._clientFor(file, 'replayed');
    if (!client) return;
    // The report would show the replay while the timeline shows the run: two runs as one.
    if (this._runner.running) {
      this._showLoadProblem(`${file.name} was not opened: a run is going on. Open it when the run ends, or after Cancel.`);
      return;
    }
    let reply: TraceReply;
    try {
      reply = await client.openTrace(json);
    } catch (error) {
      this._showLoadProblem(`${file.name} could not be opened: ${(error as Error).message}`);
      return;
    }
    if (!reply.ok) {
      this._showLoadProblem(`${file.name} cannot be replayed: ${reply.message}. Nothing else changed.`);
      return;
    }
    this._loadProblem = '';
    this._importMistakes = undefined;
    this._highlight = undefined;
    this._replay = { file: file.name, reply, over: this._runner.reply };
    this._notice = `Opened ${file.name} as a replay: its report, timeline and events are below. The scenario is unchanged.`;
  }

  /** Converts legacy array requests in the worker; loads the scenario, or lists every mistake and keeps the scenario. */
  private async _importRequests(file: File, json: unknown) {
    const client = this._clientFor(file, 'imported');
    if (!client) return;
    let result;
    try {
      result = await client.importRequests(json, file.name.replace(/\.json$/i, ''));
    } catch (error) {
      this._showLoadProblem(`${file.name} could not be imported: ${(error as Error).message}`);
      return;
    }
    if (!result.ok) {
      const issues = result.issues.map((i) => ({ code: 'INVALID_SCENARIO', ...i }));
      this._notice = '';
      this._loadProblem = '';
      this._importMistakes = { file: file.name, mistakes: [...result.mistakes, ...issues] };
      return;
    }
    const count = result.scenario.arrays.length;
    const notes = result.notes.length ? ` Note: ${result.notes.join('; ')}.` : '';
    this._load(result.scenario, `Imported ${file.name}: ${count} ${count === 1 ? 'array' : 'arrays'} over ${result.scenario.runs.toLocaleString('en-US')} runs.${notes}`);
  }

  /** The file's JSON, or undefined after saying why it is not JSON. */
  private async _readJson(file: File): Promise<unknown> {
    try {
      return JSON.parse(await file.text());
    } catch (error) {
      this._showLoadProblem(`${file.name} is not JSON (${(error as Error).message}); open a .json scenario or legacy requests file. The scenario is unchanged.`);
      return undefined;
    }
  }

  /** The worker's client to open `file` with; without one, the page says why the file cannot be `done`. */
  private _clientFor(file: File, done: string) {
    const client = this._simulator.client;
    if (!client) this._showLoadProblem(`${file.name} cannot be ${done}: the simulator worker is not running (${this._simulator.failure ?? 'it has not started'}).`);
    return client;
  }

  private _showLoadProblem(problem: string) {
    this._notice = '';
    this._importMistakes = undefined;
    this._loadProblem = problem;
  }

  /** The report shown no longer stands for the scenario being edited (compare takes its plan instead). */
  private _markEdited() {
    const shown = this._shownReply();
    this._reportAtEdit = shown?.ok ? shown.report : undefined;
  }

  /** Makes `json` the scenario being edited, as a user's own: planned now, and carried by the address. */
  private _load(json: unknown, notice: string) {
    this._markEdited();
    this._loadProblem = '';
    this._importMistakes = undefined;
    this._scenarioJson = json;
    this._presetId = '';
    this._notice = notice;
    this._planner.plan(json, { immediately: true });
    this._address.follow(json);
  }

  /** The bug report's parts as they are now; the address is brought up to date first. */
  private _gatherBugReport = async (): Promise<BugReportInput> => {
    await this._address.writeNow(this._scenarioJson);
    const name = (this._scenarioJson as { name?: unknown } | null)?.name;
    const plan = this._planner.reply;
    const run = this._runner.reply;
    const replay = this._activeReplay();
    return {
      name: typeof name === 'string' ? name : '',
      link: location.href,
      device: this._simulator.deviceInfo,
      plan: plan && (plan.ok ? plan : { ok: false, error: plan.error }),
      run: run && (run.ok ? { ok: true, report: run.report } : { ok: false, error: run.error }),
      ...(replay && { replay: { file: replay.file, device: replay.reply.device, report: replay.reply.report } }),
    };
  };

  private _onPresetChosen(e: CustomEvent<PresetChosenDetail>) {
    this._markEdited();
    this._scenarioJson = e.detail.preset.scenario;
    this._presetId = e.detail.preset.id;
    this._notice = '';
    this._loadProblem = '';
    this._importMistakes = undefined;
    this._planner.plan(this._scenarioJson, { immediately: true });
    this._address.follow(this._scenarioJson);
  }
}

/** The file picked in a file input, which is emptied so picking the same file again fires `change`. */
function takeFile(e: Event): File | undefined {
  const input = e.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  return file;
}

declare global {
  interface HTMLElementTagNameMap {
    'chunkscope-app': ChunkscopeApp;
  }
}
