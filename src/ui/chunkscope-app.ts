/**
 * `<chunkscope-app>`: the root of the app. Owns the simulator worker and the scenario
 * being edited; hands the worker's answers down to the editor and the views.
 *
 * Wide screens: the run bar on top, the controls (presets, editor) and the results
 * (report, timeline, plan, arithmetic, what-if) side by side, each scrolling on its own.
 * Phones: one column under a run bar stuck to the top. Ctrl+Enter runs from anywhere.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { kDtypes } from '../core/dtypes.ts';
import { parseScenario } from '../core/scenario.ts';
import { isWorkloadJson } from '../core/workload.ts';
import { differenceLabel, scenarioDifferences } from '../core/scenario-diff.ts';
import type { BugReportInput } from '../core/bug-report.ts';
import type { Plan } from '../core/planner.ts';
import { kPresets } from './presets.ts';
import { PlanController } from './plan-controller.ts';
import { RunController } from './run-controller.ts';
import { SimulatorController } from './simulator-controller.ts';
import { SoakController } from './soak-controller.ts';
import { WorkloadController } from './workload-controller.ts';
import './soak-panel.ts';
import type { SoakRequestedDetail } from './soak-panel.ts';
import { ScenarioAddressController } from './scenario-address-controller.ts';
import { FileDropController } from './file-drop-controller.ts';
import { FilesController } from './files-controller.ts';
import { kButtonStyles, kThemeProperties } from './theme.ts';
import { kStepContext } from './step-context.ts';
import { downloadText, fileStem } from './file-download.ts';
import type { ScenarioChangedDetail } from './scenario-editor.ts';
import type { PresetChosenDetail } from './preset-picker.ts';
import type { ChunkSteppedDetail } from './chunk-stepper.ts';
import type { WhatIfAdoptedDetail } from './what-if-table.ts';
import type { BackendChangedDetail } from './run-bar.ts';
import type { CompareSide } from './compare-rows.ts';
import type { EventHighlight } from './event-log.ts';
import type { EventChosenDetail } from './memory-timeline.ts';
import type { BackendChoice, PlanReply, RunReply, RunReportView, TraceReply } from '../worker/simulator-api.ts';
import type { SnapshotView } from '../worker/simulator-api.ts';
import type { SnapshotReplayRequestedDetail } from './snapshot-panel.ts';
import { SnapshotController, type OpenSnapshot } from './snapshot-controller.ts';
import './snapshot-panel.ts';
import './bug-report-panel.ts';
import './chunk-stepper.ts';
import './device-info-panel.ts';
import './event-log.ts';
import './outputs-download.ts';
import './memory-timeline.ts';
import './plan-arithmetic.ts';
import './plan-view.ts';
import './preset-picker.ts';
import './run-bar.ts';
import './run-compare.ts';
import { kStatusWords } from './run-report.ts';
import './scenario-editor.ts';
import './what-if-table.ts';
import './workload-editor.ts';
import './workload-plan.ts';
import './workload-run.ts';

/** What a scenario's results show: the run or replay, and a PyTorch snapshot opened over it. */
interface ScenarioResults {
  shown: RunReply | undefined;
  report: RunReportView | undefined;
  running: boolean;
  snapshot: ReturnType<SnapshotController['shownOver']>;
}

/** The scenario a load replaced while it held unsaved edits: what Undo brings back. */
interface UndoPoint {
  json: unknown;
  presetId: string;
}

