import type { Kernel } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import { matMulDims } from '@tapegrad/ops-math';
import { cpuKernels } from '@tapegrad/backend-cpu';
import type { KernelCall, WasmBackend, WasmKernel } from '../backend.js';
import { forEachBroadcast } from '@tapegrad/backend-cpu';
import { float32Or, hosted } from './hosted.js';
import { SLOT } from './slots.js';

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * Rows of assembly/gemm.ts's micro-kernel tile (MR: 6 in the relaxed-SIMD module, 5 in the
 * plain one): row splits are multiples of it, column splits of NR.
 */
function tileRows(backend: WasmBackend): number {
  return backend.relaxedSimd ? 6 : 5;
}
const NR = 8;

/** Work below which a thread is not worth waking: ~50 µs of GEMM at ~40 GFLOP/s. */
const MIN_FLOPS_PER_PART = 2 ** 21;

/** The GEMM's packing workspace of one thread (allocated once per backend and thread). */
export function gemmWork(backend: WasmBackend, thread = 0): number {
  return backend.workspace(SLOT.gemmPacking, backend.kernels.gemmWorkspaceBytes(), thread);
}

/**
 * C[m×n] (+)= op(A)·op(B) (row-major, leading dimensions in elements, pointers in bytes), on
 * as many threads as pay off: the rows of C (or its columns, when C is wider than tall) are
 * split among them, each packing into its own workspace. Every element of C is still
 * accumulated over k in the same order, so the result is bit-identical to one thread's.
 */
export function gemm(
  backend: WasmBackend,
  m: number,
  n: number,
  k: number,
  a: number,
  lda: number,
  transA: boolean,
  b: number,
  ldb: number,
  transB: boolean,
  c: number,
  ldc: number,
  accumulate: boolean,
): void {
  const parts = backend.partsFor(2 * m * n * k, MIN_FLOPS_PER_PART);
  if (parts === 1) {
    const work = gemmWork(backend);
    backend.kernels.gemm(m, n, k, a, lda, transA, b, ldb, transB, c, ldc, accumulate, work);
    return;
  }
  const byRows = m >= n;
  const extent = byRows ? m : n;
  const unit = byRows ? tileRows(backend) : NR;
  const step = Math.ceil(extent / parts / unit) * unit;
  const calls: KernelCall[] = [];
  for (let t = 0, i0 = 0; i0 < extent; t++, i0 += step) {
    const len = Math.min(step, extent - i0);
    const pa = byRows ? a + (transA ? i0 : i0 * lda) * 4 : a;
    const pb = byRows ? b : b + (transB ? i0 * ldb : i0) * 4;
    const pc = c + (byRows ? i0 * ldc : i0) * 4;
    calls.push({
      fn: 'gemm',
      args: [
        byRows ? len : m,
        byRows ? n : len,
        k,
        pa,
        lda,
        +transA,
        pb,
        ldb,
        +transB,
        pc,
        ldc,
        +accumulate,
        gemmWork(backend, t),
      ],
    });
  }
  backend.parallel(calls);
}

/**
 * `batch` products C_i = op(A_i)·op(B_i) with element strides between consecutive operands
 * (0: a broadcast operand) and C packed. Threads take ranges of the batch when there are
 * enough matrices, else split each product (see `gemm`); bit-identical to one thread.
 */
export function gemmBatch(
  backend: WasmBackend,
  batch: number,
  m: number,
  n: number,
  k: number,
  a: number,
  strideA: number,
  transA: boolean,
  b: number,
  strideB: number,
  transB: boolean,
  c: number,
): void {
  const parts = backend.partsFor(2 * batch * m * n * k, MIN_FLOPS_PER_PART);
  if (parts === 1) {
    const work = gemmWork(backend);
    backend.kernels.gemmBatch(batch, m, n, k, a, strideA, transA, b, strideB, transB, c, work);
    return;
  }
  if (batch < parts) {
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    for (let i = 0; i < batch; i++) {
      const pa = a + i * strideA * 4;
      const pb = b + i * strideB * 4;
      gemm(backend, m, n, k, pa, lda, transA, pb, ldb, transB, c + i * m * n * 4, n, false);
    }
    return;
  }
  const step = Math.ceil(batch / parts);
  const calls: KernelCall[] = [];
  for (let t = 0, i0 = 0; i0 < batch; t++, i0 += step) {
    calls.push({
      fn: 'gemmBatch',
      args: [
        Math.min(step, batch - i0),
        m,
        n,
        k,
        a + i0 * strideA * 4,
        strideA,
        +transA,
        b + i0 * strideB * 4,
        strideB,
        +transB,
        c + i0 * m * n * 4,
        gemmWork(backend, t),
      ],
    });
  }
  backend.parallel(calls);
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
  const { m, kA: k, n } = matMulDims(aShape, bShape, tA, tB);
  const out = backend.output(spec!);
  const outShape = spec!.shape;
  const batchOut = outShape.slice(0, outShape.length - 2);
  const batch = sizeFromShape(batchOut);
  if (batch === 0 || m === 0 || n === 0) return out;
  const pa = backend.ptr(a!);
  const pb = backend.ptr(b!);
  const pc = backend.ptr(out);
  const aBatch = sizeFromShape(aShape.slice(0, ra - 2));
  const bBatch = sizeFromShape(bShape.slice(0, rb - 2));
  if ((aBatch === batch || aBatch === 1) && (bBatch === batch || bBatch === 1)) {
    gemmBatch(
      backend,
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
    );
    return out;
  }
  const lda = tA ? m : k;
  const ldb = tB ? k : n;
  forEachBroadcast(aShape.slice(0, ra - 2), bShape.slice(0, rb - 2), batchOut, (o, ia, ib) => {
    gemm(
      backend,
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
    );
  });
  return out;
};

export const matmulKernels: Record<string, WasmKernel> = {
  BatchMatMul: float32Or(batchMatMulF32, hosted(cpuKernels.BatchMatMul as Kernel)),
};
