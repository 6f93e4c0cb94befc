/**
 * Gather/scatter kernels in wasm (assembly/gather.ts) for every dtype: Gather, GatherNd,
 * ScatterNd, TensorScatterUpdate, UnsortedSegmentSum and OneHot. Indices are validated in
 * wasm before any output is allocated or written, and a bad one raises the CPU backend's
 * error (op, argument, value, valid range), so a failing op leaves nothing behind.
 */
import type { DType, Shape, TensorInfo } from '@tapegrad/core';
import { bytesPerElement, sizeFromShape, stridesOf } from '@tapegrad/core';
import { gatherIndexError, ndIndexError, segmentIdError } from '@tapegrad/ops-math';
import type { WasmBackend, WasmKernel } from '../backend.js';
import { elementBits, fillTensor, planStrided, runStrided } from './layout.js';
import { SLOT } from './slots.js';

/** Element type codes of assembly/gather.ts's scatterAddRows. */
const ADD_TYPE: Record<DType, number> = { float32: 0, int32: 1, float64: 2, bool: 3 };

/** Value of the int32 at element `k` of `indices`. */
function indexAt(backend: WasmBackend, indices: TensorInfo, k: number): number {
  return backend.heap.i32[backend.ptr(indices) / 4 + k]!;
}

/** Flat position of the first of `n` indices outside [0, limit), or -1. */
function firstOutOfRange(backend: WasmBackend, indices: TensorInfo, limit: number): number {
  const n = sizeFromShape(indices.shape);
  return n === 0 ? -1 : backend.kernels.firstOutOfRange(backend.ptr(indices), n, limit);
}

/**
 * Row numbers (in slices of shape[K:]) of N-d indices [..., K] into `shape`, in a workspace;
 * throws the CPU backend's error for an index out of range.
 */
function ndRows(
  backend: WasmBackend,
  op: string,
  indices: TensorInfo,
  shape: Shape,
): { rows: number; count: number; sliceSize: number } {
  const K = indices.shape[indices.shape.length - 1]!;
  const count = sizeFromShape(indices.shape.slice(0, -1));
  const dims = backend.workspace(SLOT.gatherDims, 8 * Math.max(K, 1));
  backend.heap.i32.set([...shape.slice(0, K), ...stridesOf(shape.slice(0, K))], dims / 4);
  const rows = backend.workspace(SLOT.gatherRows, 4 * Math.max(count, 1));
  const bad = backend.kernels.ndRows(backend.ptr(indices), count, K, dims, rows);
  if (bad >= 0) throw ndIndexError(op, bad, indexAt(backend, indices, bad), shape, indices.shape);
  return { rows, count, sliceSize: sizeFromShape(shape.slice(K)) };
}

/** Gather: x viewed as [B, M, N, I] (batch dims, dims before axis, axis, dims after), indices as [B, J]. */
const Gather: WasmKernel<{ axis: number; batchDims: number }> = ({
  inputs: [x, indices],
  attrs: { axis, batchDims },
  outputs: [spec],
  backend,
}) => {
  const xs = x!.shape;
  const N = xs[axis]!;
  const bad = firstOutOfRange(backend, indices!, N);
  if (bad >= 0)
    throw gatherIndexError(bad, indexAt(backend, indices!, bad), axis, xs, indices!.shape);
  const out = backend.output(spec!);
  if (sizeFromShape(spec!.shape) === 0) return out;
  const B = sizeFromShape(xs.slice(0, batchDims));
  const M = sizeFromShape(xs.slice(batchDims, axis));
  const I = sizeFromShape(xs.slice(axis + 1));
  const J = sizeFromShape(indices!.shape) / B;
  backend.kernels.gatherRows(
    backend.ptr(x!),
    backend.ptr(indices!),
    backend.ptr(out),
    B,
    M,
    N,
    J,
    I,
    bytesPerElement(x!.dtype),
  );
  return out;
};

