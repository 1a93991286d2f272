/**
 * `chunkscope soak <file | -> --cycles N`: runs a scenario N times on one device and says
 * whether memory grows (DESIGN.md, "Soaks and leaks").
 */
import { parseArgs } from 'node:util';
import { stringifyJson } from '../core/json.ts';
import { kSoakDefaults, type SoakSample } from '../core/soak.ts';
import { formatBytesExact, formatCount, formatDuration } from '../core/units.ts';
import type { SoakReport } from '../engine/soak.ts';
import { chooseBackend, kBackendChoices, type BackendChoice } from './cli-backend.ts';
import { kExit } from './exit-codes.ts';
import type { CliIo } from './io.ts';
import { loadRun, reportLoadFailure } from './scenario-source.ts';
import { outputsError, outputsFor } from './host-options.ts';
import { checkOutputPaths } from './output-files.ts';
import type { OutputSink } from '../engine/output-sink.ts';

/** Help for `chunkscope soak`. */
export const kSoakHelp = `usage: chunkscope soak <scenario.json | -> --cycles N [--json] [--max-growth B]
                       [--stop-at B] [--backend auto|webgpu|cpu]

Runs a scenario N times on one device, samples live device bytes, live buffers and
host memory (RSS) after each cycle, fits the growth per cycle and per second, and
says whether memory is steady or leaking. A { "kind": "leak", "onAllocation": N }
fault never frees that allocation's buffer, in every cycle.

  <scenario.json>     the scenario file; - reads it from standard input
  --cycles <N>        how many times to run it (default: the scenario's soak.cycles, else 10)
  --max-growth <B>    device growth per cycle above B bytes is a leak (default:
                      soak.maxGrowthBytes, else 0)
  --stop-at <B>       the emergency stop: once live device bytes pass B, stop, free
                      everything and keep the finished cycles' results (default:
                      soak.stopAtBytes, else none)
  --backend <name>    as for chunkscope run
  --outputs <dir>     write each cycle's outputs there as chunkscope run does (.npy
                      files and manifest.json): the last cycle's stay, whole, or the
                      finished runs of a cycle the emergency stop or a signal cut short
  --json              print the soak as JSON on stdout
  -h, --help          show this help

exit codes: 0 steady, 1 an invalid scenario, 2 an infeasible plan, 6 leaking or
stopped by --stop-at, 64 a usage error, 69 no WebGPU adapter for --backend webgpu`;

/** Runs `chunkscope soak` with `args` (after the subcommand); returns the exit code. */
export async function soakCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cycles: { type: 'string' },
      'max-growth': { type: 'string' },
      'stop-at': { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      outputs: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(kSoakHelp);
    return kExit.ok;
  }
  const usage = (message: string) => {
    io.err(`chunkscope soak: ${message}\n\n${kSoakHelp}`);
    return kExit.usage;
  };
  const flag = (name: 'cycles' | 'max-growth' | 'stop-at', min: number) => (values[name] === undefined ? undefined : wholeNumber(values[name], min));
  const [cyclesFlag, maxGrowthFlag, stopAtFlag] = [flag('cycles', 1), flag('max-growth', 0), flag('stop-at', 0)];
  if (values.cycles !== undefined && cyclesFlag === undefined) return usage(`--cycles must be a whole number of at least 1, not "${values.cycles}"`);
  if (values['max-growth'] !== undefined && maxGrowthFlag === undefined) return usage(`--max-growth must be a whole number of bytes, not "${values['max-growth']}"`);
  if (values['stop-at'] !== undefined && stopAtFlag === undefined) return usage(`--stop-at must be a whole number of bytes, not "${values['stop-at']}"`);
  const choice = values.backend as BackendChoice;
  if (!kBackendChoices.includes(choice)) return usage(`--backend must be one of ${kBackendChoices.join(', ')}, not "${values.backend}"`);
  if (positionals.length !== 1) return usage(`expected one scenario file (or -), got ${positionals.length}`);

  const loaded = await loadRun(positionals[0]);
  if (!loaded.ok) return reportLoadFailure(loaded, io, values.json);
  // Flags override the scenario's own "soak" section, which overrides the defaults.
  const own = loaded.run.scenario.soak;
  const cycles = cyclesFlag ?? own?.cycles ?? 10;
  const maxGrowth = maxGrowthFlag ?? own?.maxGrowthBytes ?? 0;
  const stopAt = stopAtFlag ?? own?.stopAtBytes;
  const chosen = await chooseBackend(choice, loaded.run.scenario);
  if (!chosen.ok) {
    if (values.json) io.out(stringifyJson({ error: { code: 'NO_DEVICE', message: chosen.message } }));
    else io.err(`chunkscope: ${chosen.message}`);
    return kExit.noDevice;
  }
  if (values.outputs !== undefined) {
    const unwritable = await checkOutputPaths([{ flag: '--outputs', path: values.outputs, kind: 'folder' }]);
    if (unwritable.length) return usage(unwritable.map((u) => u.message).join('; '));
  }
  const { runSoak } = await import('../engine/soak.ts');
  let lastOutputs: OutputSink | undefined;
  // From here SIGINT/SIGTERM end the soak after the cycle's current phase, finished cycles kept.
  const signal = io.cancelOnSignals?.();
  try {
    const { backend, device, requestDevice } = chosen.value;
    const soak = await runSoak(loaded.run, {
      backend,
      device,
      requestDevice,
      cycles,
      signal,
      ...(values.outputs !== undefined && { outputsFor: () => (lastOutputs = outputsFor(values.outputs, loaded.run.scenario)) }),
      hostBytes: () => process.memoryUsage().rss,
      ...(stopAt !== undefined && { stopAtBytes: stopAt }),
      limits: { ...kSoakDefaults, maxGrowthBytesPerCycle: maxGrowth },
    });
    const unwritten = lastOutputs && outputsError(lastOutputs);
    if (values.json) io.out(stringifyJson({ ...soakJson(soak), ...(unwritten && { unwritten: [{ flag: '--outputs', path: values.outputs, message: unwritten }] }) }));
    else io.out(formatSoak(soak, chosen.value.words));
    if (unwritten) io.err(`chunkscope soak: ${unwritten}`);
    if (soak.verdict !== 'steady') return kExit.soakLeaked;
    return unwritten ? kExit.outputUnwritable : kExit.ok;
  } finally {
    chosen.value.dispose();
  }
}

