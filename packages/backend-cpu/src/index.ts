import type { BackendPlugin } from '@tapegrad/core';
import { CpuBackend } from './backend.js';
import { cpuKernels } from './kernels/index.js';

export { CpuBackend, CpuData } from './backend.js';
export { cpuKernels } from './kernels/index.js';

export interface CpuOptions {
  /** Selection priority among registered backends (default 1: lowest of the built-ins). */
  priority?: number;
}

/** The CPU backend plugin: `use(cpu())` or `createEngine({ backends: [cpu()] })`. */
export function cpu(options: CpuOptions = {}): BackendPlugin<CpuBackend> {
  return {
    kind: 'backend',
    name: 'cpu',
    priority: options.priority ?? 1,
    create: () => new CpuBackend(),
    kernels: cpuKernels,
  };
}
