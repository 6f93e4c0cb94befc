import type { Kernel, Shape, TypedArray } from '@tapegrad/core';
import { matMulDims } from '@tapegrad/ops-math';
import type { CpuBackend } from '../backend.js';
import { forEachBroadcast } from './broadcast.js';
import { gemm } from './gemm.js';

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * Batched matmul with NumPy broadcasting of the batch dimensions (everything before
 * the last two axes). Each (broadcast) batch element is one call of the blocked GEMM,
 * which handles the transposes while packing. int32 inputs are multiplied in float64
 * and stored back (exact while the sums stay below 2^53).
 */
const batchMatMul: Kernel<BatchMatMulAttrs, CpuBackend> = ({
  inputs: [a, b],
  attrs,
  outputs: [spec],
  backend,
}) => {
  const tA = attrs.transposeA;
  const tB = attrs.transposeB;
  const aShape = a!.shape;
  const bShape = b!.shape;
  const ra = aShape.length;
  const rb = bShape.length;
  const { m, kA: k, n } = matMulDims(aShape, bShape, tA, tB);
  const av: TypedArray = backend.data(a!);
  const bv: TypedArray = backend.data(b!);
  const out = backend.alloc(spec!);
  const outShape = spec!.shape;
  const batchOut: Shape = outShape.slice(0, outShape.length - 2);
  const aSize = m * k;
  const bSize = k * n;
  const cSize = m * n;
  forEachBroadcast(aShape.slice(0, ra - 2), bShape.slice(0, rb - 2), batchOut, (o, ia, ib) => {
    gemm(m, n, k, av, ia * aSize, tA, bv, ib * bSize, tB, out, o * cSize);
  });
  return backend.output(out, spec!);
};

export const matmulKernels: Record<string, Kernel> = {
  BatchMatMul: batchMatMul,
};
