/**
 * A pool of workers that run kernel calls on the backend's shared wasm memory: each
 * worker instantiates the same modules over the same memory and executes the calls the
 * main thread writes into its slot of the control block (./protocol.ts). Kernels split
 * their work into calls (`WasmBackend.parallel`); the main thread runs the first call
 * itself and waits for the others.
 *
 * Workers are `worker_threads` in Node (unref'ed: they never keep the process alive) and
 * `Worker`s in browsers when `crossOriginIsolated`. The main thread blocks in
 * `Atomics.wait` where it may (Node, workers); a browser's main thread may not, so there
 * it spins on `Atomics.load` (the calls it waits for are the other halves of the one it
 * just ran, so the spin is short).
 */
import { BackendError } from '@tapegrad/core';
import type { KernelExports } from '../module.js';
import {
  ARGC,
  ARGS_OFFSET,
  BUSY,
  EXIT,
  FAILED,
  FN,
  IDLE,
  MAX_ARGS,
  RUN,
  SLOT_BYTES,
  STARTING,
  STATE,
  WORKER_SOURCE,
} from './protocol.js';

/** One kernel call: an export of the module and its arguments (pointers, integers, 0/1). */
export interface KernelCall {
  fn: keyof KernelExports;
  args: readonly number[];
}

interface WorkerHandle {
  terminate(): void;
}

interface WorkerData {
  modules: WebAssembly.Module[];
  memory: WebAssembly.Memory;
  slot: number;
  names: string[];
}

interface NodeWorkerThreads {
  Worker: new (
    code: string,
    options: { eval: true; workerData: WorkerData },
  ) => WorkerHandle & { unref(): void; on(event: 'error', listener: () => void): void };
}

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (name: string) => unknown;
}

function nodeWorkerThreads(): NodeWorkerThreads | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return null;
  return proc.getBuiltinModule('node:worker_threads') as NodeWorkerThreads;
}

/**
 * Whether this host can run kernel threads: shared memory (Node, or a browser page that is
 * `crossOriginIsolated`) and a way to start workers.
 *
 * @example
 * ```ts
 * import { threadsSupported } from '@tapegrad/backend-wasm';
 * console.log(threadsSupported()); // true
 * ```
 */
export function threadsSupported(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if (nodeWorkerThreads()) return true;
  return typeof g.Worker === 'function' && g.crossOriginIsolated === true;
}

