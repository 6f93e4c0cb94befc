import type { Shape, TensorInfo, TypedArray } from '@tapegrad/core';
import { sizeFromShape, stridesOf } from '@tapegrad/core';
import { ndIndexError } from '@tapegrad/ops-math';
import type { CpuKernel } from '../../backend.js';

/**
 * Flat offsets of the slices picked by N-d indices ([P, K] rows into `shape`),
 * with the slice size; throws a clear error for an index out of range.
 */
function sliceOffsets(
  op: string,
  indices: TensorInfo,
  idx: TypedArray,
  shape: Shape,
): { offsets: Int32Array; sliceSize: number } {
  const K = indices.shape[indices.shape.length - 1]!;
  const P = K === 0 ? sizeFromShape(indices.shape.slice(0, -1)) : idx.length / K;
  const strides = stridesOf(shape);
  const sliceSize = sizeFromShape(shape.slice(K));
  const offsets = new Int32Array(P);
  for (let p = 0; p < P; p++) {
    let off = 0;
    for (let k = 0; k < K; k++) {
      const i = idx[p * K + k]!;
      if (i < 0 || i >= shape[k]!) throw ndIndexError(op, p * K + k, i, shape, indices.shape);
      off += i * strides[k]!;
    }
    offsets[p] = off;
  }
  return { offsets, sliceSize };
}

const GatherNd: CpuKernel = ({ inputs: [x, indices], outputs: [spec], backend }) => {
  const { offsets, sliceSize } = sliceOffsets(
    'gatherND',
    indices!,
    backend.data(indices!),
    x!.shape,
  );
  const src = backend.data(x!);
  const out = backend.alloc(spec!);
  offsets.forEach((off, p) => out.set(src.subarray(off, off + sliceSize), p * sliceSize));
  return backend.output(out, spec!);
};

const ScatterNd: CpuKernel<{ shape: number[] }> = ({
  inputs: [indices, updates],
  attrs: { shape },
  outputs: [spec],
  backend,
}) => {
  const { offsets, sliceSize } = sliceOffsets('scatterND', indices!, backend.data(indices!), shape);
  const u = backend.data(updates!);
  const out = backend.alloc(spec!);
  offsets.forEach((off, p) => {
    for (let i = 0; i < sliceSize; i++) out[off + i]! += u[p * sliceSize + i]!;
  });
  return backend.output(out, spec!);
};

const TensorScatterUpdate: CpuKernel = ({
  inputs: [tensor, indices, updates],
  outputs: [spec],
  backend,
}) => {
  const { offsets, sliceSize } = sliceOffsets(
    'tensorScatterUpdate',
    indices!,
    backend.data(indices!),
    tensor!.shape,
  );
  const u = backend.data(updates!);
  const out = backend.data(tensor!).slice();
  offsets.forEach((off, p) => out.set(u.subarray(p * sliceSize, (p + 1) * sliceSize), off));
  return backend.output(out, spec!);
};

export const scatterKernels: Record<string, CpuKernel> = {
  GatherNd,
  ScatterNd,
  TensorScatterUpdate,
};
