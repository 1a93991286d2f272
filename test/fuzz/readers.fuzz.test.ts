// Every reader of user input returns a value, never throws, on hostile JSON: any value,
// and valid files with one value or key inside replaced (the in-suite slice of `npm run fuzz`).
import fc from 'fast-check';
import { compressToEncodedURIComponent } from 'lz-string';
import { beforeAll, describe, expect, test } from 'vitest';
import { importLegacyRequests } from '../../src/core/legacy-requests.ts';
import { readPytorchSnapshot } from '../../src/core/pytorch-snapshot.ts';
import { parseScenario } from '../../src/core/scenario.ts';
import { scenarioFromFragment } from '../../src/core/scenario-link.ts';
import { parseTraceFile, toTraceFile } from '../../src/core/trace-file.ts';
import { readTraceEvents } from '../../src/core/trace-events.ts';
import { snapshotToTrace } from '../../src/core/snapshot-trace.ts';
import { prepareRun, reportFromTrace, runScenario } from '../../src/engine/index.ts';
import { exampleFiles, scenarioExampleFiles } from '../core/example-files.ts';
import { hostileValue, mutationsOf } from './hostile-json.ts';

const kScenarios = scenarioExampleFiles().map((e) => e.json);
const kLegacy = exampleFiles('legacy').map((e) => e.json);
const kRuns = 300;

/** A hostile value, or a valid document of `docs` with one thing inside it made hostile. */
const hostileDocs = (docs: unknown[]) => fc.oneof(hostileValue, fc.oneof(...docs.map(mutationsOf)), fc.oneof(...docs.map(mutationsOf)));

describe('scenario readers', () => {
  test('parseScenario gives a scenario or issues with paths and sentences', () => {
    fc.assert(
      fc.property(hostileDocs(kScenarios), (value) => {
        const parsed = parseScenario(value);
        if (!parsed.ok) for (const issue of parsed.issues) expect(issue.message).toEqual(expect.any(String));
      }),
      { numRuns: kRuns * 3, seed: 13 },
    );
  });

  test('prepareRun (what plan, run and the worker call) gives a run or a coded error', () => {
    fc.assert(
      fc.property(hostileDocs(kScenarios), (value) => {
        const prepared = prepareRun(value);
        if (!prepared.ok) expect(prepared.error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: kRuns * 3, seed: 17 },
    );
  });

  test('a link holding any JSON, or any text at all, is read or refused in words', () => {
    const fragments = fc.oneof(
      fc.string(),
      hostileDocs(kScenarios).map((doc) => `scenario=${compressToEncodedURIComponent(JSON.stringify(doc) ?? '')}`),
      fc.string().map((s) => `scenario=${s}`),
    );
    fc.assert(
      fc.property(fragments, (fragment) => {
        const linked = scenarioFromFragment(fragment);
        if (linked.kind === 'error') expect(linked.message).toEqual(expect.any(String));
      }),
      { numRuns: kRuns, seed: 19 },
    );
  });
});

describe('trace reader', () => {
  let trace: unknown;
  beforeAll(async () => {
    const parsed = parseScenario(kScenarios[0]);
    if (!parsed.ok) throw new Error('the first example must be valid');
    const outcome = await runScenario({ ...parsed.scenario, runs: 40, faults: [{ kind: 'out-of-memory', onAllocation: 3 }] }, { backend: 'cpu' });
    if (!outcome.ok) throw new Error(outcome.error.message);
    trace = JSON.parse(JSON.stringify(toTraceFile(parsed.scenario, 'the CPU', outcome.report.trace)));
  });

  test('parseTraceFile and the replay behind Open trace… give a report or a sentence', () => {
    expect(parseTraceFile(trace).ok).toBe(true);
    fc.assert(
      fc.property(fc.constant(null).chain(() => hostileDocs([trace])), (value) => {
        const parsed = parseTraceFile(value);
        if (!parsed.ok) {
          expect(parsed.message).toEqual(expect.any(String));
          return;
        }
        const replayed = reportFromTrace(parsed.trace);
        if (!replayed.ok) expect(replayed.message).toEqual(expect.any(String));
      }),
      { numRuns: kRuns * 5, seed: 23 },
    );
  });

  test('a device that is no string is refused in words', () => {
    const parsed = parseTraceFile({ ...(trace as object), device: { toString: 1 } });
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining('"device" must be a string') });
  });
});

test('legacy requests are imported or each mistake is named', () => {
  fc.assert(
    fc.property(hostileDocs(kLegacy), (value) => {
      const imported = importLegacyRequests(value);
      if (!imported.ok) for (const m of imported.mistakes) expect(m.code).toMatch(/^[A-Z_]+$/);
    }),
    { numRuns: kRuns * 2, seed: 29 },
  );
});

test('a PyTorch snapshot is read or each problem is named with its path; one that is read becomes a trace the trace reader accepts', () => {
  const [snapshot] = exampleFiles('pytorch').map((e) => e.json);
  fc.assert(
    fc.property(hostileDocs([snapshot]), (value) => {
      const read = readPytorchSnapshot(value);
      if (!read.ok) {
        for (const issue of read.issues) expect(issue.message).toEqual(expect.any(String));
        return;
      }
      const checked = readTraceEvents(snapshotToTrace(read.snapshot).events);
      expect(checked.ok ? 'ok' : checked.message).toBe('ok');
    }),
    { numRuns: kRuns * 2, seed: 31 },
  );
});
