/**
 * Entry point of the kernel module (compiled by scripts/build-wasm.mjs with
 * `asc -O3 --enable simd --runtime stub --importMemory`). The memory is imported
 * and its layout belongs to the TypeScript side: it allocates tensors and scratch
 * above `heapBase()` and passes pointers; nothing here allocates or keeps state.
 */
export { gemm, gemmBatch, gemmWorkspaceBytes } from './gemm';
export { unary, binary, binaryRows, unaryInt, binaryInt, sumMany } from './elementwise';
export { reduce, softmaxRows, softmaxCrossEntropyRows } from './reduce';
export { im2col, col2im } from './im2col';
export { unaryMath } from './transcendental';
export { compare, predicate, broadcastRow, selectRow, cast } from './compare';
export { binaryMath } from './binary-math';
export { reduceAxis, argReduce, scan } from './scan';
export { copyStrided, transposeTiled, fillElements } from './layout';
export { firstOutOfRange, ndRows, gatherRows, scatterRows, scatterAddRows, oneHot } from './gather';
export { maxPool, avgPool, avgPoolGrad } from './pool';
export { adamUpdate, momentumUpdate, rmspropUpdate } from './optimizer';
export { depthwiseForward, depthwiseBackpropInput, depthwiseBackpropFilter } from './depthwise';

/** First byte above the module's static data: the TypeScript allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
