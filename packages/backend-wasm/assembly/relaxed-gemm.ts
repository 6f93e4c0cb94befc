/**
 * Entry point of the GEMM-only relaxed-SIMD module (scripts/build-wasm.mjs compiles it with
 * the flags of assembly/index.ts plus `--enable relaxed-simd`, so gemm.ts's `madd` is a fused
 * multiply-add). It imports the same memory as the main module and has no static data of
 * its own (the build checks that it has no data segments), so it can be instantiated over
 * a memory the main module's instance already laid out.
 */
export { gemm, gemmBatch, gemmWorkspaceBytes } from './gemm';
