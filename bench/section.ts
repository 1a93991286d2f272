/** One table of `npm run bench`: what was measured, on what, and against which goal. */
import { formatTiming, type Timing } from './measure.ts';

/** One measured line of a table. */
export interface BenchRow {
  name: string;
  /** Wall-clock timing of the measured operation, when the row is a time. */
  timing?: Timing;
  /** A derived figure (a ratio, a bandwidth), already in words with its unit. */
  figure?: string;
  /** The goal the figure is held to, if any. */
  goal?: string;
  met?: boolean;
}

/** A table of rows with a title and a line on what it measures. */
export interface BenchSection {
  title: string;
  note: string;
  rows: BenchRow[];
}

/** The section as a Markdown table. */
export function sectionMarkdown(section: BenchSection): string {
  const lines = [`### ${section.title}`, '', section.note, '', '| measurement | median (min–max) | figure | goal |', '| --- | --- | --- | --- |'];
  for (const row of section.rows) {
    const goal = row.goal ? `${row.goal} ${row.met ? '✓ met' : '✗ missed'}` : '';
    lines.push(`| ${row.name} | ${row.timing ? formatTiming(row.timing) : ''} | ${row.figure ?? ''} | ${goal} |`);
  }
  return lines.join('\n');
}
