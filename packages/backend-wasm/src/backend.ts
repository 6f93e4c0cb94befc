import type {
  Backend,
  BackendMemory,
  DataHandle,
  DType,
  Kernel,
  OutputSpec,
  Shape,
  TensorInfo,
  TypedArray,
} from '@tapegrad/core';
import { BackendError, bytesPerElement, makeTypedArray, sizeFromShape } from '@tapegrad/core';
import { Heap } from './heap.js';
import { fillTensor } from './kernels/layout.js';
import type { KernelExports } from './module.js';
import { MAX_MEMORY_PAGES, compileSync, isShared, relaxedSimdSupported } from './module.js';
import { SLOT_BYTES } from './threads/protocol.js';
import type { KernelCall } from './threads/pool.js';
import { ThreadPool, threadsSupported } from './threads/pool.js';

/**
 * One tensor buffer: a block of the wasm heap.
 *
 * @example
 * ```ts
 * const backend = getDefaultEngine().findBackend('wasm') as WasmBackend;
 * const data = backend.allocData('float32', 3);
 * data.byteLength; // 12
 * backend.free(data);
 * ```
 */
export class WasmData {
  freed = false;
  constructor(
    /** Byte offset in the wasm memory. */
    readonly ptr: number,
    /** Block size (its allocator size class). */
    readonly blockBytes: number,
    readonly dtype: DType,
    /** Number of elements. */
    readonly size: number,
  ) {}

  get byteLength(): number {
    return this.size * bytesPerElement(this.dtype);
  }
}

export interface WasmBackendOptions {
  /**
   * Initial size of the wasm memory in MiB (default: 16 for a shared memory, 64 for a plain
   * one, whose growth detaches every view of it); it grows as needed and never shrinks.
   */
  initialMemoryMiB?: number;
  /**
   * Use a shared memory (a SharedArrayBuffer, which growth never detaches; needed for
   * threads). Default: wherever available (Node; browsers when `crossOriginIsolated`).
   */
  sharedMemory?: boolean;
  /**
   * Kernel threads: the main thread plus `threads − 1` workers over the shared memory
   * (default 1). Where threads are impossible (no shared memory, no workers) the backend
   * runs on 1 thread; `getThreadsCount()` says how many it uses.
   */
  threads?: number;
  /**
   * Scale of the least work a kernel hands to each thread (default 1; 0 splits every
   * kernel, however small: the tests use it to run every split on small shapes).
   */
  threadGrain?: number;
  /**
   * Run GEMMs (matMul, conv) in the relaxed-SIMD module, whose micro-kernel uses fused
   * multiply-adds (~15% faster), where the host validates it (default true: Node ≥ 22,
   * current browsers; Node 20 only with `--experimental-wasm-relaxed-simd`). `false` forces
   * the plain-SIMD kernel. Results differ from the plain kernel's in the last bits (one
   * rounding per multiply-add instead of two); `relaxedSimd` on the backend says which runs.
   */
  relaxedSimd?: boolean;
}

const MIB = 1024 * 1024;
const PAGE = 65536;

/**
 * Whether a shared WebAssembly.Memory can be created here (Node; browsers when crossOriginIsolated).
 *
 * @example
 * ```ts
 * import { sharedMemorySupported } from '@tapegrad/backend-wasm';
 * console.log(sharedMemorySupported()); // true
 * ```
 */
export function sharedMemorySupported(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return (
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    g.crossOriginIsolated !== false
  );
}

/**
 * Stops the workers of a backend that was garbage-collected without `dispose()` (which
 * `engine.removeBackend('wasm')` calls): idle workers would otherwise live until exit.
 */
const orphanedPools = new FinalizationRegistry<ThreadPool>((pool) => pool.dispose());

/** Workspace slots per thread (see `workspace`). */
const SLOTS_PER_THREAD = 256;

