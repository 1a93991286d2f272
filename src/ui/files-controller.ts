/**
 * Opening files: a picked or dropped JSON file becomes a scenario, a workload, an import of legacy
 * requests, a replayed trace, or an opened PyTorch snapshot, judged by what it holds; a file that is none of them
 * leaves everything as it was and says why. The controller owns the notice line and the
 * problems of the last file; what a file becomes goes to its host through {@link FilesHost}.
 */
import type { ReactiveControllerHost } from 'lit';
import type { SnapshotView, TraceReply } from '../worker/simulator-api.ts';
import type { ScenarioIssue } from '../core/scenario.ts';
import { formatCount } from '../core/units.ts';
import { jsonFileKind } from './json-file-kind.ts';
import type { SimulatorController } from './simulator-controller.ts';

/** One mistake that kept a legacy requests file from becoming a scenario. */
export interface ImportMistake {
  code: string;
  path: string;
  message: string;
}

/** What the host does with what a file became. */
export interface FilesHost extends ReactiveControllerHost {
  /** Makes `json` the scenario (or workload) being edited. */
  loadScenario(json: unknown, notice: string): void;
  /** Shows a trace file as a replay. */
  showReplay(file: string, reply: Extract<TraceReply, { ok: true }>): void;
  /** Shows a PyTorch snapshot: its figures, timeline and events, and its replay. */
  showSnapshot(file: string, snapshot: SnapshotView): void;
  /** True while a run is in flight: a replay is not opened then. */
  readonly running: boolean;
}

/** Reads files into the app; holds the notice and the problems they gave (no lifetime of its own: nothing to release). */
export class FilesController {
  /** What happened to the last share, open or link: a sentence for the status line. */
  notice = '';
  /** A problem with the link or file the scenario was to come from. */
  problem = '';
  /** The mistakes that kept a legacy requests file from becoming a scenario, and the file's name. */
  importMistakes: { file: string; mistakes: ImportMistake[] } | undefined;
  /** The problems that kept a file from being read as a PyTorch snapshot, each with its path, and the file's name. */
  snapshotIssues: { file: string; issues: ScenarioIssue[] } | undefined;

  private readonly _host: FilesHost;
  private readonly _simulator: SimulatorController;

  constructor(host: FilesHost, simulator: SimulatorController) {
    this._host = host;
    this._simulator = simulator;
  }

  /** Sets the notice line and clears the problems (a file or share that worked). */
  say(notice: string): void {
    this.notice = notice;
    this.problem = '';
    this.importMistakes = undefined;
    this.snapshotIssues = undefined;
    this._host.requestUpdate();
  }

  /** Shows `problem` instead of the notice. */
  showProblem(problem: string): void {
    this.notice = '';
    this.importMistakes = undefined;
    this.snapshotIssues = undefined;
    this.problem = problem;
    this._host.requestUpdate();
  }

  /** Opens a picked or dropped file by what it holds: a scenario, legacy requests, or a trace. */
  async open(file: File): Promise<void> {
    const json = await this._readJson(file);
    if (json === undefined) return;
    switch (jsonFileKind(json)) {
      case 'scenario':
        this._host.loadScenario(json, `Opened ${file.name}.`);
        return;
      case 'workload':
        this._host.loadScenario(json, `Opened ${file.name}: a workload of several jobs sharing one device.`);
        return;
      case 'legacy-requests':
        await this._importRequests(file, json);
        return;
      case 'trace':
        await this._openTrace(file, json);
        return;
      case 'pytorch-snapshot':
        await this._openSnapshot(file);
        return;
      case 'foreign':
        this.showProblem(
          `${file.name} is JSON, but neither a chunkscope scenario (an object with "version", "runs" and "arrays"), a workload ("kind": "workload"), a list of legacy array requests, a chunkscope trace, nor a PyTorch memory snapshot (an object with "segments" or "device_traces"). The scenario is unchanged.`,
        );
    }
  }

  /** Open trace… takes the file as a trace whatever it holds, so a wrong file gets the trace reader's sentence. */
  async openTrace(file: File): Promise<void> {
    // The worker reads it: parsing a trace of 10^6 events here would freeze the page for seconds.
    await this._openTrace(file, file);
  }

  /** Import requests… takes the file as legacy requests whatever it holds. */
  async importRequests(file: File): Promise<void> {
    const json = await this._readJson(file);
    if (json !== undefined) await this._importRequests(file, json);
  }

