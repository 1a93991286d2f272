/**
 * A y axis of bytes with round ticks in one binary unit (0, 4, 8, 12 KiB rather than
 * 4.88, 9.77 KiB): the scale runs in that unit, so d3's nice ticks are round numbers of it.
 */
import { scaleLinear } from 'd3-scale';

const kBinaryUnits: readonly [number, string][] = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']];

/** A byte axis: pixel y of a byte count, the top it reaches, and labelled ticks. */
export interface ByteAxis {
  y(bytes: number): number;
  topBytes: number;
  ticks: { bytes: number; label: string }[];
}

/** An axis from 0 to a little above `highest` bytes over pixels `[bottom, top]`. */
export function byteAxis(highest: number, [bottom, top]: [number, number], tickCount = 4): ByteAxis {
  const [unit, unitName] = kBinaryUnits.find(([u]) => highest >= u) ?? kBinaryUnits[3];
  const scale = scaleLinear().domain([0, (Math.max(highest, 1) * 1.06) / unit]).range([bottom, top]).nice(tickCount);
  return {
    y: (bytes) => scale(bytes / unit),
    topBytes: scale.domain()[1] * unit,
    ticks: scale.ticks(tickCount).map((t) => ({ bytes: t * unit, label: `${t} ${unitName}` })),
  };
}
