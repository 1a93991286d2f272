/**
 * The content width of an element, kept current by a ResizeObserver that lives exactly
 * as long as the element is connected. Charts draw in pixels so their text keeps its size.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Tracks `host`'s content-box width in CSS pixels. */
export class SizeController implements ReactiveController {
  /** Content width in CSS pixels; 0 until the first observation. */
  width = 0;

  readonly #host: ReactiveControllerHost & Element;
  #observer: ResizeObserver | undefined;

  constructor(host: ReactiveControllerHost & Element) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer = new ResizeObserver((entries) => {
      const width = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (width !== this.width) {
        this.width = width;
        this.#host.requestUpdate();
      }
    });
    this.#observer.observe(this.#host);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
  }
}
