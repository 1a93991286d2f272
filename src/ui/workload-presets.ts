/**
 * Workloads that tell one story each of jobs sharing a device. They are the files under
 * `examples/workloads/`, so `chunkscope run examples/workloads/parent-trap.json` ends as
 * the app's run does; each sentence is that file's expected outcome in its README.
 */
import streamGroups from '../../examples/workloads/stream-groups.json';
import twoJobs80 from '../../examples/workloads/two-jobs-80-percent.json';
import heldPerLane from '../../examples/workloads/held-memory-per-lane.json';
import heldPerJob from '../../examples/workloads/held-memory-per-job.json';
import parentTrap from '../../examples/workloads/parent-trap.json';
import parentTrapMps from '../../examples/workloads/parent-trap-mps.json';
import laneDeviceLost from '../../examples/workloads/lane-device-lost.json';
import coverageSeed from '../../examples/workloads/coverage-split-seed.json';
import coverageInOrder from '../../examples/workloads/coverage-split-in-order.json';
import coverageLpt from '../../examples/workloads/coverage-split-lpt.json';
import type { Preset } from './presets.ts';

/** Every workload preset, in the order of the stories. */
export const kWorkloadPresets: readonly Preset[] = [
  {
    id: 'stream-groups',
    title: 'Workload: stream groups (manual + auto shares)',
    teaches: 'The solvers lane\u2019s cap is 2 MiB and each auto lane\u2019s 1 MiB; every job plans within its lane\u2019s cap and all four verify.',
    file: 'examples/workloads/stream-groups.json',
    scenario: streamGroups,
  },
  {
    id: 'two-jobs-80-percent',
    title: 'Workload: two jobs at 80 % each',
    teaches: 'Each job is fine alone; together they pass the device: the ledger refuses an allocation, naming the other job\u2019s bytes, the job shrinks and both verify with the ledger\u2019s peak within 1 MiB.',
    file: 'examples/workloads/two-jobs-80-percent.json',
    scenario: twoJobs80,
  },
  {
    id: 'held-memory-per-lane',
    title: 'Workload: held memory, one process (per-lane)',
    teaches: 'test_huggingface keeps its 700 KiB until the worker exits, so test_vllm\u2019s 512 KiB fixed array is refused and it fails.',
    file: 'examples/workloads/held-memory-per-lane.json',
    scenario: heldPerLane,
  },
  {
    id: 'held-memory-per-job',
    title: 'Workload: held memory, a process per module (per-job)',
    teaches: 'Each job gets a fresh worker and device, the held memory goes with the first, and both verify.',
    file: 'examples/workloads/held-memory-per-job.json',
    scenario: heldPerJob,
  },
  {
    id: 'parent-trap',
    title: 'Workload: the parent trap',
    teaches: 'On an exclusive-process device the parent opened first, every lane\u2019s first allocation is DEVICE_BUSY and every job fails.',
    file: 'examples/workloads/parent-trap.json',
    scenario: parentTrap,
  },
  {
    id: 'parent-trap-mps',
    title: 'Workload: the parent trap with MPS',
    teaches: 'With MPS the lanes share the exclusive device the parent opened, and both jobs verify.',
    file: 'examples/workloads/parent-trap-mps.json',
    scenario: parentTrapMps,
  },
  {
    id: 'lane-device-lost',
    title: 'Workload: a lane whose device is lost',
    teaches: 'That job fails with DEVICE_LOST after new devices, the other lane verifies, and no device is left.',
    file: 'examples/workloads/lane-device-lost.json',
    scenario: laneDeviceLost,
  },
  {
    id: 'coverage-split-seed',
    title: 'Workload: coverage split as the seed grouped it',
    teaches: '70 modules (8,661 statements) pinned to 5 workers as the seed listed them: imbalance 1.764, worker 3 carries 3,055 statements against a mean of 1,732.',
    file: 'examples/workloads/coverage-split-seed.json',
    scenario: coverageSeed,
  },
  {
    id: 'coverage-split-in-order',
    title: 'Workload: coverage split in order',
    teaches: 'The same modules, module i to worker i mod 5: imbalance 1.407.',
    file: 'examples/workloads/coverage-split-in-order.json',
    scenario: coverageInOrder,
  },
  {
    id: 'coverage-split-lpt',
    title: 'Workload: coverage split, heaviest first (lpt)',
    teaches: 'The same modules, heaviest first to the least-loaded worker: imbalance 1.006 (1,742 against 1,732).',
    file: 'examples/workloads/coverage-split-lpt.json',
    scenario: coverageLpt,
  },
];
