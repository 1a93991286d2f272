/**
 * Plays a step-through: calls `step` every `intervalMs` until stopped. A controller so
 * the timer goes when its element leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Milliseconds between two chunks while playing: slow enough to read the readout. */
export const kStepIntervalMs = 900;

/** A timer with a lifetime: started by {@link play}, released by {@link stop} or on disconnect. */
export class StepPlayController implements ReactiveController {
  private _timer: ReturnType<typeof setInterval> | undefined;
  private readonly _host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this._host = host;
    host.addController(this);
  }

  /** True while playing. */
  get playing(): boolean {
    return this._timer !== undefined;
  }

  /** Calls `step` every interval; `step` returns false to stop (the last chunk was reached). */
  play(step: () => boolean): void {
    this.stop();
    this._timer = setInterval(() => {
      if (!step()) this.stop();
    }, kStepIntervalMs);
    this._host.requestUpdate();
  }

  stop(): void {
    if (this._timer === undefined) return;
    clearInterval(this._timer);
    this._timer = undefined;
    this._host.requestUpdate();
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }
}
