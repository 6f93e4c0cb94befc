import type { Kernel } from '@tapegrad/core';
import { BackendError } from '@tapegrad/core';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { program, strides, wgslType } from '../wgsl.js';

/**
 * How a workgroup's 256 invocations cover its tile of C: a wm × wn grid of invocations, each
 * computing 4×4 outputs (rows ty + wm·i, columns tx + wn·j), so the tile is 4·wm × 4·wn; tk is
 * the K step staged in workgroup memory ((4·wm + 4·wn)·tk words, at most 16 KiB).
 */
interface TileShape {
  name: string;
  wm: number;
  wn: number;
  tk: number;
}

/** 64×64 tiles: the general case. */
const SQUARE: TileShape = { name: 'sq', wm: 16, wn: 16, tk: 16 };
/** 256×16 tiles for N ≤ 16 (convolutions with few channels), so that columns are not wasted. */
const TALL: TileShape = { name: 'tall', wm: 64, wn: 4, tk: 8 };
/** 16×256 tiles for M ≤ 16 < N (a few rows: small batches, filter gradients of few taps). */
const WIDE: TileShape = { name: 'wide', wm: 4, wn: 64, tk: 8 };
const THREADS = 256;
/** Most workgroups per grid dimension (WebGPU's default maxComputeWorkgroupsPerDimension). */
const MAX_GROUPS = 65535;

/** What a GEMM reads and writes, as WGSL (see `runGemm`). */
export interface GemmSpec {
  /** Op name (errors). */
  op: string;
  /** Pipeline key of the operand functions (the tile shape is added). */
  key: string;
  type: 'f32' | 'i32' | 'u32';
  /** WGSL defining a_row, load_a, b_col, load_b and store. */
  helpers: string;
}

/**
 * The WGSL of a register-blocked GEMM: see `runGemm`. Invocation lid stages, at every K step,
 * the A rows lid/tk + (256/tk)·q at k = lid % tk and the B column lid % tileN, so a_row and
 * b_col run once per invocation before the K loop. With `kSliceParam` (split K) the grid's z
 * is a slice of K, whose length is that param word, and C goes to out as [slices, M, N].
 */
function gemmWgsl(t: string, s: TileShape, kSliceParam?: number): string {
  const tm = 4 * s.wm;
  const tn = 4 * s.wn;
  const aLoads = Math.ceil((s.tk * tm) / THREADS);
  const bLoads = Math.ceil((s.tk * tn) / THREADS);
  const rowStep = THREADS / s.tk;
  const split = kSliceParam !== undefined;
  return `
  let M = prm(0u); let N = prm(1u);
  ${
    split
      ? `let z = 0u; let kbegin = wg.z * prm(${kSliceParam}u); let K = min(prm(2u), kbegin + prm(${kSliceParam}u));`
      : 'let z = wg.z; let kbegin = 0u; let K = prm(2u);'
  }
  let tx = lid % ${s.wn}u; let ty = lid / ${s.wn}u;
  let row0 = wg.y * ${tm}u; let col0 = wg.x * ${tn}u;
  let ak = lid % ${s.tk}u; let bn = lid % ${tn}u;
  var arows: array<vec4<i32>, ${aLoads}>;
  for (var q = 0u; q < ${aLoads}u; q = q + 1u) {
    arows[q] = a_row(z, row0 + lid / ${s.tk}u + ${rowStep}u * q);
  }
  let bcol = b_col(z, col0 + bn);
  var acc: array<vec4<${t}>, 4>;
  for (var k0 = kbegin; k0 < K; k0 = k0 + ${s.tk}u) {
    // Stage A as As[k][m] and B as Bs[k][n] (zeros outside the matrices).
    for (var q = 0u; q < ${aLoads}u; q = q + 1u) {
      let am = lid / ${s.tk}u + ${rowStep}u * q;
      if (am < ${tm}u) {
        var va = ${t}(0);
        if (row0 + am < M && k0 + ak < K) { va = load_a(arows[q], k0 + ak); }
        As[ak * ${tm}u + am] = va;
      }
    }
    for (var q = 0u; q < ${bLoads}u; q = q + 1u) {
      let e = lid + ${THREADS}u * q;
      if (e < ${s.tk * tn}u) {
        let bk = e / ${tn}u;
        var vb = ${t}(0);
        if (k0 + bk < K && col0 + bn < N) { vb = load_b(bcol, k0 + bk); }
        Bs[bk * ${tn}u + bn] = vb;
      }
    }
    workgroupBarrier();
    for (var k = 0u; k < ${s.tk}u; k = k + 1u) {
      let b = vec4<${t}>(Bs[k * ${tn}u + tx], Bs[k * ${tn}u + tx + ${s.wn}u],
                        Bs[k * ${tn}u + tx + ${2 * s.wn}u], Bs[k * ${tn}u + tx + ${3 * s.wn}u]);
      acc[0] = acc[0] + As[k * ${tm}u + ty] * b;
      acc[1] = acc[1] + As[k * ${tm}u + ty + ${s.wm}u] * b;
      acc[2] = acc[2] + As[k * ${tm}u + ty + ${2 * s.wm}u] * b;
      acc[3] = acc[3] + As[k * ${tm}u + ty + ${3 * s.wm}u] * b;
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    let r = row0 + ty + ${s.wm}u * i;
    if (r >= M) { break; }
    for (var j = 0u; j < 4u; j = j + 1u) {
      let c = col0 + tx + ${s.wn}u * j;
      if (c < N) { ${split ? 'out[(wg.z * M + r) * N + c] = acc[i][j];' : 'store(z, r, c, acc[i][j]);'} }
    }
  }`;
}

