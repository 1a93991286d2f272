/**
 * One colour per array, by its place in the plan, so an array is the same colour in the
 * plan's budget bar and in the memory timeline's stack.
 */
import type { Plan } from '../core/planner.ts';

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
export const kArrayColours = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

/** For a buffer that belongs to no array of the plan. */
export const kOtherColour = '#8c959f';

/** The colour of array `name` in `plan`. */
export function arrayColour(plan: Plan | undefined, name: string): string {
  const i = plan?.arrays.findIndex((a) => a.name === name) ?? -1;
  return i < 0 ? kOtherColour : kArrayColours[i % kArrayColours.length];
}