function spawn(data: WorkerData, onError: () => void): WorkerHandle {
  const threads = nodeWorkerThreads();
  if (threads) {
    const worker = new threads.Worker(WORKER_SOURCE, { eval: true, workerData: data });
    worker.unref();
    worker.on('error', onError);
    return worker;
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  worker.onerror = onError;
  worker.postMessage(data);
  return worker;
}

/** How long a blocking main thread waits for a starting worker before running without it. */
const START_TIMEOUT_MS = 10_000;

class PoolWorker {
  failed = false;
  readonly ctl: Int32Array;
  readonly args: Float64Array;
  readonly handle: WorkerHandle;

  constructor(
    memory: WebAssembly.Memory,
    slot: number,
    modules: WebAssembly.Module[],
    names: string[],
  ) {
    // Views of a shared memory stay valid when it grows (a SharedArrayBuffer never detaches).
    this.ctl = new Int32Array(memory.buffer, slot, ARGS_OFFSET / 4);
    this.args = new Float64Array(memory.buffer, slot + ARGS_OFFSET, MAX_ARGS);
    Atomics.store(this.ctl, STATE, STARTING);
    this.handle = spawn({ modules, memory, slot, names }, () => (this.failed = true));
  }
}

/** Workers serving kernel calls on one shared memory. */
export class ThreadPool {
  private readonly workers: PoolWorker[] = [];
  private readonly fnIndex: Map<string, number>;
  /** Whether this thread may block in Atomics.wait (not a browser's main thread). */
  private readonly canBlock: boolean;

  /**
   * Starts `count` workers; `control` is a block of `count · SLOT_BYTES` bytes of the
   * memory, `modules` the compiled modules the workers instantiate in order, merging their
   * exports like the main thread (compiled once, their code shared with them), `local` the
   * main thread's exports.
   */
  constructor(
    memory: WebAssembly.Memory,
    control: number,
    count: number,
    modules: WebAssembly.Module[],
    private readonly local: Record<string, unknown>,
  ) {
    const names = Object.keys(local).filter((name) => typeof local[name] === 'function');
    this.fnIndex = new Map(names.map((name, i) => [name, i]));
    for (let i = 0; i < count; i++) {
      this.workers.push(new PoolWorker(memory, control + i * SLOT_BYTES, modules, names));
    }
    this.canBlock = canBlock(this.workers[0]?.ctl);
  }

  /** Workers ready for calls now (in blocking contexts, after waiting for those still starting). */
  private ready(): PoolWorker[] {
    const out: PoolWorker[] = [];
    for (const w of this.workers) {
      if (w.failed) continue;
      if (this.canBlock && Atomics.load(w.ctl, STATE) === STARTING) {
        if (Atomics.wait(w.ctl, STATE, STARTING, START_TIMEOUT_MS) === 'timed-out') {
          w.failed = true;
          continue;
        }
      }
      if (Atomics.load(w.ctl, STATE) === IDLE) out.push(w);
    }
    return out;
  }

  /** Number of workers that take calls now (0 while they start, in a browser). */
  readyCount(): number {
    return this.ready().length;
  }

  /**
   * Runs the calls, the first on this thread and the others on idle workers (this thread
   * runs those no worker is free for), and returns when all are done.
   */
  run(calls: readonly KernelCall[]): void {
    // Checked before any worker starts, so an error never leaves a worker running.
    const indices = calls.map((call) => {
      const index = this.fnIndex.get(call.fn);
      if (index === undefined) throw new BackendError(`wasm threads: no export ${call.fn}`);
      if (call.args.length > MAX_ARGS) {
        throw new BackendError(`wasm threads: ${call.fn} takes at most ${MAX_ARGS} arguments`);
      }
      return index;
    });
    const workers = calls.length > 1 ? this.ready() : [];
    const busy: PoolWorker[] = [];
    const mine: KernelCall[] = [calls[0]!];
    for (let i = 1; i < calls.length; i++) {
      const call = calls[i]!;
      const w = workers[busy.length];
      if (!w) {
        mine.push(call);
        continue;
      }
      w.args.set(call.args);
      w.ctl[FN] = indices[i]!;
      w.ctl[ARGC] = call.args.length;
      w.ctl[FAILED] = 0;
      Atomics.store(w.ctl, STATE, RUN);
      Atomics.notify(w.ctl, STATE);
      busy.push(w);
    }
    let failed: string | null = null;
    try {
      for (const call of mine) this.runHere(call);
      // A call no worker has claimed yet (descheduled on a busy machine) is taken back.
      for (let i = 0; i < busy.length; i++) {
        const w = busy[i]!;
        if (Atomics.compareExchange(w.ctl, STATE, RUN, IDLE) === RUN) this.runHere(calls[i + 1]!);
      }
    } finally {
      for (let i = 0; i < busy.length; i++) {
        const w = busy[i]!;
        this.waitUntilIdle(w);
        if (w.ctl[FAILED] !== 0) failed = calls[i + 1]!.fn;
      }
    }
    if (failed) throw new BackendError(`wasm threads: ${failed} failed in a worker`);
  }

  private runHere(call: KernelCall): void {
    (this.local[call.fn] as (...args: number[]) => void)(...call.args);
  }

  /** Returns when the worker has finished its call (or was never given one). */
  private waitUntilIdle(w: PoolWorker): void {
    for (;;) {
      const state = Atomics.load(w.ctl, STATE);
      if (state !== RUN && state !== BUSY) return;
      if (this.canBlock) Atomics.wait(w.ctl, STATE, state);
    }
  }

  /** Stops the workers (they leave their wait loop, then are terminated). */
  dispose(): void {
    for (const w of this.workers) {
      Atomics.store(w.ctl, STATE, EXIT);
      Atomics.notify(w.ctl, STATE);
      w.handle.terminate();
    }
    this.workers.length = 0;
  }
}

/** Whether this thread may block in Atomics.wait (browsers forbid it on the main thread). */
function canBlock(ctl: Int32Array | undefined): boolean {
  if (!ctl) return true;
  try {
    Atomics.wait(ctl, STATE, -1, 0); // returns 'not-equal' at once where waiting is allowed
    return true;
  } catch {
    return false;
  }
}