  /**
   * Shows a trace file as a replay: the worker composes its report as the run did.
   * A file that is not a readable trace leaves everything as it was and says why.
   */
  private async _openTrace(file: File, content: unknown) {
    const client = this._clientFor(file, 'replayed');
    if (!client) return;
    // The report would show the replay while the timeline shows the run: two runs as one.
    if (this._host.running) {
      this.showProblem(`${file.name} was not opened: a run is going on. Open it when the run ends, or after Cancel.`);
      return;
    }
    let reply: TraceReply;
    try {
      reply = content instanceof Blob ? await client.openTraceFile(content) : await client.openTrace(content);
    } catch (error) {
      this.showProblem(`${file.name} could not be opened: ${(error as Error).message}`);
      return;
    }
    if (!reply.ok) {
      this.showProblem(`${file.name} cannot be replayed: ${reply.message}. Nothing else changed.`);
      return;
    }
    this.say(`Opened ${file.name} as a replay: its report, timeline and events are shown. The scenario is unchanged.`);
    this._host.showReplay(file.name, reply);
  }

  /**
   * Opens a PyTorch snapshot in the worker, which reads the file again there: sending
   * the parsed JSON would copy a snapshot of many MiB through postMessage on the page.
   * A file that is not a snapshot lists every problem with its path and changes nothing.
   */
  private async _openSnapshot(file: File) {
    const client = this._clientFor(file, 'opened');
    if (!client) return;
    // The results would show the snapshot while the run's timeline grows under it: two things as one.
    if (this._host.running) {
      this.showProblem(`${file.name} was not opened: a run is going on. Open it when the run ends, or after Cancel.`);
      return;
    }
    let reply;
    try {
      reply = await client.openSnapshotFile(file);
    } catch (error) {
      this.showProblem(`${file.name} could not be opened: ${(error as Error).message}`);
      return;
    }
    if (!reply.ok) {
      if (reply.issues.length === 0) {
        this.showProblem(`${file.name} cannot be opened as a PyTorch snapshot: ${reply.message}. Nothing else changed.`);
        return;
      }
      this.notice = '';
      this.problem = '';
      this.importMistakes = undefined;
      this.snapshotIssues = { file: file.name, issues: reply.issues };
      this._host.requestUpdate();
      return;
    }
    const { snapshot } = reply;
    this.say(`Opened ${file.name} as a PyTorch snapshot (device ${snapshot.device}, ${formatCount(snapshot.entries)} trace entries): its peaks, timeline and events are shown. The scenario is unchanged.`);
    this._host.showSnapshot(file.name, snapshot);
  }

  /** Converts legacy array requests in the worker; loads the scenario, or lists every mistake and keeps the scenario. */
  private async _importRequests(file: File, json: unknown) {
    const client = this._clientFor(file, 'imported');
    if (!client) return;
    let result;
    try {
      result = await client.importRequests(json, file.name.replace(/\.json$/i, ''));
    } catch (error) {
      this.showProblem(`${file.name} could not be imported: ${(error as Error).message}`);
      return;
    }
    if (!result.ok) {
      const issues = result.issues.map((i) => ({ code: 'INVALID_SCENARIO', ...i }));
      this.notice = '';
      this.problem = '';
      this.importMistakes = { file: file.name, mistakes: [...result.mistakes, ...issues] };
      this._host.requestUpdate();
      return;
    }
    const count = result.scenario.arrays.length;
    const notes = result.notes.length ? ` Note: ${result.notes.join('; ')}.` : '';
    this._host.loadScenario(result.scenario, `Imported ${file.name}: ${count} ${count === 1 ? 'array' : 'arrays'} over ${result.scenario.runs.toLocaleString('en-US')} runs.${notes}`);
  }

  /** The file's JSON, or undefined after saying why it is not JSON. */
  private async _readJson(file: File): Promise<unknown> {
    try {
      return JSON.parse(await file.text());
    } catch (error) {
      this.showProblem(`${file.name} is not JSON (${(error as Error).message}); open a .json scenario or legacy requests file. The scenario is unchanged.`);
      return undefined;
    }
  }

  /** The worker's client to open `file` with; without one, the page says why the file cannot be `done`. */
  private _clientFor(file: File, done: string) {
    const client = this._simulator.client;
    if (!client) this.showProblem(`${file.name} cannot be ${done}: the simulator worker is not running (${this._simulator.failure ?? 'it has not started'}).`);
    return client;
  }
}
