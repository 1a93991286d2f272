/**
 * The finished runs the worker keeps for "Download finished runs": the last run's and
 * the last soak's (a new one replaces the one before it), each at most
 * {@link kKeptOutputsBytes}, zipped only when the page asks. A larger run is verified
 * and let go, and its offer says why in a sentence, so a big batch cannot run the tab
 * out of memory: the worker holds the files, then the zip while it crosses, and the
 * page the download's blob, about three times the cap at the peak.
 */
import { zipSync, type Zippable } from 'fflate';
import { formatBytes } from '../core/units.ts';
import type { Scenario } from '../core/scenario.ts';
import type { KeptRun } from '../engine/kept-outputs.ts';
import { outputBytes } from '../engine/output-sink.ts';
import type { OutputsOffer } from './simulator-api.ts';

/** Output bytes (all runs, every output array) up to which the app keeps a run's outputs for download. */
export const kKeptOutputsBytes = 128 * 2 ** 20;

/** Why the outputs of `scenario` are not kept for download (over the cap `capBytes`), or undefined when they are. */
export function outputsRefusal(scenario: Scenario, capBytes = kKeptOutputsBytes): string | undefined {
  const bytes = outputBytes(scenario);
  if (bytes <= capBytes) return undefined;
  return `This run's outputs take ${formatBytes(bytes)}, over the ${formatBytes(capBytes)} the page keeps for download, so they were verified and let go; \`chunkscope run --outputs DIR\` writes them to files.`;
}

/** Which slot a kept run takes: one run and one soak are kept at a time. */
export type OutputsSlot = 'run' | 'soak';

/** The kept outputs, by offer id. */
export class OutputsStore {
  private readonly _kept = new Map<number, KeptRun>();
  private readonly _slots = new Map<OutputsSlot, number>();
  private _nextId = 1;

  /** Keeps `kept` in `slot`, forgetting what the slot held; returns the page's offer. */
  put(slot: OutputsSlot, kept: KeptRun): OutputsOffer {
    this.forget(slot);
    const id = this._nextId++;
    this._kept.set(id, kept);
    this._slots.set(slot, id);
    const { status, runs, runsDone, verified, files } = kept;
    return { kept: true, id, status, runs, runsFinished: runsDone, verified, files: files.map((f) => ({ name: f.name, bytes: f.bytes.byteLength })) };
  }

  /** Lets go of what `slot` holds: a new run or soak starts, and the old files must not stay beside its new ones. */
  forget(slot: OutputsSlot): void {
    const before = this._slots.get(slot);
    if (before !== undefined) this._kept.delete(before);
    this._slots.delete(slot);
  }

  /** The offer's files as one zip, or undefined when they were replaced. The `.npy` files are stored (floats hardly compress), the manifest deflated. */
  zip(id: number): Uint8Array | undefined {
    const kept = this._kept.get(id);
    if (!kept) return undefined;
    // Names end in .npy or are manifest.json, but an array may be called __proto__: no prototype to meet.
    const entries: Zippable = Object.create(null);
    for (const file of kept.files) entries[file.name] = [file.bytes, { level: file.name.endsWith('.npy') ? 0 : 6 }];
    return zipSync(entries);
  }
}