const GatherNd: WasmKernel = ({ inputs: [x, indices], outputs: [spec], backend }) => {
  const { rows, count, sliceSize } = ndRows(backend, 'gatherND', indices!, x!.shape);
  const out = backend.output(spec!);
  if (count * sliceSize > 0) {
    backend.kernels.gatherRows(
      backend.ptr(x!),
      rows,
      backend.ptr(out),
      1,
      1,
      0,
      count,
      sliceSize,
      bytesPerElement(x!.dtype),
    );
  }
  return out;
};

/** Zeros with every update slice added at its row (duplicates add up, in order). */
const ScatterNd: WasmKernel<{ shape: number[] }> = ({
  inputs: [indices, updates],
  attrs: { shape },
  outputs: [spec],
  backend,
}) => {
  const { rows, count, sliceSize } = ndRows(backend, 'scatterND', indices!, shape);
  const out = backend.output(spec!, true);
  if (count * sliceSize > 0) {
    backend.kernels.scatterAddRows(
      backend.ptr(out),
      rows,
      count,
      backend.ptr(updates!),
      sliceSize,
      ADD_TYPE[spec!.dtype],
      bytesPerElement(spec!.dtype),
    );
  }
  return out;
};

/** A copy of the tensor with the update slices written at their rows (the last one wins). */
const TensorScatterUpdate: WasmKernel = ({
  inputs: [tensor, indices, updates],
  outputs: [spec],
  backend,
}) => {
  const { rows, count, sliceSize } = ndRows(
    backend,
    'tensorScatterUpdate',
    indices!,
    tensor!.shape,
  );
  const out = backend.output(spec!);
  const eb = bytesPerElement(spec!.dtype);
  const whole = [sizeFromShape(tensor!.shape)];
  runStrided(backend, planStrided(whole, [1], [1]), backend.ptr(tensor!), backend.ptr(out), eb);
  if (count * sliceSize > 0) {
    backend.kernels.scatterRows(
      backend.ptr(out),
      rows,
      count,
      backend.ptr(updates!),
      sliceSize,
      eb,
    );
  }
  return out;
};

/** x viewed as [S, I] with S = segmentIds.size; out[ids[s], :] += x[s, :]. */
const UnsortedSegmentSum: WasmKernel<{ numSegments: number }> = ({
  inputs: [x, segmentIds],
  attrs: { numSegments },
  outputs: [spec],
  backend,
}) => {
  const bad = firstOutOfRange(backend, segmentIds!, numSegments);
  if (bad >= 0) {
    const id = indexAt(backend, segmentIds!, bad);
    throw segmentIdError(bad, id, numSegments, segmentIds!.shape, x!.shape);
  }
  const out = backend.output(spec!, true);
  const S = sizeFromShape(segmentIds!.shape);
  const I = S === 0 ? 0 : sizeFromShape(x!.shape) / S;
  if (S * I > 0) {
    backend.kernels.scatterAddRows(
      backend.ptr(out),
      backend.ptr(segmentIds!),
      S,
      backend.ptr(x!),
      I,
      ADD_TYPE[spec!.dtype],
      bytesPerElement(spec!.dtype),
    );
  }
  return out;
};

/** OneHot: offValue everywhere, onValue at every index in [0, depth) (others leave their row off). */
const OneHot: WasmKernel<{ depth: number; onValue: number; offValue: number }> = ({
  inputs: [indices],
  attrs: { depth, onValue, offValue },
  outputs: [spec],
  backend,
}) => {
  const out = backend.output(spec!);
  fillTensor(backend, out, offValue);
  const n = sizeFromShape(indices!.shape);
  if (n * depth > 0) {
    const [lo, hi] = elementBits(onValue, spec!.dtype);
    backend.kernels.oneHot(
      backend.ptr(indices!),
      n,
      depth,
      backend.ptr(out),
      bytesPerElement(spec!.dtype),
      lo,
      hi,
    );
  }
  return out;
};

/** Gather/scatter kernels, every dtype. */
export const gatherKernels: Record<string, WasmKernel> = {
  Gather,
  GatherNd,
  ScatterNd,
  TensorScatterUpdate,
  UnsortedSegmentSum,
  OneHot,
};
