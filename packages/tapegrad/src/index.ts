/**
 * tapegrad: everything re-exported, with the default plugins registered on the
 * default engine, so `import * as tg from 'tapegrad'` works like `@tensorflow/tfjs`.
 */
import { getDefaultEngine } from '@tapegrad/core';
import type { Plugin } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { wasm } from '@tapegrad/backend-wasm';
import { conv } from '@tapegrad/ops-conv';
import { math } from '@tapegrad/ops-math';
import { lazyWebGPU } from './webgpu.js';

export * from '@tapegrad/core';
export * from '@tapegrad/ops-math';
export * from '@tapegrad/ops-conv';
export { CpuBackend, cpu } from '@tapegrad/backend-cpu';
export {
  WasmBackend,
  getThreadsCount,
  relaxedSimdSupported,
  setThreadsCount,
  sharedMemorySupported,
  threadsSupported,
  wasm,
  wasmUnacceleratedOps,
} from '@tapegrad/backend-wasm';
export * from '@tapegrad/optim';
export { CheckpointError, io } from '@tapegrad/io';

/**
 * The plugins this package registers: op families first, then backends by priority: webgpu
 * on a hardware adapter (loaded on first use; `TAPEGRAD_WEBGPU=force` allows software
 * adapters, `off` disables it), then wasm, then cpu. `await ready()` picks the best one that
 * starts; a synchronous first op picks the best one ready synchronously (wasm in Node).
 */
export const defaultPlugins: readonly Plugin[] = [math, conv, lazyWebGPU(), wasm(), cpu()];

/**
 * Registers the default plugins on the default engine (skipping any already registered).
 *
 * @example
 * ```ts
 * import { getBackend, ready, registerDefaults } from 'tapegrad';
 * registerDefaults(); // importing tapegrad already did; calling it again changes nothing
 * await ready();
 * console.log(getBackend()); // 'webgpu' on a GPU, else 'wasm'
 * ```
 */
export function registerDefaults(): void {
  const engine = getDefaultEngine();
  for (const plugin of defaultPlugins) {
    if (!engine.plugins.has(`${plugin.kind}:${plugin.name}`)) engine.use(plugin);
  }
}

registerDefaults();
