/**
 * Cache-blocked, register-tiled GEMM in plain JavaScript (GotoBLAS loop order):
 *
 *   for each NC-wide column block of B:
 *     for each KC-deep slice:      pack B[kc × nc] into NR-wide panels   (Float64Array)
 *       for each MC-tall block of A: pack A[mc × kc] into MR-tall panels (Float64Array)
 *         for each NR panel, for each MR panel: MR×NR micro-kernel over kc
 *
 * Transposed operands are handled while packing (every packing loop reads its source
 * contiguously), so the micro-kernel always streams two contiguous panels and keeps the
 * MR×NR tile of C in local variables (registers). Packing into float64 means the inner
 * loop does no float32→float64 conversions; C is written once per KC slice.
 */
import type { TypedArray } from '@tapegrad/core';

/** Rows of the register tile. */
const MR = 4;
/** Columns of the register tile. */
const NR = 4;
/** Depth of a packed slice (panels of MR·KC and NR·KC doubles stay in L1). */
const KC = 256;
/** Rows of A packed at once (MC·KC doubles: L2-sized). */
const MC = 128;
/** Columns of B packed at once. */
const NC = 2048;

/** Below this many multiply-adds a straight loop beats packing. */
const SMALL = 32 * 32 * 32;

// Packing buffers, grown on demand and reused: the hot path allocates nothing.
let packA = new Float64Array(MC * KC);
let packB = new Float64Array(KC * NR * 64);

/**
 * C[m×n] = op(A)[m×k] · op(B)[k×n], all row-major, written at the given offsets.
 * `transA`: A is stored k×m (op(A) = Aᵀ); `transB`: B is stored n×k.
 * C is overwritten (not accumulated into).
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: TypedArray,
  aOff: number,
  transA: boolean,
  b: TypedArray,
  bOff: number,
  transB: boolean,
  c: TypedArray,
  cOff: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0, cOff, cOff + m * n);
    return;
  }
  if (m * n * k <= SMALL) {
    gemmSmall(m, n, k, a, aOff, transA, b, bOff, transB, c, cOff);
    return;
  }
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const ncPanels = Math.ceil(nc / NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      if (packB.length < ncPanels * NR * kc) packB = new Float64Array(ncPanels * NR * KC);
      packPanelsB(b, bOff, ldb, transB, pc, kc, jc, nc, packB);
      const first = pc === 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const mcPanels = Math.ceil(mc / MR);
        if (packA.length < mcPanels * MR * kc) packA = new Float64Array(mcPanels * MR * KC);
        packPanelsA(a, aOff, lda, transA, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < ncPanels; jr++) {
          const nr = Math.min(NR, nc - jr * NR);
          const bBase = jr * NR * kc;
          for (let ir = 0; ir < mcPanels; ir++) {
            const mr = Math.min(MR, mc - ir * MR);
            const cBase = cOff + (ic + ir * MR) * n + jc + jr * NR;
            if (mr === MR && nr === NR)
              microKernel(kc, packA, ir * MR * kc, packB, bBase, c, cBase, n, first);
            else microKernelEdge(kc, packA, ir * MR * kc, packB, bBase, c, cBase, n, first, mr, nr);
          }
        }
      }
    }
  }
}

/** Packs op(A)[i0:i0+mc, p0:p0+kc] into MR-row panels: dst[panel·MR·kc + kk·MR + r]. Rows past mc are zeros. */
function packPanelsA(
  a: TypedArray,
  aOff: number,
  lda: number,
  transA: boolean,
  i0: number,
  mc: number,
  p0: number,
  kc: number,
  dst: Float64Array,
): void {
  const panels = Math.ceil(mc / MR);
  for (let p = 0; p < panels; p++) {
    const base = p * MR * kc;
    const rows = Math.min(MR, mc - p * MR);
    const iStart = i0 + p * MR;
    if (!transA) {
      // op(A)[i, kk] = a[i·lda + kk]: each row is contiguous.
      for (let r = 0; r < rows; r++) {
        let src = aOff + (iStart + r) * lda + p0;
        for (let kk = 0, d = base + r; kk < kc; kk++, d += MR) dst[d] = a[src++]!;
      }
    } else {
      // op(A)[i, kk] = a[kk·lda + i]: for each kk the MR rows are contiguous.
      for (let kk = 0; kk < kc; kk++) {
        const src = aOff + (p0 + kk) * lda + iStart;
        const d = base + kk * MR;
        for (let r = 0; r < rows; r++) dst[d + r] = a[src + r]!;
      }
    }
    for (let r = rows; r < MR; r++) for (let kk = 0; kk < kc; kk++) dst[base + kk * MR + r] = 0;
  }
}