@customElement('chunkscope-app')
export class ChunkscopeApp extends LitElement {
  static override styles = [
    kThemeProperties,
    kButtonStyles,
    css`
      :host { display: flex; flex-direction: column; height: 100vh; box-sizing: border-box; padding: 0.5rem 1rem 0; color: var(--cs-fg); background: var(--cs-page); }
      header { display: flex; align-items: baseline; gap: 0.25rem 1rem; flex-wrap: wrap; margin-bottom: 0.4rem; }
      h1 { font-size: 1.3rem; margin: 0; }
      header p { margin: 0; color: var(--cs-muted); flex: 1 1 20rem; }
      header .name { color: var(--cs-fg); font-weight: 600; }
      /*
       * Each panel a stacking context: Chromium then keeps a panel's painting whole and reuses it
       * when another panel changes. Without one, every frame that changed anything (a zoom or a
       * hover on the timeline) walked every panel again, 2.5-3 ms of a 10^6-event replay's frame.
       */
      section { background: var(--cs-bg); border: 1px solid var(--cs-border); border-radius: var(--cs-radius); padding: 0.75rem 1rem; margin-bottom: 0.75rem; min-width: 0; isolation: isolate; }
      h2 { font-size: 1.05rem; margin: 0 0 0.5rem; }
      .run-bar { position: sticky; top: 0; z-index: 5; margin-bottom: 0.5rem; padding: 0.5rem 1rem; box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); }
      .layout { flex: 1 1 auto; min-height: 0; display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 7fr); gap: var(--cs-gap); }
      /* Each column scrolls on its own, so a long editor never pushes the results away. */
      .controls, .results { overflow-y: auto; min-height: 0; padding-bottom: 1rem; overscroll-behavior: contain; }
      .editor-head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: baseline; justify-content: space-between; }
      .editor-head h2 { margin: 0; }
      .actions { display: flex; flex-wrap: wrap; gap: 0.4rem; }
      /* The file input stays focusable (keyboard users reach it) but is drawn as its label. */
      .file-button { position: relative; }
      .file-button input { position: absolute; inset: 0; opacity: 0; cursor: pointer; width: 100%; }
      .notice { min-height: 1.2em; margin: 0.25rem 0; color: var(--cs-ok); font-size: 0.9rem; overflow-wrap: anywhere; }
      .problem { border-left: 4px solid var(--cs-danger); background: var(--cs-danger-bg); padding: 0.4rem 0.75rem; margin: 0.25rem 0 0.75rem; }
      .address-note { margin: 0 0 0.5rem; color: var(--cs-muted); font-size: 0.85rem; }
      .problem ul { margin: 0.25rem 0 0; padding-left: 1.2rem; }
      .problem li { margin: 0.15rem 0; overflow-wrap: anywhere; }
      .problem code { font-size: 0.85rem; }
      .problem li > code:first-child { font-weight: 600; }
      /* Drawn over the page while a file is dragged in; pointer-events stay with the page so the drop lands. */
      .drop-target { position: fixed; inset: 0.5rem; z-index: 10; pointer-events: none; display: grid; place-items: center; border: 3px dashed var(--cs-accent); border-radius: 10px; background: color-mix(in srgb, var(--cs-accent-bg) 85%, transparent); }
      .drop-target p { font-size: 1.2rem; font-weight: 600; color: var(--cs-accent-fg); background: var(--cs-bg); padding: 0.75rem 1.25rem; border-radius: 6px; margin: 1rem; text-align: center; }
      .link-button { border: none; background: none; padding: 0; color: var(--cs-accent); text-decoration: underline; }
      .replay { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1rem; border-left: 4px solid var(--cs-replay); background: var(--cs-replay-bg); padding: 0.5rem 0.75rem; margin: 0 0 0.75rem; }
      .replay p { margin: 0; overflow-wrap: anywhere; flex: 1 1 18rem; }
      .stale-note { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; border-left: 4px solid var(--cs-warn-strong); background: var(--cs-warn-bg); color: var(--cs-warn-text); padding: 0.4rem 0.75rem; margin: 0 0 0.6rem; font-weight: 600; }
      .stale-note p { margin: 0; flex: 1 1 14rem; }
      .stale > :not(.stale-note) { opacity: var(--cs-stale-opacity); filter: grayscale(0.6); }
      .undo { display: flex; gap: 0.5rem; align-items: baseline; flex-wrap: wrap; }
      .compare-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.4rem 1rem; margin-bottom: 0.5rem; }
      .compare-head h2 { margin: 0; }
      .compare-head p { margin: 0; color: var(--cs-muted); font-size: 0.9rem; flex: 1 1 16rem; }
      .compare-differs { margin: 0 0 0.5rem; padding-left: 1.2rem; font-size: 0.9rem; }
      details > summary { cursor: pointer; font-weight: 600; font-size: 1.05rem; }
      details > summary:focus-visible { outline: var(--cs-focus); outline-offset: 2px; }
      .what-if-head p { margin: 0 0 0.4rem; color: var(--cs-muted); font-size: 0.88rem; }
      @media (max-width: 900px) {
        :host { display: block; height: auto; padding: 0 0.5rem; }
        .layout { display: block; }
        .controls, .results { overflow: visible; padding-bottom: 0; }
        .run-bar { border-radius: 0 0 var(--cs-radius) var(--cs-radius); margin: 0 -0.5rem 0.5rem; }
        section { padding: 0.6rem; }
        header { padding-top: 0.4rem; }
      }
    `,
  ];

  /** The scenario as the user has it (JSON, possibly invalid): what is planned and shown. */
  @state() private _scenarioJson: unknown = kPresets[0].scenario;
  /** The preset the scenario came from, until the user edits it. */
  @state() private _presetId = kPresets[0].id;
  /** True once the user has edited the scenario since it was last loaded: loading over it offers Undo. */
  @state() private _edited = false;
  /** What Undo brings back after a preset, file or what-if replaced edits. */
  @state() private _undo: UndoPoint | undefined;

  private readonly _simulator = new SimulatorController(this);
  private readonly _planner = new PlanController(this, this._simulator);
  private readonly _runner = new RunController(this, this._simulator);
  private readonly _files = new FilesController(this, this._simulator);
  private readonly _soaker = new SoakController(this, this._simulator);
  /** Plans and runs the JSON being edited when it is a workload (`"kind": "workload"`). */
  private readonly _workloads = new WorkloadController(this, this._simulator);
  /** A PyTorch snapshot opened from a file, shown instead of the last run until Run or a trace replaces it, and its replays. */
  private readonly _snapshots = new SnapshotController(this, this._simulator);
  /** The plan the run in flight follows, for its live timeline. */
  private _runPlan: Plan | undefined;
  private _runScenario: unknown;
  /** The scenario the last soak soaked: its finished runs are stale once the scenario changes. */
  private _soakScenario: unknown;
  /** The stored traces last said to the worker to be kept. */
  private _keptTraces = '';
  /** The last plan of a valid scenario: shown greyed while an edit makes the scenario invalid. */
  private _lastGoodPlan: Extract<PlanReply, { ok: true }> | undefined;
  /** The plan of the scenario a load replaced: not the last valid plan of the loaded one. */
  private _replacedPlan: PlanReply | undefined;
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
  /** The chunk stepped to (0-based), highlighted in the strip, the timeline and the event log: provided to them as {@link kStepContext}. */
  @provide({ context: kStepContext })
  @state()
  private _chunk: number | undefined;
  /** Where Run runs. */
  @state() private _backend: BackendChoice = 'auto';

