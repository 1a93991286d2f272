/**
 * Keeps the page address carrying the scenario being edited, so a reload, a bookmark
 * or a copied address replays it exactly.
 *
 * The address changes with `history.replaceState` (one history entry however many edits),
 * after a quiet spell rather than on every keystroke; the link is made in the worker,
 * where the validator lives. An invalid edit leaves the last valid scenario in the
 * address, and `stale` says so, so the UI can tell the user what a reload would bring back.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { LinkReply } from '../worker/simulator-api.ts';
import type { SimulatorController } from './simulator-controller.ts';

/** Milliseconds of quiet after an edit before the address follows it. */
export const kAddressDebounceMs = 400;

/** Writes the scenario into the address after each burst of edits. */
export class ScenarioAddressController implements ReactiveController {
  /** True when the scenario being edited is invalid, so the address still holds an earlier one. */
  stale = false;

  readonly #host: ReactiveControllerHost;
  readonly #simulator: SimulatorController;
  #scenarioJson: unknown;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sequence = 0;

  constructor(host: ReactiveControllerHost, simulator: SimulatorController) {
    this.#host = host;
    this.#simulator = simulator;
    host.addController(this);
  }

  /** The address will carry `scenarioJson` once the user has paused (if it is valid). */
  follow(scenarioJson: unknown): void {
    this.#scenarioJson = scenarioJson;
    clearTimeout(this.#timer);
    // A worker that died is reported by the plan view; the address just keeps its last scenario.
    this.#timer = setTimeout(() => this.#write().catch(() => {}), kAddressDebounceMs);
  }

  /**
   * Writes `scenarioJson` into the address now, without the quiet spell (sharing cannot
   * wait), and answers with its link reply; undefined while there is no worker.
   */
  writeNow(scenarioJson: unknown): Promise<LinkReply | undefined> {
    this.#scenarioJson = scenarioJson;
    return this.#write();
  }

  async #write(): Promise<LinkReply | undefined> {
    clearTimeout(this.#timer);
    const client = this.#simulator.client;
    if (!client) return undefined;
    const sequence = ++this.#sequence;
    const reply = await client.linkFor(this.#scenarioJson);
    // A newer edit came in while the worker answered: its own write sets the address.
    if (sequence !== this.#sequence) return reply;
    if (reply.ok) {
      const url = new URL(location.href);
      url.hash = reply.fragment;
      if (url.href !== location.href) history.replaceState(history.state, '', url);
    }
    this.#setStale(!reply.ok);
    return reply;
  }

  hostDisconnected(): void {
    clearTimeout(this.#timer);
  }

  #setStale(stale: boolean): void {
    if (this.stale === stale) return;
    this.stale = stale;
    this.#host.requestUpdate();
  }
}
