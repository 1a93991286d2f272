/**
 * A soak (DESIGN.md, "Soaks and leaks"): one prepared scenario run `cycles` times on one
 * device, sampled after every cycle. Buffers of `leak` faults stay alive from cycle to
 * cycle in one holder and count against every later allocation's budget, so a leak
 * grows the device until it runs out, as it would for real. The emergency stop ends the
 * soak once live device bytes pass it, mid-cycle if need be (the cycle is cancelled and
 * its finished runs kept); every buffer is destroyed when the soak ends, however it ends.
 */
import { soakVerdict, kSoakDefaults, type SoakGrowth, type SoakLimits, type SoakSample, type SoakVerdict } from '../core/soak.ts';
import { LeakedBuffers } from './leaked-buffers.ts';
import type { PreparedRun } from './prepare-run.ts';
import { runPrepared, type RunOptions, type RunReport } from './run-scenario.ts';

/** How to soak. */
export interface SoakOptions extends Omit<RunOptions, 'leaks' | 'onProgress' | 'outputs'> {
  /** Where each cycle's outputs go (a new sink per cycle: the last cycle's, whole or its finished prefix, is what stays). */
  outputsFor?: (cycle: number) => RunOptions['outputs'];
  cycles: number;
  /** Host memory in use now (Node: RSS; a browser: its JS heap). */
  hostBytes: () => number;
  /** The emergency stop: live device bytes above this end the soak. */
  stopAtBytes?: number;
  limits?: SoakLimits;
  /** After each cycle, with its sample and report (to show progress or keep outputs). */
  onCycle?: (sample: SoakSample, report: RunReport) => void;
}

/** What one cycle's run came to. */
export interface SoakCycleOutcome {
  cycle: number;
  status: RunReport['status'];
  runsDone: number;
  /** Undefined when the cycle did not finish or was not verified. */
  verified?: boolean;
  fallbacks: number;
  /** The backend of each attempt, in order: ["webgpu", "cpu"] when the cpu rung was taken. */
  backends: RunReport['backend'][];
}

/** The outcome of a soak. */
export interface SoakReport {
  scenario: string;
  cycles: SoakSample[];
  outcomes: SoakCycleOutcome[];
  growth: SoakGrowth;
  verdict: SoakVerdict;
  /** The verdict in words. */
  why: string;
  /** Set when the emergency stop ended the soak. */
  stopped?: { cycle: number; liveDeviceBytes: number; stopAtBytes: number };
  /** The leaked buffers the soak, as their owner, destroyed once it ended: what a real program would have kept. */
  leakedAtEnd: { buffers: number; deviceBytes: number };
}

/** Runs the soak; never throws for a fault (each cycle's run reports its own). */
export async function runSoak(prepared: PreparedRun, options: SoakOptions): Promise<SoakReport> {
  const leaks = new LeakedBuffers();
  const samples: SoakSample[] = [];
  const outcomes: SoakCycleOutcome[] = [];
  const started = performance.now();
  let stopped: SoakReport['stopped'];
  let leakedAtEnd: SoakReport['leakedAtEnd'] = { buffers: 0, deviceBytes: 0 };
  try {
    for (let cycle = 1; cycle <= options.cycles && !stopped && !options.signal?.aborted; cycle++) {
      // The stop is checked as each chunk lands, so the soak ends within the cycle that crosses it.
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      options.signal?.addEventListener('abort', onAbort);
      const crossed = () => options.stopAtBytes !== undefined && leaks.deviceBytes > options.stopAtBytes;
      const outcome = await runPrepared(prepared, {
        ...options,
        leaks,
        ...(options.outputsFor && { outputs: options.outputsFor(cycle) }),
        signal: stop.signal,
        onProgress: () => {
          if (crossed()) stop.abort();
        },
      }).finally(() => options.signal?.removeEventListener('abort', onAbort));
      if (!outcome.ok) throw new Error(`cycle ${cycle} could not start: ${outcome.error.message}`);
      const { report } = outcome;
      const sample: SoakSample = { cycle, liveDeviceBytes: leaks.deviceBytes, liveBuffers: leaks.count, hostBytes: options.hostBytes(), ms: performance.now() - started };
      samples.push(sample);
      outcomes.push({
        cycle,
        status: report.status,
        runsDone: report.runsDone,
        ...(report.verification && { verified: report.verification.passed }),
        fallbacks: report.fallbacks.length,
        backends: report.attempts.map((a) => a.backend),
      });
      options.onCycle?.(sample, report);
      if (crossed()) stopped = { cycle, liveDeviceBytes: leaks.deviceBytes, stopAtBytes: options.stopAtBytes! };
    }
  } finally {
    leakedAtEnd = { buffers: leaks.count, deviceBytes: leaks.deviceBytes };
    await leaks.destroyAll();
  }
  const { verdict, growth, why } = soakVerdict(samples, stopped !== undefined, options.limits ?? kSoakDefaults);
  return { scenario: prepared.scenario.name, cycles: samples, outcomes, growth, verdict, why, ...(stopped && { stopped }), leakedAtEnd };
}