  private readonly _address = new ScenarioAddressController(this, this._simulator);
  private readonly _drop = new FileDropController(this, (file) => void this._files.open(file));

  /** FilesHost: true while a run is in flight. */
  get running(): boolean {
    return this._runner.running || this._workloads.running;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this._onKeyDown);
    const fragment = location.hash;
    if (fragment.includes('scenario=') || fragment.includes('workload=')) void this._openLink(fragment);
    else this._planner.plan(this._scenarioJson, { immediately: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this._onKeyDown);
  }

  override willUpdate(): void {
    if (this._isWorkload()) this._workloads.follow(this._scenarioJson);
    const reply = this._planner.reply;
    if (reply?.ok && reply !== this._lastGoodPlan && reply !== this._replacedPlan) {
      // A new plan has other chunks: stepping starts again.
      if (this._lastGoodPlan && reply.plan.numChunks !== this._lastGoodPlan.plan.numChunks) this._chunk = undefined;
      this._lastGoodPlan = reply;
    }
  }

  override render() {
    const name = (this._scenarioJson as { name?: unknown } | null)?.name;
    const shown = this._shownReply();
    const report = shown?.ok ? shown.report : undefined;
    const running = this._runner.running;
    const workload = this._isWorkload();
    const snapshot = this._snapshots.shownOver(this._runner.reply);
    return html`
      <header>
        <h1>chunkscope</h1>
        <p data-testid="intro">See how a batch of GPU runs is cut into chunks that fit a memory budget — the arithmetic, each chunk, and what a change would do — then run it and watch the memory.
          <span class="name" data-testid="scenario-name">${typeof name === 'string' && name ? name : 'untitled scenario'}</span></p>
      </header>
      <section class="run-bar" aria-label="Run" data-testid="run-section">
        ${this._renderRunBar()}
        ${this._runner.failure ? html`<p class="problem" role="alert">${this._runner.failure}</p>` : ''}
      </section>
      <div class="layout">
        <div class="controls" data-testid="controls">
          <section aria-label="Presets">
            <preset-picker .selected=${this._presetId} @preset-chosen=${this._onPresetChosen}></preset-picker>
          </section>
          <section aria-labelledby="editor-heading">
            ${this._renderEditorHead()}
            ${workload ? this._renderWorkloadEditor() : html`<scenario-editor
              .scenario=${this._scenarioJson}
              .issues=${this._planner.reply && !this._planner.reply.ok && this._planner.reply.issues ? this._planner.reply.issues : []}
              .planError=${this._planner.reply && !this._planner.reply.ok && !this._planner.reply.issues ? this._planner.reply.error : undefined}
              @scenario-changed=${this._onScenarioChanged}
            ></scenario-editor>`}
          </section>
        </div>
        <div class="results" data-testid="results">
          ${workload ? this._renderWorkload() : this._renderScenarioResults({ shown, report, running, snapshot })}
          <section aria-label="Device">
            <device-info-panel .info=${this._simulator.deviceInfo} .failure=${this._simulator.failure}></device-info-panel>
          </section>
          <section aria-label="Bug report">
            <bug-report-panel .gather=${this._gatherBugReport}></bug-report-panel>
          </section>
        </div>
      </div>
      ${this._drop.dragging
        ? html`<div class="drop-target" data-testid="drop-target"><p>Drop a .json file: a scenario, a workload, legacy array requests to import, a trace to replay, or a PyTorch memory snapshot</p></div>`
        : ''}
    `;
  }

  /** Whether the JSON being edited is a workload: several jobs sharing one device, with views of their own. */
  private _isWorkload(): boolean {
    return isWorkloadJson(this._scenarioJson);
  }

  private _renderWorkloadEditor() {
    const plan = this._workloads.plan;
    return html`<workload-editor
      .workload=${this._scenarioJson}
      .issues=${plan && !plan.ok ? plan.issues : []}
      ?pending=${this._workloads.planning}
      @scenario-changed=${this._onScenarioChanged}
    ></workload-editor>`;
  }

  /** A workload's run (first, where Run was pressed) and plan. */
  private _renderWorkload() {
    const w = this._workloads;
    const stale = !w.running && w.reply !== undefined && w.ran !== this._scenarioJson;
    return html`<section aria-label="Workload run" data-testid="workload-run-section" class=${stale ? 'stale' : ''}>
        ${stale
          ? html`<div class="stale-note" data-testid="workload-stale-note"><p>From an earlier workload — run again to see this one.</p>
              <button type="button" class="primary" ?disabled=${this._runBlocker() !== undefined} @click=${this._onRun}>Run again</button></div>`
          : nothing}
        <workload-run
          .reply=${w.reply}
          .plan=${w.plan?.ok ? w.plan.plan : undefined}
          ?running=${w.running}
          .jobs=${w.jobs}
          .failure=${w.failure}
          @show-peak=${(e: Event) => e.stopPropagation()}
        ></workload-run>
      </section>
      <section aria-label="Workload plan" data-testid="workload-plan-section">
        <workload-plan .reply=${w.plan}></workload-plan>
        ${w.failure && !w.running ? html`<p role="alert">${w.failure}</p>` : nothing}
      </section>`;
  }

