/**
 * A bug report as Markdown: the link that replays the scenario, the device it ran on,
 * the plan and what the last run did — everything a maintainer asks for first, in one
 * block a person pastes into an issue.
 */
import type { Plan, PlanError } from './planner.ts';
import { kLimitNames } from './scenario.ts';
import type { AllocationFaultEvent, DeviceLostEvent, FallbackEvent } from './trace.ts';
import { formatBytes, formatBytesExact, formatCount } from './units.ts';

/** The adapter as the worker reports it, or why there is none. */
export type BugReportDevice =
  | { available: true; adapter: Record<string, string | number | boolean>; limits: Record<string, number>; features: string[] }
  | { available: false; reason: string };

/** What a finished (or ended) run reports that a bug report names. A run report fits it as is. */
export interface BugReportRun {
  status: string;
  backend: string;
  runsDone: number;
  peak: { measuredBytes: number; predictedBytes: bigint };
  verification?: { passed: boolean; maxAbsError: number };
  error?: { code: string; message: string };
  faults: readonly (AllocationFaultEvent | DeviceLostEvent)[];
  fallbacks: readonly FallbackEvent[];
}

/** Everything the report is made of; undefined parts are said to be unknown or absent. */
export interface BugReportInput {
  /** The scenario's name. */
  name: string;
  /** The full URL, fragment included, that opens the scenario. */
  link: string;
  device: BugReportDevice | undefined;
  plan: { ok: true; plan: Plan } | { ok: false; error: PlanError } | undefined;
  /** The last run's report, why it could not start, or undefined when nothing was run. */
  run: { ok: true; report: BugReportRun } | { ok: false; error: { code: string; message: string } } | undefined;
  /** The browser and operating system the page runs in (the user agent), when known. */
  browser?: { userAgent: string; platform: string };
  /** A saved trace shown in the app instead of the last run: its file, where it ran, and its report. */
  replay?: { file: string; device: string; report: BugReportRun };
}

/** The report as GitHub-flavoured Markdown. Pure: the same input gives the same text. */
export function bugReportMarkdown(input: BugReportInput): string {
  return [
    `### chunkscope bug report: ${escapeMarkdown(input.name || 'untitled scenario')}`,
    '',
    `**Scenario link** (opens the exact scenario): <${input.link}>`,
    '',
    ...browserSection(input.browser),
    ...deviceSection(input.device),
    '',
    ...planSection(input.plan),
    '',
    ...runSection(input.run),
    '',
    ...(input.replay ? [...replaySection(input.replay), ''] : []),
  ].join('\n');
}