/**
 * Runs a register-blocked GEMM C[M × N] = A[M × K] · B[K × N], `batch` times (the grid's z),
 * whose operands are read and whose result is written through WGSL functions, so that matmul
 * and the implicit-GEMM convolutions share one tiled loop. `spec.helpers` defines, for the
 * element type T (inputs in0, in1, ... of type T; output out):
 *
 *   fn a_row(z: u32, r: u32) -> vec4<i32>;       (what load_a needs of row r of batch z)
 *   fn load_a(row: vec4<i32>, k: u32) -> T;      (only called with r < M, k < K)
 *   fn b_col(z: u32, c: u32) -> vec4<i32>;       (what load_b needs of column c of batch z)
 *   fn load_b(col: vec4<i32>, k: u32) -> T;      (only called with k < K, c < N)
 *   fn store(z: u32, r: u32, c: u32, v: T);      (only called with r < M, c < N)
 *
 * a_row and b_col run once per invocation (an implicit GEMM decomposes its row index there,
 * not per load). `params` start with M, N, K; the helpers read their own words after those.
 * Tiles are 64×64 (256×16 when N ≤ 16, 16×256 when M ≤ 16 < N), 4×4 outputs per invocation
 * accumulated in registers. When there are few tiles and a long K (batch 1 only), K is split
 * over workgroup layers whose partial results are summed by a second pass; `store` must then
 * be out[r·N + c] = v, which the split path writes itself.
 */
export function runGemm(
  backend: WebGPUBackend,
  spec: GemmSpec,
  inputs: readonly GpuData[],
  out: GpuData,
  params: readonly number[],
  batch = 1,
): void {
  const [m, n] = params as [number, number];
  const shape = n <= 4 * TALL.wn ? TALL : m <= 4 * WIDE.wm ? WIDE : SQUARE;
  const tm = 4 * shape.wm;
  const tn = 4 * shape.wn;
  const groups: [number, number, number] = [Math.ceil(n / tn), Math.ceil(m / tm), batch];
  if (groups.some((g) => g > MAX_GROUPS)) {
    throw new BackendError(
      `webgpu: ${spec.op} needs a grid of ${groups.join('×')} workgroups (${m}×${n} outputs in ` +
        `${tm}×${tn} tiles, ${batch} batches); at most ${MAX_GROUPS} per dimension is supported`,
    );
  }
  const t = spec.type;
  const gemm = (slice?: { steps: number; count: number }) =>
    program({
      key: `gemm-${shape.name}${slice ? '-split' : ''}:${spec.key}`,
      inputs: inputs.map(() => t),
      output: t,
      numParams: params.length + (slice ? 1 : 0),
      helpers: spec.helpers,
      workgroup: {
        size: THREADS,
        shared: `var<workgroup> As: array<${t}, ${shape.tk * tm}>;
var<workgroup> Bs: array<${t}, ${shape.tk * tn}>;`,
      },
      body: () => gemmWgsl(t, shape, slice ? params.length : undefined),
    });
  const slices = batch === 1 ? splitK(groups[0] * groups[1], params[2]!, shape.tk) : null;
  if (!slices) {
    backend.run(gemm(), inputs, out, params, groups);
    return;
  }
  // Few tiles and a long K (e.g. a filter gradient summing over every position): each K slice
  // is a workgroup layer writing its partial C, then one pass sums the slices into out.
  const partial = backend.alloc({ shape: [slices.count, m, n], dtype: out.dtype });
  backend.run(
    gemm(slices),
    inputs,
    partial,
    [...params, slices.steps],
    [groups[0], groups[1], slices.count],
  );
  const sum = program({
    key: `gemm-slices-sum:${t}`,
    inputs: [t],
    output: t,
    numParams: 2,
    body: `
  var s = ${t}(0);
  for (var q = 0u; q < prm(1u); q = q + 1u) { s = s + in0[q * prm(0u) + i]; }
  out[i] = s;`,
  });
  backend.run(sum, [partial], out, [m * n, slices.count], m * n);
  backend.free(partial);
}