  /** A scenario's run report and timeline, plan, what-if rows, event log, comparison and soak. */
  private _renderScenarioResults({ shown, report, running, snapshot }: ScenarioResults) {
    return html`
          ${snapshot ? this._renderSnapshot(snapshot) : this._renderRunResults(shown, report, running)}
          ${this._renderPlan()}
          ${this._renderWhatIf()}
          ${snapshot ? this._renderSnapshotLog(snapshot) : nothing}
          ${report && !running && !snapshot
            ? html`<section aria-label="Event log" class=${this._isStale(report) ? 'stale' : ''}><event-log
                  .client=${this._simulator.client}
                  .traceId=${report.traceId}
                  .scenarioName=${report.scenario}
                  ?canSaveTrace=${shown?.ok ?? false}
                  .highlight=${this._highlight}
                  .highlightChunk=${this._chunk}
                ></event-log></section>`
            : ''}
          ${this._renderCompare()}
          ${this._renderSoak()}`;
  }

  private _renderEditorHead() {
    const files = this._files;
    return html`<div class="editor-head">
        <h2 id="editor-heading">${this._isWorkload() ? 'Workload' : 'Scenario'}</h2>
        <div class="actions">
          <button type="button" @click=${this._onShare} title="put the whole scenario in the page address, to share or file with a bug">Copy link</button>
          <button type="button" @click=${this._onDownload}>Download JSON</button>
          <label class="file-button button" title="a scenario, legacy array requests, a trace, or a PyTorch memory snapshot (torch.cuda.memory._snapshot() saved as JSON)">Open JSON…<input type="file" accept=".json,application/json" data-testid="open-json" @change=${this._onOpenFile} /></label>
          <label class="file-button button" title="a trace JSON saved by Download trace JSON or chunkscope run --trace: shows its report, timeline and events without running">Open trace…<input type="file" accept=".json,application/json" data-testid="open-trace" @change=${this._onOpenTraceFile} /></label>
          <label class="file-button button" title="a JSON list of array requests (shape, dtype, chunk_axis_index, total_runs, unchunkable, memory), as GPU batch solvers write them">Import requests…<input type="file" accept=".json,application/json" @change=${this._onImportRequestsFile} /></label>
        </div>
      </div>
      <div class="undo">
        <p class="notice" role="status" data-testid="notice">${files.notice}</p>
        ${this._undo ? html`<button type="button" data-testid="undo" @click=${this._onUndo}>Undo: bring back my edits</button>` : nothing}
      </div>
      ${this._address.stale
        ? html`<p class="address-note" data-testid="address-stale">The page address keeps the last valid scenario until this one is fixed: a reload now brings that one back.</p>`
        : ''}
      ${files.problem ? html`<p class="problem" role="alert" data-testid="load-problem">${files.problem}</p>` : ''}
      ${this._renderImportMistakes()}
      ${this._renderSnapshotIssues()}`;
  }

  /** Why a file taken for a PyTorch snapshot could not be read: every problem with its path. */
  private _renderSnapshotIssues() {
    const failed = this._files.snapshotIssues;
    if (!failed) return '';
    return html`<div class="problem" role="alert" data-testid="snapshot-issues">
      <strong>${failed.file} is not a PyTorch memory snapshot (${failed.issues.length} ${failed.issues.length === 1 ? 'problem' : 'problems'}); nothing changed.</strong>
      <ul>
        ${failed.issues.map((i) => html`<li><code>${i.path || '(snapshot)'}</code>: ${i.message}</li>`)}
      </ul>
    </div>`;
  }

  /** An open snapshot in the results' first place: its figures and replay, and its memory timeline. */
  private _renderSnapshot(snapshot: OpenSnapshot) {
    const view = snapshot.view;
    return html`<section aria-label="PyTorch snapshot" data-testid="snapshot-results">
      <snapshot-panel
        .snapshot=${view}
        .file=${snapshot.file}
        .replay=${this._snapshots.replay}
        ?replaying=${this._snapshots.replaying}
        .blocked=${this._snapshotReplayBlocker()}
        @snapshot-replay-requested=${(e: CustomEvent<SnapshotReplayRequestedDetail>) => void this._snapshots.replayOpen(e.detail)}
        @show-peak=${this._onShowSnapshotPeak}
      ></snapshot-panel>
      <memory-timeline
        data-testid="snapshot-timeline"
        .client=${this._simulator.client}
        .traceId=${view.traceId}
        .eventCount=${view.eventCount}
        .label=${snapshot.file}
        @event-chosen=${this._onEventChosen}
      ></memory-timeline>
    </section>`;
  }

  private _renderSnapshotLog(snapshot: OpenSnapshot) {
    return html`<section aria-label="Event log"><event-log
      .client=${this._simulator.client}
      .traceId=${snapshot.view.traceId}
      .scenarioName=${snapshot.file.replace(/\.json$/i, '')}
      .highlight=${this._highlight}
    ></event-log></section>`;
  }

  /** Why a snapshot's Replay is off now, or undefined. */
  private _snapshotReplayBlocker(): string | undefined {
    if (!this._simulator.client) return 'the simulator worker is not running';
    if (this._runner.running) return 'a run is in flight';
    if (this._soaker.running) return 'a soak is in flight';
    return undefined;
  }

  private _onShowSnapshotPeak() {
    const index = this._snapshots.shownOver(this._runner.reply)?.view.peakEventIndex ?? -1;
    if (index >= 0) this._highlight = { index, request: (this._highlight?.request ?? 0) + 1 };
  }

