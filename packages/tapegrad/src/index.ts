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

export * from '@tapegrad/core';
export * from '@tapegrad/ops-math';
export * from '@tapegrad/ops-conv';
export { CpuBackend, cpu } from '@tapegrad/backend-cpu';
export { WasmBackend, wasm, wasmUnacceleratedOps } from '@tapegrad/backend-wasm';
export * from '@tapegrad/optim';
export { CheckpointError, io } from '@tapegrad/io';

/**
 * The plugins this package registers: op families first, then backends by priority
 * (wasm before cpu; in a browser main thread wasm compiles asynchronously: `await ready()`).
 */
export const defaultPlugins: readonly Plugin[] = [math, conv, wasm(), cpu()];

/** Registers the default plugins on the default engine (skipping any already registered). */
export function registerDefaults(): void {
  const engine = getDefaultEngine();
  for (const plugin of defaultPlugins) {
    if (!engine.plugins.has(`${plugin.kind}:${plugin.name}`)) engine.use(plugin);
  }
}

registerDefaults();
