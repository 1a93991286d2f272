/**
 * Where each chunk's band shows in its lane (and its shading on the plot). With two sets
 * each set has a lane of its own and a band shows its whole span. With one set a chunk
 * begins (is packed) while the one before it still runs and is read back, so bands would
 * cover each other and their numbers:
 * - on the time axis a band shows from the landing of the chunks before it to its own
 *   landing (a chunk cut short or still running has not landed, so the bands after it keep
 *   their starts);
 * - on the chunk axis, whose units are chunks, a band shows its own unit: from its begin
 *   to the next chunk's. The landing rule would leave a chunk that landed just after the
 *   one before it a sliver too narrow to number.
 */
import type { TimelineAxis, ViewBand } from '../core/timeline-view.ts';

export function bandSpans(bands: readonly ViewBand[], { sets, axis }: { sets: number; axis: TimelineAxis }): [number, number][] {
  if (sets !== 1) return bands.map((b) => [b.x0, b.x1]);
  if (axis === 'chunk') return bands.map((b) => [b.x0, Math.min(b.x1, b.x0 + 1)]);
  let landed = -Infinity;
  return bands.map((b) => {
    const from = Math.max(b.x0, landed);
    if (b.done) landed = Math.max(landed, b.x1);
    return [from, b.x1];
  });
}

/**
 * How far each band's number may reach on the axis: to where the next band in its lane
 * shows (no end for the last one listed). A chunk that landed well before the next one
 * began leaves its lane empty after it, so its number uses that space rather than go
 * missing from a row of numbered neighbours.
 */
export function numberReach(bands: readonly ViewBand[], spans: readonly [number, number][], sets: number): number[] {
  const reach = new Array<number>(bands.length);
  const nextInLane = new Map<number, number>();
  for (let i = bands.length - 1; i >= 0; i--) {
    const lane = bands[i].index % sets;
    reach[i] = Math.max(spans[i][1], nextInLane.get(lane) ?? Infinity);
    nextInLane.set(lane, spans[i][0]);
  }
  return reach;
}

/** A band's number as drawn: its words, and whether on the band or beside it. */
export interface BandNumber {
  text: string;
  inside: boolean;
}

/** Rough width of a band's number: 10 px bold digits average under 6.5 px, and a little space around. */
function numberWidth(text: string): number {
  return text.length * 6.5 + 4;
}

/**
 * The longest of `texts` (longest first) that fits on a band `width` px wide, else the
 * longest that fits beside it within `room` px of the band's start; none when neither.
 */
export function placeNumber(texts: readonly string[], width: number, room: number): BandNumber | undefined {
  const inside = texts.find((text) => numberWidth(text) <= width);
  if (inside !== undefined) return { text: inside, inside: true };
  const beside = texts.find((text) => width + numberWidth(text) <= room);
  return beside === undefined ? undefined : { text: beside, inside: false };
}