  /** The report, its banners and the timeline: first in the results, so a run is seen where Run was pressed. */
  private _renderRunResults(shown: RunReply | undefined, report: RunReportView | undefined, running: boolean) {
    const stale = !running && report !== undefined && this._isStale(report);
    return html`<section aria-label="Run report" data-testid="run-results" class=${stale ? 'stale' : ''}>
      ${stale
        ? html`<div class="stale-note" data-testid="stale-note"><p>From an earlier scenario — run again to see this one.</p>
            <button type="button" class="primary" ?disabled=${this._runBlocker() !== undefined} @click=${this._onRun}>Run again</button></div>`
        : nothing}
      ${this._renderReplayBanner()}
      ${running ? html`<p data-testid="run-live">Running: the report follows when the run ends; the timeline grows below as chunks finish.</p>` : html`<run-report .reply=${shown} @show-peak=${this._onShowPeak}></run-report>`}
      ${this._renderRunOutputs(running, stale)}
      ${(running ? this._runner.trace : report)
        ? // One element, live and then finished: a keyboard user stepping through it keeps focus when the run ends.
          html`<memory-timeline
            ?live=${running}
            .client=${this._simulator.client}
            .traceId=${running ? this._runner.trace!.traceId : report!.traceId}
            .eventCount=${running ? this._runner.trace!.eventCount : report!.eventCount}
            .plan=${running ? this._runPlan : report!.plan}
            .injectedLimits=${injectedLimits(running ? this._runScenario : shown?.ok ? shown.scenario : undefined)}
            .highlightChunk=${this._chunk}
            @event-chosen=${this._onEventChosen}
          ></memory-timeline>`
        : ''}
    </section>`;
  }

  /** "Download finished runs" of the last run: its kept outputs, or why there are none. */
  private _renderRunOutputs(running: boolean, stale: boolean) {
    const reply = this._runner.reply;
    const unavailable = running
      ? 'The run is in flight: its finished runs can be downloaded when it ends.'
      : this._activeReplay()
        ? 'A replayed trace holds no outputs: only a run here keeps its finished runs.'
        : reply && !reply.ok
          ? 'The last Run could not start, so no run finished.'
          : undefined;
    return html`<outputs-download
      .offer=${unavailable === undefined && reply?.ok ? reply.outputs : undefined}
      .unavailable=${unavailable}
      ?stale=${stale}
      .scenarioName=${reply?.ok ? reply.report.scenario : ''}
      .client=${this._simulator.client}
    ></outputs-download>`;
  }

  /** The plan, stepped through, with its arithmetic; while the scenario is invalid, the last valid plan greyed. */
  private _renderPlan() {
    const reply = this._planner.reply;
    const invalid = reply && !reply.ok && reply.issues !== undefined;
    const shownReply = invalid && this._lastGoodPlan ? this._lastGoodPlan : reply;
    const plan = shownReply?.ok ? shownReply.plan : undefined;
    const greyed = invalid && this._lastGoodPlan !== undefined;
    return html`<section aria-label="Plan" data-testid="plan-section" class=${greyed ? 'stale' : ''}>
      ${greyed
        ? html`<div class="stale-note" data-testid="plan-stale-note" role="alert"><p>The scenario has ${reply.issues.length === 1 ? 'a problem' : `${reply.issues.length} problems`} (marked in the editor: ${reply.issues[0].path || 'scenario'}${reply.issues[0].array ? ` of array "${reply.issues[0].array}"` : ''}: ${reply.issues[0].message}). The plan below is the last valid one.</p></div>`
        : nothing}
      <plan-view .reply=${shownReply} ?pending=${this._planner.pending}>
        ${plan ? html`<chunk-stepper slot="stepper" .plan=${plan} @chunk-stepped=${this._onChunkStepped}></chunk-stepper>` : nothing}
      </plan-view>
      ${this._planner.failure ? html`<p role="alert">${this._planner.failure}</p>` : ''}
      ${plan
        ? html`<details data-testid="arithmetic" style="margin-top: 0.75rem">
              <summary>Show the arithmetic</summary>
              <plan-arithmetic .arithmetic=${shownReply?.ok ? shownReply.arithmetic : undefined}></plan-arithmetic>
            </details>`
        : nothing}
    </section>`;
  }

  private _renderWhatIf() {
    const reply = this._planner.reply;
    const rows = reply?.whatIf ?? [];
    return html`<section aria-labelledby="what-if-heading" class="what-if-head" data-testid="what-if-section">
      <h2 id="what-if-heading">What if…</h2>
      <p>The same scenario planned again with one thing changed at a time: each float array's dtype (every f32/f16 combination), buffer sets, headroom, the budget halved and doubled. Adopt a row to load it.</p>
      <what-if-table .rows=${rows} @what-if-adopted=${this._onWhatIfAdopted}></what-if-table>
    </section>`;
  }

  private _renderImportMistakes() {
    const failed = this._files.importMistakes;
    if (!failed) return '';
    return html`<div class="problem" role="alert" data-testid="import-mistakes">
      <strong>${failed.file} cannot become a scenario; the scenario is unchanged.</strong>
      <ul>
        ${failed.mistakes.map((m) => html`<li><code>${m.code}</code> ${m.path ? html`<code>${m.path}</code>: ` : ''}${m.message}</li>`)}
      </ul>
    </div>`;
  }

  /** The report shown stands for an earlier scenario: the scenario was edited or replaced since. */
  private _isStale(report: RunReportView): boolean {
    return report === this._reportAtEdit;
  }

