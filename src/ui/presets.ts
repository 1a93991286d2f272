/**
 * Scenarios that teach one idea each. They are plain scenario files under `examples/`,
 * so `chunkscope plan examples/presets/chunk-axis-first.json` shows the same plan as the app.
 */
import dangling from '../../examples/dangling-final-chunk.json';
import fixedOverBudget from '../../examples/fixed-exceeds-budget.json';
import lorenz from '../../examples/lorenz-batch.json';
import sliceOverLimit from '../../examples/slice-exceeds-limit.json';
import chunkAxisFirst from '../../examples/presets/chunk-axis-first.json';
import chunkAxisLast from '../../examples/presets/chunk-axis-last.json';
import twoBufferSets from '../../examples/presets/two-buffer-sets.json';
import deviceLost from '../../examples/lorenz-device-lost.json';
import f16Rung from '../../examples/presets/f16-rung.json';
import oomThird from '../../examples/presets/oom-third-allocation.json';
import f64OnCpu from '../../examples/f64-on-cpu.json';
import cleanSoak from '../../examples/soak/clean-soak.json';
import leakSoak from '../../examples/soak/leak-one-buffer.json';
import emergencyStop from '../../examples/soak/emergency-stop.json';

/** A scenario and the one sentence on what it shows. */
export interface Preset {
  /** Stable id, used in the picker and in links. */
  id: string;
  title: string;
  /** One sentence: what the preset shows. */
  teaches: string;
  /** Where the scenario file lives, for the CLI. */
  file: string;
  scenario: unknown;
}

/** Every preset, the default first. */
export const kPresets: readonly Preset[] = [
  {
    id: 'lorenz-batch',
    title: 'Lorenz batch (default)',
    teaches: 'An 8 MiB budget cuts 20,000 Lorenz runs into 3 chunks: the budget binds, long before any WebGPU limit.',
    file: 'examples/lorenz-batch.json',
    scenario: lorenz,
  },
  {
    id: 'dangling-final-chunk',
    title: 'Dangling final chunk',
    teaches: '105 runs in chunks of 25 leave a dangling final chunk of 5 runs that still needs its own dispatch.',
    file: 'examples/dangling-final-chunk.json',
    scenario: dangling,
  },
  {
    id: 'chunk-axis-last',
    title: 'Chunk axis last',
    teaches: 'With "runs" last, each chunk of state is 300 strided ranges of the host array: the same bytes as axis-first, many more copies.',
    file: 'examples/presets/chunk-axis-last.json',
    scenario: chunkAxisLast,
  },
  {
    id: 'chunk-axis-first',
    title: 'Chunk axis first',
    teaches: 'With "runs" first, each chunk of every array is one contiguous range of the host array: one copy per array per chunk.',
    file: 'examples/presets/chunk-axis-first.json',
    scenario: chunkAxisFirst,
  },
  {
    id: 'fixed-exceeds-budget',
    title: 'Fixed arrays over the budget',
    teaches: 'A 1 MiB fixed lookup table cannot fit a budget of 1,000,000 B (977 KiB), and no chunk length can help: a fixed array is allocated whole.',
    file: 'examples/fixed-exceeds-budget.json',
    scenario: fixedOverBudget,
  },
  {
    id: 'slice-exceeds-limit',
    title: 'One run over maxStorageBufferBindingSize',
    teaches: 'One run of state is 200 MiB, over the 128 MiB binding limit: the budget is ample, but even a chunk of one run cannot be bound.',
    file: 'examples/slice-exceeds-limit.json',
    scenario: sliceOverLimit,
  },
  {
    id: 'two-buffer-sets',
    title: 'Two buffer sets against one',
    teaches: 'Two buffer sets hold two chunks at once: against the default Lorenz batch, chunkLength halves and the chunks double.',
    file: 'examples/presets/two-buffer-sets.json',
    scenario: twoBufferSets,
  },
  {
    id: 'oom-third-allocation',
    title: 'Out of memory on the 3rd allocation',
    teaches: 'An injected out-of-memory on the 3rd allocation is recovered by shrinking: chunkLength halves from 974 to 487 and all 3,000 runs still verify.',
    file: 'examples/presets/oom-third-allocation.json',
    scenario: oomThird,
  },
  {
    id: 'device-lost',
    title: 'Device lost mid-run',
    teaches: 'The device is lost during chunk 1; the worker gets a new device and the run resumes at run 974 with nothing lost, and still verifies.',
    file: 'examples/lorenz-device-lost.json',
    scenario: deviceLost,
  },
  {
    id: 'f16-rung',
    title: 'The f16 rung',
    teaches: 'State over 360,000 B runs out of memory, so the ladder stores f32 arrays as packed f16: their bytes halve (the u32 status keeps its own) and verification passes within f16 tolerance.',
    file: 'examples/presets/f16-rung.json',
    scenario: f16Rung,
  },
  {
    id: 'f64-on-cpu',
    title: 'f64 on the CPU',
    teaches: 'Arrays of f64 plan like any other, but WGSL has no 64-bit float: WebGPU cannot run them, so auto runs this on the CPU backend, which verifies the same way.',
    file: 'examples/f64-on-cpu.json',
    scenario: f64OnCpu,
  },
  {
    id: 'clean-soak',
    title: 'Soak: clean',
    teaches: 'Soak it: 50 cycles on one device, and live device bytes return to 0 after every cycle, so the fitted growth is exactly 0 B a cycle: steady.',
    file: 'examples/soak/clean-soak.json',
    scenario: cleanSoak,
  },
  {
    id: 'leak-one-buffer',
    title: 'Soak: a leaked buffer a cycle',
    teaches: 'Soak it: a leak fault never frees y (4,000 B), so every cycle leaves one more buffer live and the fitted growth is exactly 4,000 B a cycle: leaking.',
    file: 'examples/soak/leak-one-buffer.json',
    scenario: leakSoak,
  },
  {
    id: 'emergency-stop',
    title: 'Soak: the emergency stop',
    teaches: 'Soak it: the leak passes the 12,000 B stop in cycle 4, so the soak stops there, frees every buffer, and keeps cycles 1–4 verified.',
    file: 'examples/soak/emergency-stop.json',
    scenario: emergencyStop,
  },
];
