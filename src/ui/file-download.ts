/**
 * Hands the user a file the page made — a scenario, a trace, the timeline — through a
 * temporary object URL, named after the scenario so several downloads stay apart.
 */

/** A file name stem from a scenario name: `Lorenz batch` → `lorenz-batch`. */
export function fileStem(name: string, fallback: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || fallback;
}

/** Saves `text` as `fileName`. */
export function downloadText(fileName: string, text: string, type: string): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

/** Saves `blob` as `fileName`. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  Object.assign(document.createElement('a'), { href: url, download: fileName }).click();
  // The download has started from the URL by the next task; the blob need not outlive it.
  setTimeout(() => URL.revokeObjectURL(url));
}