  /** Arrays of the current plan WebGPU cannot store (f64), by name. */
  private _cpuOnlyArrays(): string[] {
    const reply = this._planner.reply;
    return reply?.ok ? reply.plan.arrays.filter((a) => !kDtypes[a.dtype].webgpu).map((a) => `"${a.name}" (${a.dtype})`) : [];
  }

  /** Why WebGPU cannot run the scenario here, or undefined when it can. */
  private _webgpuCannot(): string | undefined {
    const cpuOnly = this._cpuOnlyArrays();
    if (cpuOnly.length) return `WebGPU cannot store array ${cpuOnly.join(', ')}: WGSL has no 64-bit float`;
    const info = this._simulator.deviceInfo;
    if (info && !info.available) return `this browser offers no WebGPU adapter (${info.reason})`;
    return undefined;
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
      @soak-requested=${this._onSoak}
      @soak-cancelled=${() => soaker.cancel()}
    ></soak-panel>
    <outputs-download
      source="soak"
      .offer=${!soaker.running && reply?.ok ? reply.outputs : undefined}
      .unavailable=${soaker.running ? 'The soak is in flight: its finished runs can be downloaded when it ends.' : reply && !reply.ok ? 'The last Soak could not start, so no run finished.' : 'Nothing to download yet: soak the scenario first.'}
      ?stale=${reply?.ok === true && this._soakScenario !== this._scenarioJson}
      .scenarioName=${reply?.ok ? reply.soak.scenario : ''}
      .client=${this._simulator.client}
    ></outputs-download></section>`;
  }

  private _onSoak(e: CustomEvent<SoakRequestedDetail>) {
    this._soakScenario = this._scenarioJson;
    void this._soaker.start(this._scenarioJson, e.detail);
  }

  /** Why Run is disabled, in words, or undefined when it is enabled. */
  private _runBlocker(): string | undefined {
    if (this._soaker.running) return 'a soak is in flight';
    if (this._snapshots.replaying) return 'a snapshot replay is in flight';
    if (this._isWorkload()) return this._workloadBlocker();
    // The JSON became a scenario while a workload's lanes still run.
    if (this._workloads.running) return 'a workload is in flight';
    const reply = this._planner.reply;
    if (this._runner.running) return undefined;
    if (!this._simulator.client) return 'the simulator worker is not running';
    if (this._planner.pending || !reply) return 'planning…';
    if (!reply.ok) return reply.issues ? 'fix the scenario first' : 'the plan is infeasible';
    if (this._backend === 'webgpu') return this._webgpuCannot();
    return undefined;
  }

  /** Why a workload cannot run now, or undefined when it can. */
  private _workloadBlocker(): string | undefined {
    const w = this._workloads;
    if (w.running || this._runner.running) return undefined;
    if (!this._simulator.client) return 'the simulator worker is not running';
    if (w.planning || !w.plan) return 'planning…';
    if (!w.plan.ok) return 'fix the workload first';
    return undefined;
  }

  private _backendNote(): string {
    if (this._isWorkload()) return this._backend === 'auto' ? '' : 'A workload runs every lane on its own WebGPU device: the backend choice is for scenarios.';
    const cannot = this._webgpuCannot();
    if (this._backend === 'auto') return cannot ? `auto runs this on the CPU: ${cannot}.` : '';
    if (this._backend === 'cpu') return 'On the CPU backend: the engine runs each chunk in JavaScript with the same plan, trace and verification.';
    return '';
  }

  private _renderRunBar() {
    const runner = this._runner;
    const blocker = this._runBlocker();
    return html`<run-bar
      ?running=${runner.running || this._workloads.running}
      ?cancelling=${runner.cancelling || this._workloads.cancelling}
      .progress=${runner.progress}
      .blocker=${blocker}
      ?offerCpu=${this._backend === 'webgpu' && blocker !== undefined && blocker === this._webgpuCannot()}
      .backend=${this._backend}
      .backendNote=${this._backendNote()}
      .lastRun=${this._lastRunWords()}
      .lastRunLink=${this._activeReplay() ? 'replay' : 'report'}
      @report-requested=${this._onShowReport}
      @run-requested=${this._onRun}
      @cancel-requested=${this._onCancel}
      @backend-changed=${this._onBackendChanged}
    ></run-bar>`;
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
      return { label, plan: shown.report.plan, report: shown.report, scenario: shown.scenario };
    }
    const plan = this._planner.reply;
    const parsed = parseScenario(this._scenarioJson);
    return plan?.ok
      ? { label: `plan of ${typeof name === 'string' && name ? name : 'the scenario'}`, plan: plan.plan, ...(parsed.ok && { scenario: parsed.scenario }) }
      : undefined;
  }

  private _renderCompare() {
    const pin = this._pin;
    const current = this._currentSide();
    const same = pin && current && (current.report ? current.report === pin.report : !pin.report && current.plan === pin.plan);
    const b = pin && current && !same ? current : undefined;
    const differences = pin?.scenario && b?.scenario ? scenarioDifferences(pin.scenario, b.scenario) : undefined;
    return html`<section aria-labelledby="compare-heading" data-testid="compare-section">
      <div class="compare-head">
        <h2 id="compare-heading">Compare</h2>
        <p data-testid="compare-hint">${pin
          ? b
            ? `A is the pinned ${pin.label}; B is the ${b.label}.${differences ? ` B: ${differenceLabel(differences)}.` : ''}`
            : `A is the pinned ${pin.label}. Now run again, open another trace or edit the scenario: that becomes B.`
          : 'Pin the run, trace or plan shown now as A; then run again, open another trace or edit the scenario to compare.'}</p>
        <button type="button" data-testid="pin-button" ?disabled=${!current} @click=${this._onPin}>${pin ? 'Pin this instead' : 'Pin for comparison'}</button>
        ${pin ? html`<button type="button" data-testid="clear-compare" @click=${this._onClearCompare}>Clear comparison</button>` : ''}
      </div>
      ${differences?.length
        ? html`<ul class="compare-differs" data-testid="compare-differences" aria-label="settings that differ">
            ${differences.map((d) => html`<li><code>${d.path}</code>: ${d.a} → ${d.b}</li>`)}
          </ul>`
        : nothing}
      <run-compare .a=${pin} .b=${b} .client=${this._simulator.client} .names=${differences ? { a: 'A', b: `B: ${differenceLabel(differences)}` } : undefined}></run-compare>
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
    const index = shown?.ok ? shown.report.peakEventIndex : -1;
    if (index >= 0) this._highlight = { index, request: (this._highlight?.request ?? 0) + 1 };
  }

