/** A structural check of the Chrome trace-event format, as Perfetto and chrome://tracing read it. */

/** A record of a Chrome trace file, as JSON gives it back. */
export interface ChromeRecord {
  name: unknown;
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  id?: string;
  dur?: number;
  args?: Record<string, unknown>;
}

/**
 * What is wrong with a Chrome trace-event list, in words (empty when nothing): every record
 * has a name, ph, ts, pid and tid, and they come in time order; counters carry numbers;
 * async begin/end pairs match by id, innermost first; complete slices on one thread nest
 * or follow one another, never overlap.
 */
export function chromeTraceProblems(records: ChromeRecord[]): string[] {
  const problems: string[] = [];
  const open = new Map<string, string[]>();
  const slices = new Map<number, { from: number; to: number }[]>();
  let previous = -Infinity;
  records.forEach((e, i) => {
    const at = `record ${i} (${String(e.name)})`;
    if (typeof e.name !== 'string' || e.name === '') problems.push(`${at}: no name`);
    if (!['X', 'b', 'e', 'i', 'C', 'M'].includes(e.ph)) problems.push(`${at}: unknown ph ${e.ph}`);
    for (const key of ['ts', 'pid', 'tid'] as const) if (!Number.isFinite(e[key])) problems.push(`${at}: ${key} is not a number`);
    if (e.ts < previous) problems.push(`${at}: earlier than the record before it`);
    previous = e.ts;
    if (e.ph === 'C') {
      const values = Object.values(e.args ?? {});
      if (values.length === 0 || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) problems.push(`${at}: a counter needs numeric args`);
    }
    if (e.ph === 'X') {
      if (!(typeof e.dur === 'number' && e.dur >= 0)) problems.push(`${at}: a complete slice needs dur ≥ 0`);
      else slices.set(e.tid, [...(slices.get(e.tid) ?? []), { from: e.ts, to: e.ts + e.dur }]);
    }
    if (e.ph === 'b' || e.ph === 'e') {
      if (typeof e.id !== 'string' || !e.cat) {
        problems.push(`${at}: an async record needs a cat and an id`);
        return;
      }
      const key = `${e.cat}/${e.id}`;
      const stack = open.get(key) ?? [];
      if (e.ph === 'b') stack.push(String(e.name));
      else if (stack.pop() !== e.name) problems.push(`${at}: ends ${String(e.name)}, but the innermost span open on ${key} is another`);
      open.set(key, stack);
    }
  });
  for (const [key, stack] of open) if (stack.length) problems.push(`${key}: ${stack.join(', ')} begun and never ended`);
  for (const [tid, list] of slices) {
    const sorted = [...list].sort((a, b) => a.from - b.from || b.to - a.to);
    const enclosing: { from: number; to: number }[] = [];
    for (const slice of sorted) {
      while (enclosing.length && enclosing.at(-1)!.to <= slice.from) enclosing.pop();
      const outer = enclosing.at(-1);
      if (outer && slice.to > outer.to) problems.push(`thread ${tid}: slice [${slice.from}, ${slice.to}] overlaps [${outer.from}, ${outer.to}]`);
      enclosing.push(slice);
    }
  }
  return problems;
}