/** Workgroups a GEMM should have at least, else its K is split (the GPU would idle). */
const MIN_WORKGROUPS = 64;
/** Fewest K indices worth a slice of their own. */
const MIN_SLICE = 256;

/**
 * How to split K over workgroup layers when `tiles` workgroups are too few: `steps` K indices
 * (a multiple of the tile's K step) per slice, `count` slices; null if not worth it.
 */
function splitK(tiles: number, k: number, tk: number): { steps: number; count: number } | null {
  const count = Math.min(Math.ceil(MIN_WORKGROUPS / tiles), Math.floor(k / MIN_SLICE));
  if (count <= 1) return null;
  const steps = Math.ceil(k / count / tk) * tk;
  return { steps, count: Math.ceil(k / steps) };
}

/**
 * The GEMM of op(A) · op(B) for matrices stored row-major in in0 and in1 (op a transpose when
 * tA / tB), C row-major in out, batched over `rb` batch dims. Params: M, N, K, the batch dims,
 * then A's and B's per-batch strides (0 where a side is broadcast).
 */
export function matmulSpec(
  op: string,
  t: GemmSpec['type'],
  tA: boolean,
  tB: boolean,
  rb: number,
): GemmSpec {
  // Offset of batch z's matrix in an operand: z decomposed over the batch dims, times its strides.
  const baseOf = (first: number) => `
  var rem = z; var off = 0u;
  for (var d: i32 = ${rb - 1}; d >= 0; d = d - 1) {
    let dim = prm(3u + u32(d));
    off = off + (rem % dim) * prm(${first}u + u32(d));
    rem = rem / dim;
  }
  return off;`;
  const helpers = `
fn a_offset(z: u32) -> u32 {${baseOf(3 + rb)}
}
fn b_offset(z: u32) -> u32 {${baseOf(3 + 2 * rb)}
}
fn a_row(z: u32, r: u32) -> vec4<i32> { return vec4<i32>(i32(a_offset(z) + ${tA ? 'r' : 'r * prm(2u)'}), 0, 0, 0); }
fn load_a(row: vec4<i32>, k: u32) -> ${t} { return in0[u32(row.x) + ${tA ? 'k * prm(0u)' : 'k'}]; }
fn b_col(z: u32, c: u32) -> vec4<i32> { return vec4<i32>(i32(b_offset(z) + ${tB ? 'c * prm(2u)' : 'c'}), 0, 0, 0); }
fn load_b(col: vec4<i32>, k: u32) -> ${t} { return in1[u32(col.x) + ${tB ? 'k' : 'k * prm(1u)'}]; }
fn store(z: u32, r: u32, c: u32, v: ${t}) { out[(z * prm(0u) + r) * prm(1u) + c] = v; }`;
  return { op, key: `matmul:${t}:${tA ? 1 : 0}${tB ? 1 : 0}:${rb}`, type: t, helpers };
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
  runGemm(
    backend,
    matmulSpec('BatchMatMul', t, tA, tB, rb),
    [a!.dataId as GpuData, b!.dataId as GpuData],
    out,
    params,
    batch,
  );
  return { dataId: out, shape: outShape, dtype: o!.dtype };
};