  /** A click on the timeline shows its allocation in the event log. */
  private _onEventChosen(e: CustomEvent<EventChosenDetail>) {
    this._highlight = { index: e.detail.eventIndex, request: (this._highlight?.request ?? 0) + 1 };
  }

  override updated() {
    // The worker keeps a trace only while a view here can ask for it: the last run, an open replay, a pinned run.
    const ids = [this._runner.reply, this._replay?.reply]
      .map((r) => (r?.ok ? r.report.traceId : undefined))
      .concat(this._pin?.report?.traceId, this._snapshots.open?.view.traceId)
      .filter((id): id is number => id !== undefined);
    const key = ids.join(',');
    if (key !== this._keptTraces && this._simulator.client) {
      this._keptTraces = key;
      this._simulator.client.keepTraces(ids).catch(() => {});
    }
  }


  /** One line on the last run in the run bar; while a replay is shown, it says so, since the report is not this run's. */
  private _lastRunWords(): string {
    const reply = this._runner.reply;
    const replay = this._activeReplay();
    if (!reply && !replay) return '';
    const words = !reply
      ? 'No run here yet'
      : reply.ok
        ? `Last run ${kStatusWords[reply.report.status]}${reply.report.verification ? `, verification ${reply.report.verification.passed ? 'passed' : 'failed'}` : ''}`
        : `The last Run could not start (${reply.error.code})`;
    return `${replay ? `Showing the replay of ${replay.file}. ` : ''}${words}.`;
  }

  private _onShowReport() {
    this.renderRoot.querySelector<HTMLElement>('[data-testid="run-results"]')?.scrollIntoView({ block: 'start' });
  }

