/**
 * Lets files be dropped anywhere on an element: while files are dragged over it,
 * `dragging` is true (for a visible drop target), and a drop hands the first file over.
 */
import type { ReactiveController, ReactiveElement } from 'lit';

/** Turns its host into a drop target for files. */
export class FileDropController implements ReactiveController {
  /** True while files are being dragged over the host. */
  dragging = false;

  readonly #host: ReactiveElement;
  readonly #onFile: (file: File) => void;
  // dragenter/dragleave fire for every child crossed; the count says when the drag really left.
  #depth = 0;

  constructor(host: ReactiveElement, onFile: (file: File) => void) {
    this.#host = host;
    this.#onFile = onFile;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.addEventListener('dragenter', this.#onDragEnter);
    this.#host.addEventListener('dragover', this.#onDragOver);
    this.#host.addEventListener('dragleave', this.#onDragLeave);
    this.#host.addEventListener('drop', this.#onDrop);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('dragenter', this.#onDragEnter);
    this.#host.removeEventListener('dragover', this.#onDragOver);
    this.#host.removeEventListener('dragleave', this.#onDragLeave);
    this.#host.removeEventListener('drop', this.#onDrop);
    this.#setDragging(false);
  }

  #onDragEnter = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    this.#depth++;
    this.#setDragging(true);
  };

  #onDragOver = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    // Without preventDefault the browser refuses the drop (or opens the file in the tab).
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };

  #onDragLeave = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    this.#depth = Math.max(0, this.#depth - 1);
    if (this.#depth === 0) this.#setDragging(false);
  };

  #onDrop = (e: DragEvent) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    this.#depth = 0;
    this.#setDragging(false);
    const file = e.dataTransfer?.files[0];
    if (file) this.#onFile(file);
  };

  #setDragging(dragging: boolean): void {
    if (this.dragging === dragging) return;
    this.dragging = dragging;
    this.#host.requestUpdate();
  }
}

function carriesFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes('Files') ?? false;
}
