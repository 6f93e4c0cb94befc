import type { Backend, BackendMemory, DataHandle, DType, Kernel, OutputSpec, Shape, TensorInfo, TypedArray } from '@tapegrad/core';
import { DTYPES, makeTypedArray, sizeFromShape } from '@tapegrad/core';

/** A buffer on the CPU backend. */
export class CpuData {
  constructor(readonly values: TypedArray) {}
}

/**
 * Plain TypeScript backend on TypedArrays: the reference implementation and the
 * fallback for every other backend. Supports float64 (used by gradCheck).
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly dtypes: readonly DType[] = DTYPES;
  private numBuffers = 0;
  private numBytes = 0;

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
    this.numBuffers--;
    this.numBytes -= (dataId as CpuData).values.byteLength;
  }

  memory(): BackendMemory {
    return { numBytes: this.numBytes, numBuffers: this.numBuffers };
  }

  /** The values of a kernel input. */
  data(info: TensorInfo): TypedArray {
    return (info.dataId as CpuData).values;
  }

  /** Wraps freshly computed values as a kernel output. */
  output(values: TypedArray, spec: OutputSpec): TensorInfo {
    return { dataId: this.write(values, spec.shape, spec.dtype), shape: spec.shape, dtype: spec.dtype };
  }

  /** A zero-filled array for an output spec. */
  alloc(spec: OutputSpec): TypedArray {
    return makeTypedArray(spec.dtype, sizeFromShape(spec.shape));
  }
}

/** A kernel of this backend (attrs typed per op). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CpuKernel<A = any> = Kernel<A, CpuBackend>;