  private _onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    if (!this.running && this._runBlocker() === undefined) this._onRun();
  };

  private _onRun() {
    if (this.running || this._runBlocker() !== undefined) return;
    if (this._isWorkload()) {
      void this._workloads.run(this._scenarioJson);
      this.renderRoot.querySelector('.results')?.scrollTo({ top: 0 });
      return;
    }
    this._highlight = undefined;
    const planned = this._planner.reply;
    this._runPlan = planned?.ok ? planned.plan : undefined;
    this._runScenario = this._scenarioJson;
    // A live run takes the replay's place in the report, the timeline and the log.
    this._replay = undefined;
    this._snapshots.close();
    void this._runner.start(this._scenarioJson, this._backend);
    // The run's report and timeline head the results: bring them into view where Run was pressed.
    this.renderRoot.querySelector('.results')?.scrollTo({ top: 0 });
  }

  private _onCancel() {
    if (this._workloads.running) this._workloads.cancel();
    else this._runner.cancel();
  }

  private _onBackendChanged(e: CustomEvent<BackendChangedDetail>) {
    this._backend = e.detail.backend;
  }

  private _onChunkStepped(e: CustomEvent<ChunkSteppedDetail>) {
    this._chunk = e.detail.chunk;
  }

  private _onWhatIfAdopted(e: CustomEvent<WhatIfAdoptedDetail>) {
    this._load(e.detail.scenario, `Adopted the what-if row "${e.detail.change}".`);
  }

  private _onScenarioChanged(e: CustomEvent<ScenarioChangedDetail>) {
    this._markEdited();
    this._scenarioJson = e.detail.scenario;
    this._presetId = '';
    this._edited = true;
    this._undo = undefined;
    this._files.say('');
    this._planner.plan(this._scenarioJson);
    this._address.follow(this._scenarioJson);
  }

  /** Loads the scenario a `#scenario=…` link carries; a link that cannot be read leaves the default. */
  private async _openLink(fragment: string) {
    try {
      const linked = await this._simulator.client!.readLink(fragment);
      if (linked.kind === 'scenario' || linked.kind === 'workload') {
        this._scenarioJson = linked.kind === 'scenario' ? linked.scenario : linked.workload;
        this._presetId = '';
        this._files.say(`${linked.kind === 'scenario' ? 'Scenario' : 'Workload'} loaded from the link.`);
      } else if (linked.kind === 'error') {
        const first = linked.issues[0];
        this._files.showProblem(`The link was not loaded: ${linked.message}${first ? ` (${first.path || 'its top level'}: ${first.message})` : ''}. Showing the default instead.`);
      }
    } catch (error) {
      this._files.showProblem(`The link could not be read: ${(error as Error).message}`);
    }
    this._planner.plan(this._scenarioJson, { immediately: true });
  }

  private async _onShare() {
    const reply = await this._address.writeNow(this._scenarioJson);
    if (!reply) return;
    if (!reply.ok) {
      this._files.showProblem(`Fix the scenario's ${reply.issues.length === 1 ? 'problem' : `${reply.issues.length} problems`} before sharing it: a link carries only a valid scenario.`);
      return;
    }
    try {
      await navigator.clipboard.writeText(location.href);
      this._files.say('Link copied: it replays this exact scenario.');
    } catch {
      // No clipboard permission (an embedded or headless page): the address bar has it.
      this._files.say('The link is in the address bar: copy it from there.');
    }
  }

  private _onDownload() {
    const name = (this._scenarioJson as { name?: unknown } | null)?.name;
    const fileName = `${fileStem(typeof name === 'string' ? name : '', 'scenario')}.json`;
    downloadText(fileName, `${JSON.stringify(this._scenarioJson, null, 2)}\n`, 'application/json');
    this._edited = false;
    this._files.say(`Saved as ${fileName}: \`chunkscope plan ${fileName}\` plans it on the command line.`);
  }

  private _onOpenFile(e: Event) {
    const file = takeFile(e);
    if (file) void this._files.open(file);
  }

  private _onOpenTraceFile(e: Event) {
    const file = takeFile(e);
    if (file) void this._files.openTrace(file);
  }

  private _onImportRequestsFile(e: Event) {
    const file = takeFile(e);
    if (file) void this._files.importRequests(file);
  }

  /** FilesHost: shows a trace file as a replay instead of the last run; nothing runs and the scenario is unchanged. */
  showReplay(file: string, reply: Extract<TraceReply, { ok: true }>): void {
    this._highlight = undefined;
    this._snapshots.close();
    this._replay = { file, reply, over: this._runner.reply };
  }

  /** FilesHost: shows a PyTorch snapshot instead of the last run or replay; nothing runs and the scenario is unchanged. */
  showSnapshot(file: string, view: SnapshotView): void {
    this._highlight = undefined;
    this._replay = undefined;
    this._snapshots.show({ file, view, over: this._runner.reply });
  }

  /** FilesHost: a scenario from a file or an import becomes the one edited. */
  loadScenario(json: unknown, notice: string): void {
    this._load(json, notice);
  }

  /** The report shown no longer stands for the scenario being edited (compare takes its plan instead). */
  private _markEdited() {
    const shown = this._shownReply();
    this._reportAtEdit = shown?.ok ? shown.report : undefined;
  }

  /**
   * Makes `json` the scenario being edited, as a user's own: planned now, and carried by
   * the address. Over unsaved edits it keeps them for Undo.
   */
  private _load(json: unknown, notice: string, presetId = '') {
    // An invalid file or link has no valid plan of its own to keep: it shows its problems instead.
    this._lastGoodPlan = undefined;
    this._replacedPlan = this._planner.reply;
    this._undo = this._edited ? { json: this._scenarioJson, presetId: this._presetId } : undefined;
    this._markEdited();
    this._scenarioJson = json;
    this._presetId = presetId;
    this._edited = false;
    this._files.say(this._undo ? `${notice ? `${notice} ` : ''}Your edits were replaced: Undo brings them back.` : notice);
    this._planner.plan(json, { immediately: true });
    this._address.follow(json);
  }

  private _onUndo() {
    const undo = this._undo;
    if (!undo) return;
    this._markEdited();
    this._scenarioJson = undo.json;
    this._presetId = undo.presetId;
    this._edited = true;
    this._undo = undefined;
    this._files.say('Your edits are back.');
    this._planner.plan(undo.json, { immediately: true });
    this._address.follow(undo.json);
  }

  /** The bug report's parts as they are now; the address is brought up to date first. */
  private _gatherBugReport = async (): Promise<BugReportInput> => {
    await this._address.writeNow(this._scenarioJson);
    const name = (this._scenarioJson as { name?: unknown } | null)?.name;
    const plan = this._planner.reply;
    const run = this._runner.reply;
    const replay = this._activeReplay();
    const agent = navigator as Navigator & { userAgentData?: { platform?: string } };
    return {
      name: typeof name === 'string' ? name : '',
      link: location.href,
      browser: { userAgent: navigator.userAgent, platform: agent.userAgentData?.platform || navigator.platform },
      device: this._simulator.deviceInfo,
      plan: plan && (plan.ok ? plan : { ok: false, error: plan.error }),
      run: run && (run.ok ? { ok: true, report: run.report } : { ok: false, error: run.error }),
      ...(replay && { replay: { file: replay.file, device: replay.reply.device, report: replay.reply.report } }),
    };
  };

  private _onPresetChosen(e: CustomEvent<PresetChosenDetail>) {
    this._load(e.detail.preset.scenario, '', e.detail.preset.id);
  }
}

/** The byte sizes above which an injected out-of-memory fault fails: drawn on the timeline as limits. */
function injectedLimits(scenario: unknown): number[] {
  const faults = (scenario as { faults?: unknown } | null | undefined)?.faults;
  if (!Array.isArray(faults)) return [];
  return faults.flatMap((f: unknown) => {
    const above = (f as { kind?: unknown; aboveBytes?: unknown } | null)?.aboveBytes;
    return (f as { kind?: unknown } | null)?.kind === 'out-of-memory' && typeof above === 'number' && Number.isFinite(above) ? [above] : [];
  });
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
