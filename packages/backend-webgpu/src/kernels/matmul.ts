import type { Kernel } from '@tapegrad/core';
import type { GpuData, WebGPUBackend } from '../backend.js';
import { program, strides, wgslType } from '../wgsl.js';

/**
 * How a workgroup's 256 invocations cover its tile of C: a wm × wn grid of invocations, each
 * computing rm×4 outputs (rows ty + wm·i, columns tx + wn·j), so the tile is rm·wm × 4·wn; tk
 * is the K step staged in workgroup memory ((rm·wm + 4·wn)·tk words, at most 16 KiB).
 */
interface TileShape {
  name: string;
  wm: number;
  wn: number;
  tk: number;
  /** Rows per invocation (4 unless given). */
  rm?: number;
}

/** 64×64 tiles: the general case. */
const SQUARE: TileShape = { name: 'sq', wm: 16, wn: 16, tk: 16 };
/** 128×64 tiles (8×4 per invocation) for C at least that large. */
const LARGE: TileShape = { name: 'lg', wm: 16, wn: 16, tk: 16, rm: 8 };
/**
 * Tiles for a narrow C (convolutions with few output channels, dense layers with few units):
 * 8, 16 or 32 columns and as many rows as the 256 invocations then cover (8 rows each for 32
 * columns: 8×4 per invocation reads 12 staged values per 32 products, 4×4 reads 8 per 16), so
 * that few invocations compute columns past N. The K step keeps the staged tiles ≤ 9 KiB.
 */
const NARROW: readonly TileShape[] = [
  { name: 'n8', wm: 128, wn: 2, tk: 4 }, // 512×8
  { name: 'n16', wm: 64, wn: 4, tk: 8 }, // 256×16
  { name: 'n32', wm: 32, wn: 8, tk: 8, rm: 8 }, // 256×32
];
/** The same for a short C (few rows: small batches, filter gradients of few taps). */
const SHORT: readonly TileShape[] = [
  { name: 'm16', wm: 4, wn: 64, tk: 8 }, // 16×256
  { name: 'm32', wm: 8, wn: 32, tk: 16 }, // 32×128
];
const THREADS = 256;

/** Rows of a tile. */
function tileRows(s: TileShape): number {
  return (s.rm ?? 4) * s.wm;
}

/**
 * The tile of an M × N product: among 64×64 (or 128×64) and the narrow (short) tiles that
 * cover all N columns (M rows) at once, the one whose tiles cover the fewest elements past C's
 * edges (the square one on ties). A narrow tile is never repeated across N: an implicit GEMM would compute its A
 * operand (im2col) again for every column tile.
 */
function tileShape(m: number, n: number): TileShape {
  const padded = (s: TileShape): number =>
    Math.ceil(m / tileRows(s)) * tileRows(s) * Math.ceil(n / (4 * s.wn)) * 4 * s.wn;
  const fits = [...NARROW.filter((s) => n <= 4 * s.wn), ...SHORT.filter((s) => m <= tileRows(s))];
  // 128×64 where it pads no more than 64×64 (it stages 12 values per 32 products, not 8 per 16).
  const square = padded(LARGE) <= padded(SQUARE) ? LARGE : SQUARE;
  return fits.reduce((best, s) => (padded(s) < padded(best) ? s : best), square);
}

/** What a GEMM reads and writes, as WGSL (see `runGemm`). */
export interface GemmSpec {
  /** Op name (errors). */
  op: string;
  /** Pipeline key of the operand functions (the tile shape is added). */
  key: string;
  type: 'f32' | 'i32' | 'u32';
  /** WGSL defining a_row, a_k, load_a, b_col, load_b and store. */
  helpers: string;
}

/**
 * The WGSL of a register-blocked GEMM: see `runGemm`. Invocation lid stages, at every K step,
 * the A rows lid/tk + (256/tk)·q at k = lid % tk and the B column lid % tileN, so a_row and
 * b_col run once per invocation before the K loop. Workgroup wid (spread over the grid by
 * `WebGPUBackend.groups`) computes the tile (wid % column tiles, wid / column tiles % row
 * tiles) of layer wid / tiles, of which there are prm(layersParam). With `split` a layer is a
 * slice of K (of length prm(layersParam + 1)) and C goes to out as [slices, M, N]; otherwise
 * it is a batch.
 */