/**
 * The WebAssembly backend: tensors are blocks of one wasm memory, and kernels run on
 * pointers (no copy per op). `write` copies in, `read`/`readSync` copy out.
 *
 * @example
 * ```ts
 * const backend = getDefaultEngine().findBackend('wasm') as WasmBackend;
 * const data = backend.write(new Float32Array([1, 2]), [2], 'float32');
 * backend.readSync(data); // [1, 2]
 * backend.free(data);
 * ```
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  /** float64 (used by gradCheck) is stored too; its ops run the CPU backend's kernels on the wasm memory. */
  readonly dtypes: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];
  readonly heap: Heap;
  private numBuffers = 0;
  private numBytes = 0;
  private threadsCount = 1;
  private readonly threadGrain: number;
  /**
   * Whether the GEMMs run in the relaxed-SIMD module (its exports are in `kernels`; every
   * worker instantiates it too, so all threads run the same kernel and agree bit for bit).
   */
  readonly relaxedSimd: boolean;
  private pool: ThreadPool | null = null;
  private poolControl: { ptr: number; size: number } | null = null;
  /** Scratch blocks by `thread · SLOTS_PER_THREAD + slot`. */
  private readonly workspaces = new Map<number, { ptr: number; size: number }>();

  constructor(
    readonly kernels: KernelExports,
    /** The wasm memory (grows, never shrinks; shared where available). */
    readonly wasmMemory: WebAssembly.Memory,
    options: WasmBackendOptions = {},
  ) {
    this.heap = new Heap(wasmMemory, kernels.heapBase());
    this.threadGrain = options.threadGrain ?? 1;
    this.relaxedSimd = (options.relaxedSimd ?? true) && relaxedSimdSupported();
    this.setThreadsCount(options.threads ?? 1);
  }

  /**
   * Creates the memory a backend with these options starts with: shared (up to 4 GiB,
   * reserved as address space only) where available, else a plain memory.
   */
  static createMemory(options: WasmBackendOptions = {}): WebAssembly.Memory {
    const shared = options.sharedMemory ?? sharedMemorySupported();
    const mib = options.initialMemoryMiB ?? (shared ? 16 : 64);
    const initial = Math.max(1, Math.ceil((mib * MIB) / PAGE));
    if (shared) {
      // Some hosts (32-bit browsers) cannot reserve 4 GiB: try smaller maximums, then plain memory.
      for (let maximum = MAX_MEMORY_PAGES; maximum >= initial && maximum >= 4096; maximum /= 4) {
        try {
          return new WebAssembly.Memory({ initial, maximum, shared: true });
        } catch {
          // next size
        }
      }
      if (options.sharedMemory) {
        throw new BackendError('wasm: sharedMemory: true, but this host cannot create one');
      }
    }
    return new WebAssembly.Memory({ initial });
  }

  /** Whether the wasm memory is shared (its growth never detaches views; threads need it). */
  get sharedMemory(): boolean {
    return isShared(this.wasmMemory);
  }

  /** Number of threads the kernels run on (the main thread included). */
  getThreadsCount(): number {
    return this.threadsCount;
  }

  /**
   * Runs the kernels on `n` threads: the main thread and `n − 1` workers over the shared
   * memory. Where threads are impossible (no shared memory or no workers) it stays at 1.
   */
  setThreadsCount(n: number): void {
    if (!Number.isInteger(n) || n < 1) {
      throw new BackendError(`wasm: setThreadsCount(${n}): expected an integer ≥ 1`);
    }
    const effective = this.sharedMemory && threadsSupported() ? n : 1;
    if (effective === this.threadsCount && (effective === 1) === (this.pool === null)) return;
    this.stopThreads();
    this.threadsCount = effective;
    if (effective === 1) return;
    this.poolControl = this.heap.alloc((effective - 1) * SLOT_BYTES);
    this.pool = new ThreadPool(
      this.wasmMemory,
      this.poolControl.ptr,
      effective - 1,
      this.relaxedSimd
        ? [compileSync('worker'), compileSync('relaxedGemm')]
        : [compileSync('worker')],
      this.kernels as unknown as Record<string, unknown>,
    );
    orphanedPools.register(this, this.pool, this.pool);
  }

  private stopThreads(): void {
    if (this.pool) orphanedPools.unregister(this.pool);
    this.pool?.dispose();
    this.pool = null;
    if (this.poolControl) this.heap.release(this.poolControl.ptr, this.poolControl.size);
    this.poolControl = null;
  }

  /** Number of threads that take kernel calls now (workers start asynchronously in browsers). */
  activeThreads(): number {
    return 1 + (this.pool?.readyCount() ?? 0);
  }

  /**
   * Into how many parts to split a kernel of `work` units that pays off from `minPerPart`
   * units per part (1 without threads).
   */
  partsFor(work: number, minPerPart: number): number {
    if (this.threadsCount === 1 || work <= 0) return 1;
    const perPart = minPerPart * this.threadGrain;
    return Math.max(1, Math.min(this.threadsCount, Math.floor(work / perPart)));
  }

  /**
   * Runs kernel calls (exports of the module) at once: the first on this thread, the others
   * on workers; returns when all are done. The calls must write disjoint memory. Without
   * threads they run one after another.
   */
  parallel(calls: readonly KernelCall[]): void {
    if (this.pool && calls.length > 1) {
      this.pool.run(calls);
      return;
    }
    const local = this.kernels as unknown as Record<string, (...args: number[]) => void>;
    for (const call of calls) local[call.fn]!(...call.args);
  }

  // ---------------------------------------------------------------- device interface

  /** A new, uninitialized buffer for `size` elements of `dtype`. */
  allocData(dtype: DType, size: number): WasmData {
    const { ptr, size: block } = this.heap.alloc(size * bytesPerElement(dtype));
    const data = new WasmData(ptr, block, dtype, size);
    this.numBuffers++;
    this.numBytes += data.byteLength;
    return data;
  }

  write(values: TypedArray, _shape: Shape, dtype: DType): DataHandle {
    const data = this.allocData(dtype, values.length);
    this.heap.u8.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), data.ptr);
    return data;
  }

  /** A buffer with every element `value`, filled by the module (no JavaScript array, no copy). */
  fill(value: number, shape: Shape, dtype: DType): DataHandle {
    const data = this.allocData(dtype, sizeFromShape(shape));
    fillTensor(this, { dataId: data, shape, dtype }, value);
    return data;
  }

  read(dataId: DataHandle): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  /**
   * A copy of the buffer's values (a view would be detached by the next memory growth), made
   * by `set` into a new array: V8's `slice()` of a view of a shared memory is ~6× slower.
   */
  readSync(dataId: DataHandle): TypedArray {
    const data = dataId as WasmData;
    const copy = makeTypedArray(data.dtype, data.size);
    copy.set(this.view(data));
    return copy;
  }

  free(dataId: DataHandle): void {
    const data = dataId as WasmData;
    if (data.freed) throw new BackendError('wasm: a buffer was freed twice');
    data.freed = true;
    this.heap.release(data.ptr, data.blockBytes);
    this.numBuffers--;
    this.numBytes -= data.byteLength;
  }

  /**
   * Live buffers, the wasm memory size and the allocator's live bytes. Bytes of freed
   * blocks kept for reuse are in `heap.stats()` (they settle after a step or two of a
   * loop, while these counters must be flat from the first).
   */
  memory(): BackendMemory {
    const s = this.heap.stats();
    return {
      numBytes: this.numBytes,
      numBuffers: this.numBuffers,
      /** Size of the WebAssembly memory (grows, never shrinks). */
      wasmHeapBytes: s.heapBytes,
      /** Bytes of allocator blocks in use: tensors (rounded to size classes) and kernel workspaces. */
      wasmLiveBytes: s.liveBytes,
      wasmLiveBlocks: s.liveBlocks,
      wasmWorkspaceBytes: [...this.workspaces.values()].reduce((t, w) => t + w.size, 0),
      /** 1 when the wasm memory is shared (never detached by growth), else 0. */
      wasmSharedMemory: this.sharedMemory ? 1 : 0,
      wasmThreads: this.threadsCount,
      /** 1 when the GEMMs run in the relaxed-SIMD (fused multiply-add) module, else 0. */
      wasmRelaxedSimd: this.relaxedSimd ? 1 : 0,
    };
  }

  /** Frees the workspaces and stops the worker threads. */
  dispose(): void {
    for (const w of this.workspaces.values()) this.heap.release(w.ptr, w.size);
    this.workspaces.clear();
    this.stopThreads();
    this.threadsCount = 1;
  }

  // ---------------------------------------------------------------- kernel helpers

  /** A typed-array view of a buffer, valid until the next allocation. */
  view(data: WasmData): TypedArray {
    const bytes = bytesPerElement(data.dtype);
    const start = data.ptr / bytes;
    switch (data.dtype) {
      case 'float32':
        return this.heap.f32.subarray(start, start + data.size);
      case 'float64':
        return this.heap.f64.subarray(start, start + data.size);
      case 'int32':
        return this.heap.i32.subarray(start, start + data.size);
      default:
        return this.heap.u8.subarray(start, start + data.size);
    }
  }

  /**
   * Zeroes `bytes` bytes at `ptr` with wasm's memory.fill (TypedArray.fill on a view of the
   * shared memory runs ~26× slower in V8: 0.87 ms instead of 0.033 ms for 3.2 MB).
   */
  zero(ptr: number, bytes: number): void {
    if (bytes > 0) this.kernels.fillElements(ptr, bytes, 1, 0, 0);
  }

  /** Byte offset of a kernel input's data. */
  ptr(info: TensorInfo): number {
    return (info.dataId as WasmData).ptr;
  }

  /** A new output buffer for `spec` (contents undefined unless `zero`). */
  output(spec: OutputSpec, zero = false): TensorInfo {
    const data = this.allocData(spec.dtype, sizeFromShape(spec.shape));
    if (zero) this.zero(data.ptr, data.byteLength);
    return { dataId: data, shape: spec.shape, dtype: spec.dtype };
  }

  /**
   * A scratch block that persists between kernel calls (packing buffers, im2col columns),
   * grown on demand; `slot` (0–255, src/kernels/slots.ts lists them) separates the buffers one kernel needs at once, and
   * `thread` the copies that threads working at once need (0: the main thread's).
   * Returns a pointer, valid until the next `workspace` call on the same slot and thread.
   */
  workspace(slot: number, bytes: number, thread = 0): number {
    const key = thread * SLOTS_PER_THREAD + slot;
    const w = this.workspaces.get(key);
    if (w && w.size >= bytes) return w.ptr;
    if (w) this.heap.release(w.ptr, w.size);
    const block = this.heap.alloc(bytes);
    this.workspaces.set(key, block);
    return block.ptr;
  }
}

export type { KernelCall };

/** A kernel of this backend (attrs typed per op). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WasmKernel<A = any> = Kernel<A, WasmBackend>;
