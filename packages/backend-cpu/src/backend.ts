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
import { DTYPES, makeTypedArray, sizeFromShape } from '@tapegrad/core';

/**
 * A buffer on the CPU backend.
 *
 * @example
 * ```ts
 * const backend = new CpuBackend();
 * const handle = backend.write(new Int32Array([4, 5]), [2], 'int32');
 * console.log(handle instanceof CpuData); // true
 * console.log((handle as CpuData).values); // [4, 5]
 * ```
 */
export class CpuData {
  constructor(readonly values: TypedArray) {}
}

/** Freed arrays smaller than this are left to the garbage collector. */
const MIN_POOLED_LENGTH = 1024;

export interface CpuBackendOptions {
  /** Bytes of freed buffers kept for reuse (default 256 MiB; 0 disables pooling). */
  poolBytes?: number;
}

/**
 * Plain TypeScript backend on TypedArrays: the reference implementation and the
 * fallback for every other backend. Supports float64 (used by gradCheck).
 *
 * Freed buffers go to a pool keyed by type and length and are handed out again by
 * `alloc`: allocating a fresh multi-megabyte typed array per op, and collecting it later,
 * costs more than most kernels themselves.
 *
 * @example
 * ```ts
 * const backend = new CpuBackend();
 * const handle = backend.write(new Float32Array([1, 2, 3]), [3], 'float32');
 * console.log(backend.readSync(handle)); // [1, 2, 3]
 * backend.free(handle);
 * ```
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly dtypes: readonly DType[] = DTYPES;
  private numBuffers = 0;
  private numBytes = 0;
  private readonly pool = new Map<string, TypedArray[]>();
  private pooledBytes = 0;
  private readonly poolLimit: number;

  constructor(options: CpuBackendOptions = {}) {
    this.poolLimit = options.poolBytes ?? 256 * 1024 * 1024;
  }

  /** Takes ownership of `values` (callers pass fresh arrays). */
  write(values: TypedArray, _shape: Shape, _dtype: DType): DataHandle {
    this.numBuffers++;
    this.numBytes += values.byteLength;
    return new CpuData(values);
  }

  read(dataId: DataHandle): Promise<TypedArray> {
    return Promise.resolve(this.readSync(dataId));
  }

  readSync(dataId: DataHandle): TypedArray {
    return (dataId as CpuData).values;
  }

  free(dataId: DataHandle): void {
    const values = (dataId as CpuData).values;
    this.numBuffers--;
    this.numBytes -= values.byteLength;
    if (
      values.length >= MIN_POOLED_LENGTH &&
      this.pooledBytes + values.byteLength <= this.poolLimit
    ) {
      const key = poolKey(values.constructor.name, values.length);
      const list = this.pool.get(key);
      if (list) list.push(values);
      else this.pool.set(key, [values]);
      this.pooledBytes += values.byteLength;
    }
  }

  memory(): BackendMemory {
    return {
      numBytes: this.numBytes,
      numBuffers: this.numBuffers,
      numPooledBytes: this.pooledBytes,
    };
  }

  /** Drops the pool of freed buffers. */
  dispose(): void {
    this.pool.clear();
    this.pooledBytes = 0;
  }

  /** The values of a kernel input. */
  data(info: TensorInfo): TypedArray {
    return (info.dataId as CpuData).values;
  }

  /** Wraps freshly computed values as a kernel output. */
  output(values: TypedArray, spec: OutputSpec): TensorInfo {
    return {
      dataId: this.write(values, spec.shape, spec.dtype),
      shape: spec.shape,
      dtype: spec.dtype,
    };
  }

  /** A zero-filled array for an output spec (reused from the pool when one fits). */
  alloc(spec: OutputSpec): TypedArray {
    const size = sizeFromShape(spec.shape);
    if (size >= MIN_POOLED_LENGTH) {
      const reused = this.pool.get(poolKey(TYPED_ARRAY_NAMES[spec.dtype], size))?.pop();
      if (reused) {
        this.pooledBytes -= reused.byteLength;
        return reused.fill(0);
      }
    }
    return makeTypedArray(spec.dtype, size);
  }
}

const TYPED_ARRAY_NAMES: Record<DType, string> = {
  float32: 'Float32Array',
  float64: 'Float64Array',
  int32: 'Int32Array',
  bool: 'Uint8Array',
};

function poolKey(typeName: string, length: number): string {
  return `${typeName}:${length}`;
}

/** A kernel of this backend (attrs typed per op). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CpuKernel<A = any> = Kernel<A, CpuBackend>;