function gemmWgsl(t: string, s: TileShape, layersParam: number, split: boolean): string {
  const tm = tileRows(s);
  const tn = 4 * s.wn;
  const rowStep = THREADS / s.tk;
  // The loops below are unrolled here (their trip counts are constants): a GPU compiler would
  // unroll them too; a software adapter does not, and would keep arows and acc in memory.
  const range = (n: number): number[] => Array.from({ length: n }, (_, q) => q);
  const aLoads = range(Math.ceil((s.tk * tm) / THREADS));
  const bLoads = range(Math.ceil((s.tk * tn) / THREADS));
  const quad = range(4);
  const rows = range(s.rm ?? 4);
  const stageA = aLoads.map((q) => {
    const am = `lid / ${s.tk}u + ${rowStep * q}u`;
    const load = `var va${q} = ${t}(0);
    if (row0 + ${am} < M && k0 + ak < K) { va${q} = load_a(arow${q}, ka); }
    As[ak * ${tm}u + ${am}] = va${q};`;
    // Staged rows past the tile exist only when 256 / tk does not divide its height.
    return rowStep * (q + 1) <= tm ? `    { ${load} }` : `    if (${am} < ${tm}u) { ${load} }`;
  });
  const stageB = bLoads.map((q) => {
    const bk = `(lid + ${THREADS * q}u) / ${tn}u`;
    const load = `let bk${q} = ${bk};
    var vb${q} = ${t}(0);
    if (k0 + bk${q} < K && col0 + bn < N) { vb${q} = load_b(bcol, k0 + bk${q}); }
    Bs[bk${q} * ${tn}u + bn] = vb${q};`;
    return THREADS * (q + 1) <= s.tk * tn
      ? `    { ${load} }`
      : `    if (lid + ${THREADS * q}u < ${s.tk * tn}u) { ${load} }`;
  });
  const products = range(s.tk).map(
    (k) => `    b = vec4<${t}>(${quad.map((j) => `Bs[${k * tn + j * s.wn}u + tx]`).join(', ')});
${rows.map((i) => `    acc${i} = acc${i} + As[${k * tm + i * s.wm}u + ty] * b;`).join('\n')}`,
  );
  const stores = rows.map(
    (i) => `  if (row0 + ty + ${i * s.wm}u < M) {
${quad
  .map((j) => {
    const r = `row0 + ty + ${i * s.wm}u`;
    const c = `col0 + tx + ${j * s.wn}u`;
    const put = split
      ? `out[(layer * M + ${r}) * N + ${c}] = acc${i}[${j}];`
      : `store(z, ${r}, ${c}, acc${i}[${j}]);`;
    return `    if (${c} < N) { ${put} }`;
  })
  .join('\n')}
  }`,
  );
  // Workgroups launched (prm(strideParam)) may be fewer than tiles: each loops over tiles
  // wid, wid + launched, ... (uniform control flow: the barriers stay legal).
  const strideParam = layersParam + (split ? 2 : 1);
  return `
  let M = prm(0u); let N = prm(1u);
  let tilesN = (N + ${tn - 1}u) / ${tn}u;
  let tiles = tilesN * ((M + ${tm - 1}u) / ${tm}u);
  if (wid >= prm(${strideParam}u)) { return; }
  for (var w = wid; w < tiles * prm(${layersParam}u); w = w + prm(${strideParam}u)) {
  let layer = w / tiles;
  ${
    split
      ? `let z = 0u; let kbegin = layer * prm(${layersParam + 1}u); let K = min(prm(2u), kbegin + prm(${layersParam + 1}u));`
      : 'let z = layer; let kbegin = 0u; let K = prm(2u);'
  }
  let tx = lid % ${s.wn}u; let ty = lid / ${s.wn}u;
  let row0 = (w % tiles) / tilesN * ${tm}u; let col0 = w % tilesN * ${tn}u;
  let ak = lid % ${s.tk}u; let bn = lid % ${tn}u;
${aLoads.map((q) => `  let arow${q} = a_row(z, row0 + lid / ${s.tk}u + ${rowStep * q}u);`).join('\n')}
  let bcol = b_col(z, col0 + bn);
${rows.map((i) => `  var acc${i} = vec4<${t}>(0);`).join('\n')}
  var b: vec4<${t}>;
  for (var k0 = kbegin; k0 < K; k0 = k0 + ${s.tk}u) {
    // Stage A as As[k][m] and B as Bs[k][n] (zeros outside the matrices). This invocation's
    // A loads share one k, decomposed once.
    let ka = a_k(k0 + ak);
${stageA.join('\n')}
${stageB.join('\n')}
    workgroupBarrier();
${products.join('\n')}
    workgroupBarrier();
  }
${stores.join('\n')}
  }`;
}

