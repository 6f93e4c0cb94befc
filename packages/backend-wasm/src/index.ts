/**
 * @tapegrad/backend-wasm: WebAssembly SIMD kernels (compiled from AssemblyScript in
 * ../assembly), tensors in one growable wasm memory, no path configuration.
 *
 *   import { createEngine } from '@tapegrad/core';
 *   import { wasm } from '@tapegrad/backend-wasm';
 *   const engine = createEngine({ ops: [math], backends: [wasm(), cpu()] });
 *   await engine.ready(); // compiles the module (synchronous in Node, async in browsers)
 */
import type { BackendPlugin, Engine } from '@tapegrad/core';
import type { WasmBackendOptions } from './backend.js';
import { WasmBackend } from './backend.js';
import { WASM_ACCELERATED_OPS, acceleratedKernels, hostedKernels } from './kernels/index.js';
import {
  compileAsync,
  compileSync,
  instantiateAsync,
  instantiateSync,
  relaxedSimdSupported,
  variantsFor,
} from './module.js';

export { WasmBackend, WasmData, sharedMemorySupported } from './backend.js';
export type { KernelCall, WasmBackendOptions, WasmKernel } from './backend.js';
export { threadsSupported } from './threads/pool.js';
export { Heap, sizeClass } from './heap.js';
export type { HeapStats } from './heap.js';
export { kernelBytes, relaxedSimdSupported, simdSupported } from './module.js';
export type { KernelExports } from './module.js';
export { WASM_ACCELERATED_OPS, WASM_HOSTED_OPS } from './kernels/index.js';

export interface WasmOptions extends WasmBackendOptions {
  /** Selection priority among registered backends (default 2: above cpu's 1). */
  priority?: number;
  /**
   * How ops without a wasm kernel run. 'host' (default): the CPU backend's kernels run
   * directly on the wasm memory (no data moves). 'engine': no kernel is registered, so
   * the engine falls back to another backend (cpu) per op, moving the data there.
   */
  unaccelerated?: 'host' | 'engine';
  /**
   * Compile and instantiate synchronously (default: in Node and workers yes, on a
   * browser's main thread no: browsers refuse synchronous compilation of big modules
   * there, so `await engine.ready()` / `setBackend('wasm')` first).
   */
  sync?: boolean;
}

function canCompileSync(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; document?: unknown };
  return g.process?.versions?.node !== undefined || g.document === undefined;
}

/** Threads of backends created without a `threads` option (see `setThreadsCount`). */
let defaultThreads = 1;
/** Backends `setThreadsCount` updates: weakly held (an engine left to the GC takes its backend along). */
const liveBackends = new Set<WeakRef<WasmBackend>>();

/**
 * Sets the number of kernel threads of every live wasm backend and of those created later
 * without a `threads` option (like tfjs-backend-wasm's `setThreadsCount`). Where threads
 * are impossible the backends stay on 1 thread.
 *
 * @example
 * ```ts
 * import { getThreadsCount, setThreadsCount } from '@tapegrad/backend-wasm';
 * setThreadsCount(2); // the main thread and one worker, for every wasm backend
 * console.log(getThreadsCount()); // 2
 * setThreadsCount(1);
 * ```
 */
export function setThreadsCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`wasm: setThreadsCount(${n}): expected an integer ≥ 1`);
  }
  defaultThreads = n;
  for (const ref of liveBackends) {
    const backend = ref.deref();
    if (backend) backend.setThreadsCount(n);
    else liveBackends.delete(ref);
  }
}

/**
 * The thread count `setThreadsCount` set (1 unless called): what new backends without a
 * `threads` option use.
 *
 * @example
 * ```ts
 * import { getThreadsCount } from '@tapegrad/backend-wasm';
 * console.log(getThreadsCount()); // 1
 * ```
 */
export function getThreadsCount(): number {
  return defaultThreads;
}

function track(backend: WasmBackend): WasmBackend {
  const ref = new WeakRef(backend);
  liveBackends.add(ref);
  const dispose = backend.dispose.bind(backend);
  backend.dispose = () => {
    liveBackends.delete(ref);
    dispose();
  };
  return backend;
}

/**
 * The wasm backend plugin: `use(wasm())` or `createEngine({ backends: [wasm(), cpu()] })`.
 *
 * @example
 * ```ts
 * import { createEngine, createTensor } from '@tapegrad/core';
 * import { math } from '@tapegrad/ops-math';
 * const engine = createEngine({ ops: [math], backends: [wasm({ threads: 1 })] });
 * createTensor(engine, [1, 2]).mul(3).print(); // [3, 6]
 * console.log(engine.getBackend()); // 'wasm'
 * ```
 */
export function wasm(options: WasmOptions = {}): BackendPlugin<WasmBackend> {
  const kernels =
    (options.unaccelerated ?? 'host') === 'host'
      ? { ...hostedKernels, ...acceleratedKernels }
      : { ...acceleratedKernels };
  return {
    kind: 'backend',
    name: 'wasm',
    priority: options.priority ?? 2,
    create(): WasmBackend | Promise<WasmBackend> {
      const memory = WasmBackend.createMemory(options);
      const relaxedSimd = (options.relaxedSimd ?? true) && relaxedSimdSupported();
      const variants = variantsFor(memory, relaxedSimd);
      const backendOptions = {
        ...options,
        threads: options.threads ?? defaultThreads,
        relaxedSimd,
      };
      if (options.sync ?? canCompileSync()) {
        const exports = instantiateSync(
          variants.map((v) => compileSync(v)),
          memory,
        );
        return track(new WasmBackend(exports, memory, backendOptions));
      }
      return Promise.all(variants.map((v) => compileAsync(v)))
        .then((modules) => instantiateAsync(modules, memory))
        .then((exports) => track(new WasmBackend(exports, memory, backendOptions)));
    },
    kernels,
  };
}

/**
 * Ops of `engine` that have no WebAssembly kernel in the wasm backend (composite ops
 * excluded: they run as other ops), so they run the CPU kernels on the wasm memory or, with
 * `unaccelerated: 'engine'`, on another backend. Every op of `math` and `conv` has one.
 *
 * @example
 * ```ts
 * wasmUnacceleratedOps(getDefaultEngine()); // []
 * ```
 */
export function wasmUnacceleratedOps(engine: Engine): string[] {
  const accelerated = new Set(WASM_ACCELERATED_OPS);
  return engine
    .listOps()
    .filter((name) => {
      const def = engine.ops.get(name)!;
      return def.aliasInput === undefined && !def.composite && !accelerated.has(name);
    })
    .sort();
}
