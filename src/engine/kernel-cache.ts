/**
 * Compiled kernels, cached per device: a shader module and its layouts per WGSL source,
 * and a pipeline per set of `override` constants and run count. Every attempt, every run
 * and the one-chunk reference check on one device share them, so a kernel is compiled
 * once per device, not once per attempt. A lost device takes its cache with it (a
 * WeakMap keyed by the device), and a new device compiles afresh.
 */
import { bindGroupLayoutEntries, bindingPrelude } from '../kernels/bindings.ts';
import type { Kernel, KernelArray } from '../kernels/kernel.ts';
import { EngineError } from './errors.ts';

/** A kernel compiled for one device and one set of arrays as stored there. */
export interface CompiledKernel {
  layout: GPUBindGroupLayout;
  /** The pipeline for chunks of `runs` runs; created once per device, constants and run count. */
  pipelineFor(runs: number): Promise<GPUComputePipeline>;
}

/** A shader module with its layouts, and the pipelines made from it so far. */
interface CompiledModule {
  layout: GPUBindGroupLayout;
  pipelineLayout: GPUPipelineLayout;
  module: GPUShaderModule;
  pipelines: Map<string, Promise<GPUComputePipeline>>;
}

const caches = new WeakMap<GPUDevice, Map<string, Promise<CompiledModule>>>();

/** What compiling a kernel needs. */
export interface CompileRequest {
  kernel: Pick<Kernel, 'name' | 'wgsl'>;
  /** The arrays as stored on the device: they shape the bindings. */
  arrays: readonly KernelArray[];
  /** The kernel's `override` constants for the scenario (the run count is added per chunk). */
  constants: Record<string, number>;
}

/**
 * The kernel for `arrays` on `device`, compiled once per device and source. Throws
 * {@link EngineError} `KERNEL_COMPILE` when the WGSL does not compile (and from
 * `pipelineFor` when a pipeline cannot be created).
 */
export async function compileKernel(device: GPUDevice, { kernel, arrays, constants }: CompileRequest): Promise<CompiledKernel> {
  const code = `${bindingPrelude(arrays)}\n${kernel.wgsl(arrays)}`;
  const entries = bindGroupLayoutEntries(arrays);
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = new Map()));
  // The layout entries follow from the arrays as the code does; keyed on both, so no two arrays lists share a layout by accident.
  const key = `${JSON.stringify(entries)}\n${code}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileModule(device, kernel.name, code, entries);
    cache.set(key, compiled);
  }
  const { layout, pipelineLayout, module, pipelines } = await compiled;
  const constantsKey = JSON.stringify(constants);
  return {
    layout,
    pipelineFor(runs) {
      const pipelineKey = `${constantsKey} ${runs}`;
      let pipeline = pipelines.get(pipelineKey);
      if (!pipeline) {
        pipeline = device
          .createComputePipelineAsync({
            label: `${kernel.name} for ${runs} runs`,
            layout: pipelineLayout,
            compute: { module, entryPoint: 'main', constants: { ...constants, chunk_runs: runs } },
          })
          .catch((err: Error) => {
            // A parameter f32 cannot hold fails here, not in the module: say so as a kernel error.
            throw new EngineError('KERNEL_COMPILE', `the ${kernel.name} kernel's pipeline cannot be created: ${err.message}`);
          });
        // Compiled ahead (the final chunk's) and maybe never awaited if the attempt fails first.
        pipeline.catch(() => {});
        pipelines.set(pipelineKey, pipeline);
      }
      return pipeline;
    },
  };
}

async function compileModule(device: GPUDevice, name: string, code: string, entries: GPUBindGroupLayoutEntry[]): Promise<CompiledModule> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: `${name} kernel`, code });
  const layout = device.createBindGroupLayout({ label: `${name} bindings`, entries });
  const pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [layout] });
  const error = await device.popErrorScope();
  if (error) {
    const info = await module.getCompilationInfo();
    const lines = info.messages.filter((m) => m.type === 'error').map((m) => `  line ${m.lineNum}: ${m.message}`);
    throw new EngineError('KERNEL_COMPILE', `the ${name} kernel does not compile: ${error.message}${lines.length ? `\n${lines.join('\n')}` : ''}`);
  }
  return { layout, pipelineLayout, module, pipelines: new Map() };
}