/** The JSON of DESIGN.md: cycles, growth, verdict, the leaked buffers at the end; with each cycle's run outcome beside. */
export function soakJson(soak: SoakReport): Record<string, unknown> {
  return { kind: 'soak', scenario: soak.scenario, cycles: soak.cycles, growth: soak.growth, verdict: soak.verdict, why: soak.why, ...(soak.stopped && { stopped: soak.stopped }), outcomes: soak.outcomes, leakedAtEnd: soak.leakedAtEnd };
}

/** A soak as text: a row per cycle (the first and last few when there are many), growth and verdict. */
export function formatSoak(soak: SoakReport, device: string): string {
  const lines = [`${soak.scenario}: ${formatCount(soak.cycles.length)} cycles on ${device}`, '', 'cycle  live device bytes  live buffers  host (RSS)  at  run'];
  const row = (s: SoakSample) => {
    const o = soak.outcomes[s.cycle - 1];
    const run = `${o.status}${o.verified === undefined ? '' : o.verified ? ', verified' : ', verification FAILED'}${o.fallbacks ? `, ${o.fallbacks} fallbacks` : ''}`;
    return `${String(s.cycle).padStart(5)}  ${formatBytesExact(s.liveDeviceBytes).padStart(17)}  ${String(s.liveBuffers).padStart(12)}  ${formatBytesExact(s.hostBytes)}  ${formatDuration(s.ms)}  ${run}`;
  };
  const shown = soak.cycles.length <= 12 ? soak.cycles : [...soak.cycles.slice(0, 5), undefined, ...soak.cycles.slice(-5)];
  for (const s of shown) lines.push(s ? row(s) : '  …');
  lines.push('');
  lines.push(`device growth ${soak.growth.deviceBytesPerCycle} B per cycle`);
  lines.push(`host growth   ${Math.round(soak.growth.hostBytesPerSecond)} B/s, spread ±${(soak.growth.spread * 100).toFixed(1)}%`);
  if (soak.stopped) lines.push(`stopped       at cycle ${soak.stopped.cycle}: ${formatBytesExact(soak.stopped.liveDeviceBytes)} live, over --stop-at ${formatBytesExact(soak.stopped.stopAtBytes)}; finished cycles kept`);
  lines.push(`verdict       ${soak.verdict}: ${soak.why}`);
  lines.push(`leaked        ${soak.leakedAtEnd.buffers} buffers (${formatBytesExact(soak.leakedAtEnd.deviceBytes)} of device memory) alive at the end, destroyed by the soak`);
  return lines.join('\n');
}

function wholeNumber(text: string, min: number): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
}
