/**
 * Every kernel's workspace slot (`backend.workspace(slot, bytes, thread)`): one persistent
 * scratch block per slot and thread, grown on demand. Kernels that run at once (a
 * convolution's im2col and its GEMM) need distinct slots: listing them here keeps them so.
 */
export const SLOT = {
  /** GEMM packing buffers (matmul.ts). */
  gemmPacking: 0,
  /** float64 partial sums of Sum over a middle axis (reduce.ts). */
  sumPartials: 1,
  /** The column matrix of im2col/col2im (conv.ts). */
  convColumns: 2,
  /** The im2col geometry record (conv.ts). */
  convGeometry: 3,
  /** The strided-copy record: shape, strides, counter (layout.ts). */
  layoutRecord: 4,
  /** The N-d index record: shape and strides (gather.ts). */
  gatherDims: 5,
  /** The row numbers of N-d indices (gather.ts). */
  gatherRows: 6,
  /** The pooling/depthwise window geometry record (window.ts). */
  windowGeometry: 7,
  /** The pooling/depthwise tap list (window.ts). */
  windowTaps: 8,
  /** float64 accumulators of the depthwise filter gradient (depthwise.ts). */
  depthwiseFilterSums: 9,
  /** float64 accumulators of reductions, arg-reductions and scans over any axis (scan.ts). */
  scanAccumulators: 10,
} as const;
