import type { BackendPlugin } from '@tapegrad/core';
import type { CpuBackendOptions } from './backend.js';
import { CpuBackend } from './backend.js';
import { cpuKernels } from './kernels/index.js';

export { CpuBackend, CpuData } from './backend.js';
export type { CpuBackendOptions, CpuKernel } from './backend.js';
export { cpuKernels } from './kernels/index.js';
// Broadcast iteration helpers, shared with other backends' host-side kernels.
export { broadcastStrides, forEachBroadcast, forEachBroadcastRow } from './kernels/broadcast.js';

export interface CpuOptions extends CpuBackendOptions {
  /** Selection priority among registered backends (default 1: lowest of the built-ins). */
  priority?: number;
}

/**
 * The CPU backend plugin: `use(cpu())` or `createEngine({ backends: [cpu()] })`.
 *
 * @example
 * ```ts
 * import { createEngine, createTensor } from '@tapegrad/core';
 * import { math } from '@tapegrad/ops-math';
 * const engine = createEngine({ ops: [math], backends: [cpu({ poolBytes: 0 })] });
 * createTensor(engine, [1, 2]).mul(3).print(); // [3, 6]
 * console.log(engine.getBackend()); // 'cpu'
 * ```
 */
export function cpu(options: CpuOptions = {}): BackendPlugin<CpuBackend> {
  return {
    kind: 'backend',
    name: 'cpu',
    priority: options.priority ?? 1,
    create: () => new CpuBackend(options),
    kernels: cpuKernels,
  };
}
