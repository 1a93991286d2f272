/**
 * `touch`: the kernel generated for any set of arrays, so a scenario with no named
 * kernel still runs. shaders/touch.wgsl holds its fixed part; this module generates
 * `touch_run` and `touch_fixed` for the scenario's arrays and is its CPU twin.
 *
 * Per run, a digest folds in every element of the run's chunked input and inout arrays,
 * then the first {@link kFixedSample} elements of each fixed input; every element `j`
 * of the run's chunked output, inout and scratch arrays becomes
 * `value(hash(mix(mix(digest, array), j)))`. Fixed outputs are the same function of a
 * digest of every fixed input element. No value depends on where a chunk starts.
 * Fixed inout arrays are overwritten, never read, so repeated chunks agree.
 */
import type { Dtype } from '../core/dtypes.ts';
import { f32Bits, hash32, mix32 } from '../core/hash.ts';
import type { Scenario, ScenarioIssue } from '../core/scenario.ts';
import kTouchWgsl from '../../shaders/touch.wgsl?raw';
import { genericInputValue, inputHash } from './inputs.ts';
import { workgroupSizeOf, type Kernel, type KernelArray, type TwinArray } from './kernel.ts';

/** Elements of each fixed input that every run folds into its digest. */
export const kFixedSample = 16;

const kDigestSeed = 0x2545f491;

function readsPerRun(a: KernelArray): boolean {
  return a.layout.chunked ? a.role === 'input' || a.role === 'inout' : a.role === 'input';
}
function writes(a: KernelArray): boolean {
  return a.role !== 'input';
}

/** WGSL: the u32 that stands for a loaded value in the digest. */
function bitsExpr(a: KernelArray, value: string): string {
  return a.dtype === 'u32' ? value : `bitcast<u32>(${value})`;
}
/** WGSL: a hash turned into a stored value. */
function valueExpr(a: KernelArray, h: string): string {
  return a.dtype === 'u32' ? h : a.dtype === 'i32' ? `bitcast<i32>(${h})` : `touch_float(${h})`;
}

function generateWgsl(arrays: readonly KernelArray[]): string {
  const run: string[] = ['fn touch_run(r: u32) {', `  var d = ${kDigestSeed}u;`];
  for (const a of arrays.filter((x) => x.layout.chunked && readsPerRun(x))) {
    run.push(
      `  for (var o = 0u; o < ${a.name}_outer; o++) {`,
      `    for (var i = 0u; i < ${a.name}_inner; i++) {`,
      `      d = mix32(d, ${bitsExpr(a, `load_${a.name}(${a.name}_index(o, r, i))`)});`,
      '    }',
      '  }',
    );
  }
  for (const a of arrays.filter((x) => !x.layout.chunked && readsPerRun(x))) {
    run.push(`  for (var j = 0u; j < min(${a.name}_count, ${kFixedSample}u); j++) {`, `    d = mix32(d, ${bitsExpr(a, `load_${a.name}(j)`)});`, '  }');
  }
  for (const a of arrays.filter((x) => x.layout.chunked && writes(x))) {
    run.push(
      `  let d_${a.binding} = mix32(d, ${a.binding}u);`,
      `  for (var o = 0u; o < ${a.name}_outer; o++) {`,
      `    for (var i = 0u; i < ${a.name}_inner; i++) {`,
      `      store_${a.name}(${a.name}_index(o, r, i), ${valueExpr(a, `hash32(mix32(d_${a.binding}, o * ${a.name}_inner + i))`)});`,
      '    }',
      '  }',
    );
  }
  run.push('}');
  const fixed: string[] = ['fn touch_fixed() {', `  var d = ${kDigestSeed}u;`];
  for (const a of arrays.filter((x) => !x.layout.chunked && x.role === 'input')) {
    fixed.push(`  for (var j = 0u; j < ${a.name}_count; j++) {`, `    d = mix32(d, ${bitsExpr(a, `load_${a.name}(j)`)});`, '  }');
  }
  for (const a of arrays.filter((x) => !x.layout.chunked && writes(x))) {
    fixed.push(
      `  for (var j = 0u; j < ${a.name}_count; j++) {`,
      `    store_${a.name}(j, ${valueExpr(a, `hash32(mix32(mix32(d, ${a.binding}u), j))`)});`,
      '  }',
    );
  }
  fixed.push('}');
  return [kTouchWgsl, run.join('\n'), fixed.join('\n')].join('\n\n');
}

/** The host twin of the WGSL bits of a loaded value. */
function valueBits(dtype: Dtype, value: number): number {
  switch (dtype) {
    case 'u32':
      return value >>> 0;
    case 'i32':
      return value >>> 0;
    default:
      return f32Bits(value);
  }
}
/** The host twin of `touch_float` and the integer bitcasts. */
function touchValue(dtype: Dtype, h: number): number {
  if (dtype === 'u32') return h;
  if (dtype === 'i32') return h | 0;
  return (h & 0x7ff) * 0.125 - 128;
}

function twin(_scenario: Scenario, arrays: readonly TwinArray[], runs: number): void {
  const index = (a: TwinArray, o: number, r: number, i: number) => (o * runs + r) * a.layout.inner + i;
  for (let r = 0; r < runs; r++) {
    let d = kDigestSeed;
    for (const a of arrays.filter((x) => x.layout.chunked && readsPerRun(x))) {
      for (let o = 0; o < a.layout.outer; o++) {
        for (let i = 0; i < a.layout.inner; i++) d = mix32(d, valueBits(a.dtype, a.view.get(index(a, o, r, i))));
      }
    }
    for (const a of arrays.filter((x) => !x.layout.chunked && readsPerRun(x))) {
      for (let j = 0; j < Math.min(a.layout.inner, kFixedSample); j++) d = mix32(d, valueBits(a.dtype, a.view.get(j)));
    }
    for (const a of arrays.filter((x) => x.layout.chunked && writes(x))) {
      const da = mix32(d, a.binding);
      for (let o = 0; o < a.layout.outer; o++) {
        for (let i = 0; i < a.layout.inner; i++) {
          a.view.set(index(a, o, r, i), touchValue(a.dtype, hash32(mix32(da, o * a.layout.inner + i))));
        }
      }
    }
  }
  if (runs === 0) return;
  let d = kDigestSeed;
  for (const a of arrays.filter((x) => !x.layout.chunked && x.role === 'input')) {
    for (let j = 0; j < a.layout.inner; j++) d = mix32(d, valueBits(a.dtype, a.view.get(j)));
  }
  for (const a of arrays.filter((x) => !x.layout.chunked && writes(x))) {
    const da = mix32(d, a.binding);
    for (let j = 0; j < a.layout.inner; j++) a.view.set(j, touchValue(a.dtype, hash32(mix32(da, j))));
  }
}

/** The `touch` kernel. */
export const kTouchKernel: Kernel = {
  name: 'touch',
  summary: 'reads every input element and writes a hash of each run\'s inputs to every output element',
  runsPerWorkgroup: workgroupSizeOf(kTouchWgsl),
  // Any arrays will do: touch is generated for them.
  check: (): ScenarioIssue[] => [],
  wgsl: generateWgsl,
  constants: () => ({}),
  inputValue(scenario, spec, arrayIndex, run, element) {
    return genericInputValue(spec.dtype, inputHash(scenario.seed, arrayIndex, run, element));
  },
  twin,
  tolerance: () => ({ exact: true }),
};
