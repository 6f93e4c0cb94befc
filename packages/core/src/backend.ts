import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/** A backend's opaque handle to one buffer of tensor data. */
export type DataHandle = object;

/** What a kernel sees of a tensor: its data handle on this backend, shape and dtype. */
export interface TensorInfo {
  readonly dataId: DataHandle;
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface BackendMemory {
  /** Bytes held by this backend's live buffers. */
  numBytes: number;
  /** Number of live buffers. */
  numBuffers: number;
  /** Extra backend-specific counters (wasm heap size, GPU pool bytes, ...). */
  [key: string]: number;
}

/**
 * The device interface a backend implements. Kernels are registered separately,
 * as plain values in the backend's plugin.
 */
export interface Backend {
  readonly name: string;
  /** Dtypes this backend can store (float64 is optional). */
  readonly dtypes: readonly DType[];
  /** Stores `values` (already of `dtype`'s typed array) and returns a handle. */
  write(values: TypedArray, shape: Shape, dtype: DType): DataHandle;
  /**
   * Stores a buffer of `shape` with every element `value` (as `dtype` stores it). Optional:
   * without it the engine writes a filled typed array; a backend whose memory is not
   * JavaScript's fills in place instead of receiving a copy.
   */
  fill?(value: number, shape: Shape, dtype: DType): DataHandle;
  /** Reads a buffer back (copy-free where possible; callers must not mutate it). */
  read(dataId: DataHandle): Promise<TypedArray>;
  /** Synchronous read; backends that cannot read synchronously throw a clear error. */
  readSync(dataId: DataHandle): TypedArray;
  free(dataId: DataHandle): void;
  memory(): BackendMemory;
  /** Waits for queued work (GPU backends). */
  flush?(): void | Promise<void>;
  dispose?(): void;
}

export interface OutputSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface KernelArgs<A = Record<string, unknown>, B extends Backend = Backend> {
  readonly inputs: readonly TensorInfo[];
  readonly attrs: A;
  /** Output shapes and dtypes, as inferred by the op definition. */
  readonly outputs: readonly OutputSpec[];
  readonly backend: B;
}

/**
 * A kernel computes an op on one backend. It returns one TensorInfo per output:
 * a new buffer from `backend.write`, or an input's `dataId` to alias it (reshape).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Kernel<A = any, B extends Backend = any> = (
  args: KernelArgs<A, B>,
) => TensorInfo | TensorInfo[];
