/** The engines of the kernel tests: wasm (cpu registered too, silent fallback) and cpu alone. */
import type { Engine } from '@tapegrad/core';
import { createEngine } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import { math } from '@tapegrad/ops-math';
import type { WasmOptions } from '../src/index.js';
import { wasm } from '../src/index.js';

/** A wasm engine with `math` and `conv`; `threadGrain: 0` splits every kernel that can split. */
export async function wasmEngine(options: WasmOptions = {}): Promise<Engine> {
  const engine = createEngine({
    ops: [math, conv],
    backends: [wasm(options), cpu()],
    flags: { fallback: 'silent' },
  });
  await engine.setBackend('wasm');
  return engine;
}

/** The reference: the CPU backend alone. */
export const cpuEngine = createEngine({ ops: [math, conv], backends: [cpu()] });
