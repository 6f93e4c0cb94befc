import type { Kernel } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { WasmBackend, WasmKernel } from '../backend.js';
import { forEachBroadcast } from '@tapegrad/backend-cpu';
import { float32Or, hosted } from './hosted.js';

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** Workspace slot of the GEMM packing buffers. */
export const GEMM_SLOT = 0;

/** The GEMM's packing workspace (allocated once per backend). */
export function gemmWork(backend: WasmBackend): number {
  return backend.workspace(GEMM_SLOT, backend.kernels.gemmWorkspaceBytes());
}

/**
 * float32 BatchMatMul on the SIMD GEMM. Batch dimensions broadcast as in NumPy: when one
 * operand's batch is a single matrix (or both batches match) the whole product is one
 * call into wasm; otherwise one GEMM per output matrix.
 */
const batchMatMulF32: WasmKernel<BatchMatMulAttrs> = ({
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
  const m = tA ? aShape[ra - 1]! : aShape[ra - 2]!;
  const k = tA ? aShape[ra - 2]! : aShape[ra - 1]!;
  const n = tB ? bShape[rb - 2]! : bShape[rb - 1]!;
  const out = backend.output(spec!);
  const outShape = spec!.shape;
  const batchOut = outShape.slice(0, outShape.length - 2);
  const batch = sizeFromShape(batchOut);
  if (batch === 0 || m === 0 || n === 0) return out;
  const work = gemmWork(backend);
  const pa = backend.ptr(a!);
  const pb = backend.ptr(b!);
  const pc = backend.ptr(out);
  const aBatch = sizeFromShape(aShape.slice(0, ra - 2));
  const bBatch = sizeFromShape(bShape.slice(0, rb - 2));
  const kern = backend.kernels;
  if ((aBatch === batch || aBatch === 1) && (bBatch === batch || bBatch === 1)) {
    kern.gemmBatch(
      batch,
      m,
      n,
      k,
      pa,
      aBatch === 1 ? 0 : m * k,
      tA,
      pb,
      bBatch === 1 ? 0 : k * n,
      tB,
      pc,
      work,
    );
    return out;
  }
  const lda = tA ? m : k;
  const ldb = tB ? k : n;
  forEachBroadcast(aShape.slice(0, ra - 2), bShape.slice(0, rb - 2), batchOut, (o, ia, ib) => {
    kern.gemm(
      m,
      n,
      k,
      pa + ia * m * k * 4,
      lda,
      tA,
      pb + ib * k * n * 4,
      ldb,
      tB,
      pc + o * m * n * 4,
      n,
      false,
      work,
    );
  });
  return out;
};

export const matmulKernels: Record<string, WasmKernel> = {
  BatchMatMul: float32Or(batchMatMulF32, hosted(cpuKernels.BatchMatMul as Kernel)),
};