/**
 * Escapes the characters that would end a table cell, open code or emphasis, or start
 * HTML, so a name such as `a|b` or `` x`y `` shows as written.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_|<>[\]#]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function table(rows: [string, string][]): string[] {
  return ['| | |', '| --- | --- |', ...rows.map(([key, value]) => `| ${key} | ${value} |`)];
}

function browserSection(browser: BugReportInput['browser']): string[] {
  if (!browser) return [];
  return ['#### Browser', '', ...table([['browser', escapeMarkdown(browser.userAgent || 'not reported')], ['OS', escapeMarkdown(browser.platform || 'not reported')]]), ''];
}

function deviceSection(device: BugReportDevice | undefined): string[] {
  const head = '#### Device';
  if (!device) return [head, '', 'not known yet (the worker had not answered)'];
  if (!device.available) return [head, '', `no WebGPU adapter: ${escapeMarkdown(device.reason)}`];
  const a = device.adapter;
  const name = [a.vendor, a.architecture, a.device, a.description].filter((part) => typeof part === 'string' && part !== '').join(' · ');
  const limitValue = (name: string, value: number) => (name.startsWith('max') && name.endsWith('Size') ? formatBytesExact(value) : formatCount(value));
  const all = Object.entries(device.limits).sort(([x], [y]) => x.localeCompare(y));
  return [
    head,
    '',
    ...table([
      ['adapter', `${escapeMarkdown(name || 'unnamed adapter')}${a.isFallbackAdapter === true ? ' (fallback adapter)' : ''}`],
      ...kLimitNames.map((limit): [string, string] => [limit, limit in device.limits ? limitValue(limit, device.limits[limit]) : 'not reported']),
      ['features', device.features.length ? device.features.map((f) => `\`${f.replace(/`/g, '')}\``).join(', ') : 'none'],
    ]),
    '',
    // Every limit is there for the maintainer who needs one more; folded so the rest stays readable.
    `<details><summary>all ${all.length} adapter limits</summary>`,
    '',
    '| limit | value |',
    '| --- | --- |',
    ...all.map(([limit, value]) => `| ${escapeMarkdown(limit)} | ${formatCount(value)} |`),
    '',
    '</details>',
  ];
}

function planSection(reply: BugReportInput['plan']): string[] {
  const head = '#### Plan';
  if (!reply) return [head, '', 'not planned yet'];
  if (!reply.ok) return [head, '', `no plan: \`${reply.error.code}\` — ${escapeMarkdown(reply.error.message)}`];
  const plan = reply.plan;
  const dangling = plan.numChunks > 1 && plan.finalChunkLength < plan.chunkLength;
  const binding = plan.constraints.find((c) => c.bound === plan.boundBy);
  return [
    head,
    '',
    ...table([
      ['runs', formatCount(plan.runs)],
      ['chunk length', `${formatCount(plan.chunkLength)} runs`],
      ['chunks', formatCount(plan.numChunks)],
      ['final chunk', `${formatCount(plan.finalChunkLength)} runs${dangling ? ' (dangling)' : ''}`],
      ['binding constraint', `${plan.boundBy}${binding?.array ? ` (array ${escapeMarkdown(binding.array)})` : ''}`],
      ['predicted peak', `${formatBytesExact(plan.predictedPeakBytes)} of a ${formatBytesExact(plan.budgetBytes)} budget`],
      ['buffer sets', String(plan.bufferSets)],
    ]),
  ];
}

function runSection(reply: BugReportInput['run']): string[] {
  const head = '#### Last run';
  if (!reply) return [head, '', 'not run'];
  if (!reply.ok) return [head, '', `did not start: \`${reply.error.code}\` — ${escapeMarkdown(reply.error.message)}`];
  return [head, '', ...runTable(reply.report)];
}

/** A trace opened in the app: said apart from the run here, so no one takes it for one. */
function replaySection(replay: NonNullable<BugReportInput['replay']>): string[] {
  return [
    '#### Replayed trace',
    '',
    `The page shows the trace file ${escapeMarkdown(replay.file)}, run on ${escapeMarkdown(replay.device || 'an unnamed device')}, not on the device above; attach the file to replay it.`,
    '',
    ...runTable(replay.report),
  ];
}

function runTable(r: BugReportRun): string[] {
  const faults = r.faults.map((f) =>
    f.kind === 'device-lost'
      ? `device lost (${escapeMarkdown(f.reason)}${f.injected ? ', injected' : ''}): ${escapeMarkdown(f.message)}`
      : `${f.kind} on ${escapeMarkdown(f.label)} (${formatBytes(f.bytes)}, ${f.source}): ${escapeMarkdown(f.message)}`,
  );
  const fallbacks = r.fallbacks.map(
    (f) => `${escapeMarkdown(f.from)} → ${f.to}: chunk length ${formatCount(f.chunkLengthBefore)} → ${formatCount(f.chunkLengthAfter)} runs (${escapeMarkdown(f.reason)})`,
  );
  return table([
    ['status', `${r.status}${r.error ? ` — \`${r.error.code}\`: ${escapeMarkdown(r.error.message)}` : ''}`],
    ['backend', r.backend],
    ['runs done', formatCount(r.runsDone)],
    ['measured peak', `${formatBytesExact(r.peak.measuredBytes)} (predicted ${formatBytesExact(r.peak.predictedBytes)})`],
    ['verification', r.verification ? `${r.verification.passed ? 'passed' : 'failed'} (largest difference ${r.verification.maxAbsError})` : 'not done'],
    ['faults', faults.length ? faults.join('<br>') : 'none'],
    ['fallbacks', fallbacks.length ? fallbacks.join('<br>') : 'none'],
  ]);
}