/** Packs op(B)[p0:p0+kc, j0:j0+nc] into NR-column panels: dst[panel·NR·kc + kk·NR + c]. Columns past nc are zeros. */
function packPanelsB(
  b: TypedArray,
  bOff: number,
  ldb: number,
  transB: boolean,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
  dst: Float64Array,
): void {
  const panels = Math.ceil(nc / NR);
  for (let q = 0; q < panels; q++) {
    const base = q * NR * kc;
    const cols = Math.min(NR, nc - q * NR);
    const jStart = j0 + q * NR;
    if (!transB) {
      // op(B)[kk, j] = b[kk·ldb + j]: for each kk the NR columns are contiguous.
      for (let kk = 0; kk < kc; kk++) {
        const src = bOff + (p0 + kk) * ldb + jStart;
        const d = base + kk * NR;
        for (let cc = 0; cc < cols; cc++) dst[d + cc] = b[src + cc]!;
      }
    } else {
      // op(B)[kk, j] = b[j·ldb + kk]: each column is contiguous.
      for (let cc = 0; cc < cols; cc++) {
        let src = bOff + (jStart + cc) * ldb + p0;
        for (let kk = 0, d = base + cc; kk < kc; kk++, d += NR) dst[d] = b[src++]!;
      }
    }
    for (let cc = cols; cc < NR; cc++) for (let kk = 0; kk < kc; kk++) dst[base + kk * NR + cc] = 0;
  }
}

/** The 4×4 register tile: C[0:4, 0:4] (+)= Apanel · Bpanel over kc. */
function microKernel(
  kc: number,
  ap: Float64Array,
  pa: number,
  bp: Float64Array,
  pb: number,
  c: TypedArray,
  pc: number,
  ldc: number,
  first: boolean,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let kk = 0; kk < kc; kk++, pa += 4, pb += 4) {
    const a0 = ap[pa]!,
      a1 = ap[pa + 1]!,
      a2 = ap[pa + 2]!,
      a3 = ap[pa + 3]!;
    const b0 = bp[pb]!,
      b1 = bp[pb + 1]!,
      b2 = bp[pb + 2]!,
      b3 = bp[pb + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (first) {
    c[pc] = c00;
    c[pc + 1] = c01;
    c[pc + 2] = c02;
    c[pc + 3] = c03;
    pc += ldc;
    c[pc] = c10;
    c[pc + 1] = c11;
    c[pc + 2] = c12;
    c[pc + 3] = c13;
    pc += ldc;
    c[pc] = c20;
    c[pc + 1] = c21;
    c[pc + 2] = c22;
    c[pc + 3] = c23;
    pc += ldc;
    c[pc] = c30;
    c[pc + 1] = c31;
    c[pc + 2] = c32;
    c[pc + 3] = c33;
  } else {
    c[pc]! += c00;
    c[pc + 1]! += c01;
    c[pc + 2]! += c02;
    c[pc + 3]! += c03;
    pc += ldc;
    c[pc]! += c10;
    c[pc + 1]! += c11;
    c[pc + 2]! += c12;
    c[pc + 3]! += c13;
    pc += ldc;
    c[pc]! += c20;
    c[pc + 1]! += c21;
    c[pc + 2]! += c22;
    c[pc + 3]! += c23;
    pc += ldc;
    c[pc]! += c30;
    c[pc + 1]! += c31;
    c[pc + 2]! += c32;
    c[pc + 3]! += c33;
  }
}

const edgeTile = new Float64Array(MR * NR);

/** A partial tile at the right or bottom edge: computes the full tile, stores mr×nr of it. */
function microKernelEdge(
  kc: number,
  ap: Float64Array,
  pa: number,
  bp: Float64Array,
  pb: number,
  c: TypedArray,
  pc: number,
  ldc: number,
  first: boolean,
  mr: number,
  nr: number,
): void {
  const t = edgeTile;
  t.fill(0);
  for (let kk = 0; kk < kc; kk++, pa += MR, pb += NR) {
    for (let r = 0; r < MR; r++) {
      const av = ap[pa + r]!;
      for (let cc = 0; cc < NR; cc++) t[r * NR + cc]! += av * bp[pb + cc]!;
    }
  }
  for (let r = 0; r < mr; r++) {
    const row = pc + r * ldc;
    for (let cc = 0; cc < nr; cc++) {
      if (first) c[row + cc] = t[r * NR + cc]!;
      else c[row + cc]! += t[r * NR + cc]!;
    }
  }
}

/** Straight loops for small products (no packing), accumulating in doubles. */
function gemmSmall(
  m: number,
  n: number,
  k: number,
  a: TypedArray,
  aOff: number,
  transA: boolean,
  b: TypedArray,
  bOff: number,
  transB: boolean,
  c: TypedArray,
  cOff: number,
): void {
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  // Unit strides along k for the dot-product form; scaled strides otherwise.
  const aI = transA ? 1 : lda;
  const aK = transA ? lda : 1;
  const bK = transB ? 1 : ldb;
  const bJ = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let kk = 0, pa = aOff + i * aI, pb = bOff + j * bJ; kk < k; kk++, pa += aK, pb += bK)
        acc += a[pa]! * b[pb]!;
      c[cOff + i * n + j] = acc;
    }
  }
}