/**
 * Runs a register-blocked GEMM C[M × N] = A[M × K] · B[K × N], `batch` times, whose operands
 * are read and whose result is written through WGSL functions, so that matmul and the
 * implicit-GEMM convolutions share one tiled loop. `spec.helpers` defines, for the element
 * type T (inputs in0, in1, ... of type T; output out):
 *
 *   fn a_row(z: u32, r: u32) -> vec4<i32>;       (what load_a needs of row r of batch z)
 *   fn a_k(k: u32) -> vec4<i32>;                 (what load_a needs of column k of A)
 *   fn load_a(row: vec4<i32>, k: vec4<i32>) -> T; (only called with r < M, k < K)
 *   fn b_col(z: u32, c: u32) -> vec4<i32>;       (what load_b needs of column c of batch z)
 *   fn load_b(col: vec4<i32>, k: u32) -> T;      (only called with k < K, c < N)
 *   fn store(z: u32, r: u32, c: u32, v: T);      (only called with r < M, c < N)
 *
 * a_row and b_col run once per invocation and a_k once per K step (an implicit GEMM
 * decomposes its row and column indices there, not per load). `params` start with M, N, K; the helpers read their own words after those.
 * Tiles are 64×64, or narrow/short ones when N or M is small (see `tileShape`), 4×4 outputs
 * per invocation accumulated in registers; one workgroup per tile and batch, spread over the
 * grid's three dimensions when they exceed the device's per-dimension limit. When there are
 * few tiles and a long K (batch 1 only), K is split over workgroup layers whose partial
 * results are summed by a second pass; `store` must then be out[r·N + c] = v, which the split
 * path writes itself.
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
  const shape = tileShape(m, n);
  const tm = tileRows(shape);
  const tn = 4 * shape.wn;
  const tiles = Math.ceil(n / tn) * Math.ceil(m / tm);
  if (tiles * batch === 0) return;
  const t = spec.type;
  const what = `${spec.op} (${m}×${n} outputs in ${tm}×${tn} tiles, ${batch} batches)`;
  const gemm = (split: boolean) =>
    program({
      key: `gemm-${shape.name}${split ? '-split' : ''}:${spec.key}`,
      inputs: inputs.map(() => t),
      output: t,
      numParams: params.length + (split ? 3 : 2),
      helpers: spec.helpers,
      workgroup: {
        size: THREADS,
        shared: `var<workgroup> As: array<${t}, ${shape.tk * tm}>;
var<workgroup> Bs: array<${t}, ${shape.tk * tn}>;`,
      },
      body: () => gemmWgsl(t, shape, params.length, split),
    });
  const slices = batch === 1 ? splitK(tiles, params[2]!, shape.tk, backend.occupancy) : null;
  // One workgroup per tile, or on a software adapter at most gemmGroups looping over them.
  const launched = (count: number): number => Math.min(count, backend.gemmGroups);
  if (!slices) {
    const groups = launched(tiles * batch);
    backend.run(gemm(false), inputs, out, [...params, batch, groups], backend.groups(groups, what));
    return;
  }
  // Few tiles and a long K (e.g. a filter gradient summing over every position): each K slice
  // is a workgroup layer writing its partial C, then one pass sums the slices into out.
  const partial = backend.alloc({ shape: [slices.count, m, n], dtype: out.dtype });
  const groups = launched(tiles * slices.count);
  backend.run(
    gemm(true),
    inputs,
    partial,
    [...params, slices.count, slices.steps, groups],
    backend.groups(groups, what),
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

/** Fewest K indices worth a slice of their own. */
const MIN_SLICE = 256;

/**
 * How to split K over workgroup layers when `tiles` workgroups are fewer than the device's
 * `occupancy`: `steps` K indices (a multiple of the tile's K step) per slice, `count` slices;
 * null if not worth it.
 */
function splitK(
  tiles: number,
  k: number,
  tk: number,
  occupancy: number,
): { steps: number; count: number } | null {
  const count = Math.min(Math.ceil(occupancy / tiles), Math.floor(k / MIN_SLICE));
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
fn a_k(k: u32) -> vec4<i32> { return vec4<i32>(i32(${tA ? 'k * prm(0u)' : 'k'}), 0, 0, 0); }
fn load_a(row: vec4<i32>, k: vec4<i32>) -> ${t} { return in0[u32(row.x + k.x)]; }
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
