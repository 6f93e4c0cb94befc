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
import { BackendError, bytesPerElement, sizeFromShape } from '@tapegrad/core';
import { Heap } from './heap.js';
import type { KernelExports } from './module.js';

/** One tensor buffer: a block of the wasm heap. */
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
  /** Initial size of the wasm memory in MiB (default 16); it grows as needed and never shrinks. */
  initialMemoryMiB?: number;
  /**
   * Worker threads for the kernels. Only 1 is accepted in this version: the multi-threaded
   * increment (worker_threads / crossOriginIsolated workers over a shared memory) comes next.
   */
  threads?: number;
}

const MIB = 1024 * 1024;

/**
 * The WebAssembly backend: tensors are blocks of one wasm memory, and kernels run on
 * pointers (no copy per op). `write` copies in, `read`/`readSync` copy out.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  /** float64 (used by gradCheck) is stored too; its ops run the CPU backend's kernels on the wasm memory. */
  readonly dtypes: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];
  readonly heap: Heap;
  private numBuffers = 0;
  private numBytes = 0;
  private threadsCount = 1;
  private readonly workspaces: { ptr: number; size: number }[] = [];

  constructor(
    readonly kernels: KernelExports,
    /** The wasm memory (grows, never shrinks). */
    readonly wasmMemory: WebAssembly.Memory,
    options: WasmBackendOptions = {},
  ) {
    this.heap = new Heap(wasmMemory, kernels.heapBase());
    this.setThreadsCount(options.threads ?? 1);
  }

  /** Creates the memory a backend with these options starts with. */
  static createMemory(options: WasmBackendOptions = {}): WebAssembly.Memory {
    const mib = options.initialMemoryMiB ?? 16;
    return new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((mib * MIB) / 65536)) });
  }

  /** Number of kernel threads (only 1 for now; see WasmBackendOptions.threads). */
  getThreadsCount(): number {
    return this.threadsCount;
  }

  setThreadsCount(n: number): void {
    if (n !== 1) {
      throw new BackendError(
        `wasm: setThreadsCount(${n}): this version runs its kernels on 1 thread; ` +
          'multi-threaded kernels (shared memory + workers) are planned',
      );
    }
    this.threadsCount = n;
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

  read(dataId: DataHandle): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  /** A copy of the buffer's values (a view would be detached by the next memory growth). */
  readSync(dataId: DataHandle): TypedArray {
    return this.view(dataId as WasmData).slice();
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
      wasmWorkspaceBytes: this.workspaces.reduce((t, w) => t + (w?.size ?? 0), 0),
    };
  }

  dispose(): void {
    for (let i = 0; i < this.workspaces.length; i++) {
      const w = this.workspaces[i];
      if (w) this.heap.release(w.ptr, w.size);
    }
    this.workspaces.length = 0;
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

  /** Byte offset of a kernel input's data. */
  ptr(info: TensorInfo): number {
    return (info.dataId as WasmData).ptr;
  }

  /** A new output buffer for `spec` (contents undefined unless `zero`). */
  output(spec: OutputSpec, zero = false): TensorInfo {
    const data = this.allocData(spec.dtype, sizeFromShape(spec.shape));
    if (zero) this.heap.u8.fill(0, data.ptr, data.ptr + data.byteLength);
    return { dataId: data, shape: spec.shape, dtype: spec.dtype };
  }

  /**
   * A scratch block that persists between kernel calls (packing buffers, im2col columns),
   * grown on demand; `slot` separates the buffers one kernel needs at once.
   * Returns a pointer, valid until the next `workspace` call on the same slot.
   */
  workspace(slot: number, bytes: number): number {
    const w = this.workspaces[slot];
    if (w && w.size >= bytes) return w.ptr;
    if (w) this.heap.release(w.ptr, w.size);
    const block = this.heap.alloc(bytes);
    this.workspaces[slot] = block;
    return block.ptr;
  }
}

/** A kernel of this backend (attrs typed per op). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WasmKernel<A = any> = Kernel<A, WasmBackend>;
