import type { Kernel } from '@tapegrad/core';
import { BackendError } from '@tapegrad/core';
import type { GpuData, Program, WebGPUBackend } from '../backend.js';
import { program, strides, wgslType } from '../wgsl.js';

/** Rows and columns of C computed by one workgroup, and the K step staged in workgroup memory. */
const TILE_M = 64;
const TILE_N = 64;
const TILE_K = 16;
/** 16×16 invocations, each computing a 4×4 block of C (rows ty + 16·i, columns tx + 16·j). */
const THREADS = 256;
/** Most workgroups per grid dimension (WebGPU's default maxComputeWorkgroupsPerDimension). */
const MAX_GROUPS = 65535;

/**
 * A register-blocked GEMM C[M × N] = A[M × K] · B[K × N], batched over the grid's z, whose
 * operands are read and whose result is written through WGSL functions, so that matmul and the
 * implicit-GEMM convolutions share one tiled loop. `helpers` must define, for element type T:
 *
 *   fn a_row(z: u32, r: u32) -> vec4<i32>;       (what load_a needs of row r of batch z)
 *   fn load_a(row: vec4<i32>, k: u32) -> T;      (only called with r < M, k < K)
 *   fn b_col(z: u32, c: u32) -> vec4<i32>;       (what load_b needs of column c of batch z)
 *   fn load_b(col: vec4<i32>, k: u32) -> T;      (only called with k < K, c < N)
 *   fn store(z: u32, r: u32, c: u32, v: T);      (only called with r < M, c < N)
 *
 * Every invocation stages the same 4 rows of A and 1 column of B at each K step, so a_row and
 * b_col run once per invocation (an implicit GEMM decomposes its row index there, not per load).
 * Params: words 0..2 are M, N, K; the helpers read their own words after those.
 * Each workgroup stages a 64×16 tile of A and a 16×64 tile of B per step (8 KiB of workgroup
 * memory) and every invocation accumulates 4×4 outputs in registers.
 */
export function gemmProgram(opts: {
  key: string;
  type: 'f32' | 'i32' | 'u32';
  inputs: readonly string[];
  numParams: number;
  helpers: string;
}): Program {
  const t = opts.type;
  return program({
    key: `gemm:${opts.key}`,
    inputs: opts.inputs,
    output: t,
    numParams: opts.numParams,
    helpers: opts.helpers,
    workgroup: {
      size: THREADS,
      shared: `var<workgroup> As: array<${t}, ${TILE_K * TILE_M}>;
var<workgroup> Bs: array<${t}, ${TILE_K * TILE_N}>;`,
    },
    body: `
  let M = prm(0u); let N = prm(1u); let K = prm(2u);
  let tx = lid % 16u; let ty = lid / 16u;
  let row0 = wg.y * ${TILE_M}u; let col0 = wg.x * ${TILE_N}u;
  // Invocation lid stages A rows lid/16 + 16·q (q < 4) at k = lid % 16, and B column lid % 64
  // at k = lid/64 + 4·q, of every K step.
  let ak = lid % ${TILE_K}u; let bn = lid % ${TILE_N}u;
  var arows: array<vec4<i32>, 4>;
  for (var q = 0u; q < 4u; q = q + 1u) { arows[q] = a_row(wg.z, row0 + lid / ${TILE_K}u + 16u * q); }
  let bcol = b_col(wg.z, col0 + bn);
  var acc: array<vec4<${t}>, 4>;
  for (var k0 = 0u; k0 < K; k0 = k0 + ${TILE_K}u) {
    // Stage A as As[k][m] and B as Bs[k][n] (zeros outside the matrices).
    for (var q = 0u; q < 4u; q = q + 1u) {
      let am = lid / ${TILE_K}u + 16u * q;
      var va = ${t}(0);
      if (row0 + am < M && k0 + ak < K) { va = load_a(arows[q], k0 + ak); }
      As[ak * ${TILE_M}u + am] = va;
      let bk = lid / ${TILE_N}u + 4u * q;
      var vb = ${t}(0);
      if (k0 + bk < K && col0 + bn < N) { vb = load_b(bcol, k0 + bk); }
      Bs[bk * ${TILE_N}u + bn] = vb;
    }
    workgroupBarrier();
    for (var k = 0u; k < ${TILE_K}u; k = k + 1u) {
      let b = vec4<${t}>(Bs[k * ${TILE_N}u + tx], Bs[k * ${TILE_N}u + tx + 16u],
                        Bs[k * ${TILE_N}u + tx + 32u], Bs[k * ${TILE_N}u + tx + 48u]);
      acc[0] = acc[0] + As[k * ${TILE_M}u + ty] * b;
      acc[1] = acc[1] + As[k * ${TILE_M}u + ty + 16u] * b;
      acc[2] = acc[2] + As[k * ${TILE_M}u + ty + 32u] * b;
      acc[3] = acc[3] + As[k * ${TILE_M}u + ty + 48u] * b;
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    let r = row0 + ty + 16u * i;
    if (r >= M) { break; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let c = col0 + tx + 16u * j;
      if (c < N) { store(wg.z, r, c, acc[i][j]); }
    }
  }`,
  });
}

/** Runs a gemmProgram: params start with M, N, K; `batch` workgroup layers along z. */
export function runGemm(
  backend: WebGPUBackend,
  op: string,
  prog: Program,
  inputs: readonly GpuData[],
  out: GpuData,
  params: readonly number[],
  batch = 1,
): void {
  const [m, n] = params as [number, number];
  const groups: [number, number, number] = [Math.ceil(n / TILE_N), Math.ceil(m / TILE_M), batch];
  if (groups.some((g) => g > MAX_GROUPS)) {
    throw new BackendError(
      `webgpu: ${op} needs a grid of ${groups.join('×')} workgroups (${m}×${n} outputs in ` +
        `${TILE_M}×${TILE_N} tiles, ${batch} batches); at most ${MAX_GROUPS} per dimension is supported`,
    );
  }
  backend.run(prog, inputs, out, params, groups);
}

/**
 * BatchMatMul on the register-blocked GEMM. Transposes are read in place; batch dims broadcast
 * through per-batch strides (0 where a side has size 1). Key: (dtype, transposes, batch rank).
 */
export const BatchMatMul: Kernel<{ transposeA: boolean; transposeB: boolean }, WebGPUBackend> = ({
  inputs: [a, b],
  attrs,
  outputs: [o],
  backend,
}) => {
  const tA = attrs.transposeA;
  const tB = attrs.transposeB;
  const as = a!.shape;
  const bs = b!.shape;
  const M = tA ? as[as.length - 1]! : as[as.length - 2]!;
  const K = tA ? as[as.length - 2]! : as[as.length - 1]!;
  const N = tB ? bs[bs.length - 2]! : bs[bs.length - 1]!;
  const outShape = o!.shape;
  const batchShape = outShape.slice(0, -2);
  const rb = batchShape.length;
  const batch = batchShape.reduce((x, y) => x * y, 1);
  const batchStrides = (shape: readonly number[], block: number): number[] => {
    const bshape = shape.slice(0, -2);
    const st = strides(bshape).map((s) => s * block);
    const off = rb - bshape.length;
    return batchShape.map((_, d) => {
      const j = d - off;
      return j < 0 || bshape[j] === 1 ? 0 : st[j]!;
    });
  };
  const params = [M, N, K, ...batchShape, ...batchStrides(as, M * K), ...batchStrides(bs, K * N)];
  const t = wgslType(o!.dtype);
  const out = backend.alloc(o!);
  // Offset of batch z's matrix in an operand: z decomposed over the batch dims, times its strides.
  const baseOf = (first: number) => `
  var rem = z; var off = 0u;
  for (var d: i32 = ${rb - 1}; d >= 0; d = d - 1) {
    let dim = prm(3u + u32(d));
    off = off + (rem % dim) * prm(${first}u + u32(d));
    rem = rem / dim;
  }
  return off;`;
  const prog = gemmProgram({
    key: `matmul:${t}:${tA ? 1 : 0}${tB ? 1 : 0}:${rb}`,
    type: t,
    inputs: [t, t],
    numParams: params.length,
    helpers: `
fn a_offset(z: u32) -> u32 {${baseOf(3 + rb)}
}
fn b_offset(z: u32) -> u32 {${baseOf(3 + 2 * rb)}
}
fn a_row(z: u32, r: u32) -> vec4<i32> { return vec4<i32>(i32(a_offset(z) + ${tA ? 'r' : 'r * prm(2u)'}), 0, 0, 0); }
fn load_a(row: vec4<i32>, k: u32) -> ${t} { return in0[u32(row.x) + ${tA ? 'k * prm(0u)' : 'k'}]; }
fn b_col(z: u32, c: u32) -> vec4<i32> { return vec4<i32>(i32(b_offset(z) + ${tB ? 'c * prm(2u)' : 'c'}), 0, 0, 0); }
fn load_b(col: vec4<i32>, k: u32) -> ${t} { return in1[u32(col.x) + ${tB ? 'k' : 'k * prm(1u)'}]; }
fn store(z: u32, r: u32, c: u32, v: ${t}) { out[(z * prm(0u) + r) * prm(1u) + c] = v; }`,
  });
  runGemm(
    backend,
    'BatchMatMul',
    prog,
    [a!.dataId as GpuData, b!.dataId as GpuData],
    out,
    params,
    batch,
  );
  return { dataId: out, shape: outShape, dtype: o!.dtype };
};
