/**
 * Single-precision GEMM with f32x4 SIMD micro-kernels (GotoBLAS loop order):
 *
 *   for each NC-wide column block of op(B):
 *     for each KC-deep slice:        pack op(B)[kc × nc] into NR-wide panels
 *       for each MC-tall row block:  pack op(A)[mc × kc] into MR-tall panels
 *         for each NR panel, for each MR panel: the MR×NR micro-kernel over kc
 *
 * Transposes are absorbed by the packing routines (4×4 SIMD transposes where the
 * source runs the other way), so one micro-kernel serves all four combinations.
 * The plain kernel keeps a 5×8 tile of C in ten v128 accumulators (plus two B vectors, one
 * broadcast A value and one product: 14 of the 15 xmm registers V8 allocates on x64); the
 * relaxed-SIMD one a 6×8 tile in twelve (no product: 15 of 15).
 *
 * Plain SIMD has no FMA, so each 8 flops of a k step cost a multiply and an add; on Zen 4
 * (~3.55 GHz, V8 11.3) the loop is bound by the front end (~5.5 instructions a cycle), not
 * by the two multiply and two add pipes (16 flop/cycle, 57 GFLOP/s), so what counts is the
 * x64 instructions V8 emits per k step (scripts/gemm-micro-bench.mjs prints them): 36 for
 * 80 flops, 47.5 GFLOP/s on L1-resident panels (the kernel before took 39: a loop counter and
 * a zero-extension of each pointer every step; 44.5). 4×8 tiles run at ~43; 6×8, 8×8 and
 * k-unrolled 5×8 spill (24–39). Built with `--enable relaxed-simd` (assembly/relaxed-gemm.ts,
 * a GEMM-only module), `madd` below is `f32x4.relaxed_madd`, which V8 emits as one FMA per 8
 * flops (one rounding instead of two), and MR is 6: a relaxed 6×8 reaches 57.4 on L1-resident
 * panels (5×8: 55.1), 52–54.6 in the whole GEMM (5×8: 48–52; plain 5×8: 43–45).
 *
 * All scratch memory (packing buffers, the edge tile) is passed in by the caller,
 * so the module has no mutable static state: several instances (threads) can
 * share one memory as long as each gets its own workspace.
 */

/** Rows of the register tile: 6 with FMA (no product temporaries: 12 accumulators fit), else 5. */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 120;
export const NC: i32 = 1024;

/** Bytes of workspace one gemm call needs (packed A, packed B, one edge tile). */
export function gemmWorkspaceBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/**
 * C[m×n] (+)= op(A)[m×k] · op(B)[k×n]; row-major with leading dimensions (elements).
 * `transA`: A is stored k×m; `transB`: B is stored n×k. Without `accumulate`, C is overwritten.
 */
export function gemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  lda: i32,
  transA: bool,
  b: usize,
  ldb: i32,
  transB: bool,
  c: usize,
  ldc: i32,
  accumulate: bool,
  work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) {
      for (let i = 0; i < m; i++)
        memory.fill(c + ((<usize>i * <usize>ldc) << 2), 0, (<usize>n) << 2);
    }
    return;
  }
  const packA = work;
  const packB = work + ((<usize>(MC * KC)) << 2);
  const tile = packB + ((<usize>(KC * NC)) << 2);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packPanelsB(b, ldb, transB, pc, kc, jc, nc, packB);
      const acc = accumulate || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packPanelsA(a, lda, transA, ic, mc, pc, kc, packA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = (<usize>(jr * kc)) << 2;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const pa = (<usize>(ir * kc)) << 2;
            const cp = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (mr == MR && nr == NR) {
              micro(kc, packA, pa, packB, pb, cp, ldc, acc);
            } else {
              micro(kc, packA, pa, packB, pb, tile, NR, false);
              for (let r = 0; r < mr; r++) {
                const row = cp + ((<usize>r * <usize>ldc) << 2);
                const src = tile + ((<usize>(r * NR)) << 2);
                for (let q = 0; q < nr; q++) {
                  const o = row + ((<usize>q) << 2);
                  const v = load<f32>(src + ((<usize>q) << 2));
                  store<f32>(o, acc ? load<f32>(o) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * `batch` GEMMs with fixed element strides between consecutive operands
 * (a stride of 0 reuses the same matrix: a broadcast batch dimension).
 */
export function gemmBatch(
  batch: i32,
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  strideA: i32,
  transA: bool,
  b: usize,
  strideB: i32,
  transB: bool,
  c: usize,
  work: usize,
): void {
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let i = 0; i < batch; i++) {
    gemm(
      m,
      n,
      k,
      a + ((<usize>i * <usize>strideA) << 2),
      lda,
      transA,
      b + ((<usize>i * <usize>strideB) << 2),
      ldb,
      transB,
      c + ((<usize>i * <usize>(m * n)) << 2),
      n,
      false,
      work,
    );
  }
}

/**
 * c + a·b per lane: one fused multiply-add in the relaxed-SIMD build (a compile-time switch:
 * the other branch is not compiled), a multiply and an add in the plain one.
 */
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * The MR×8 register tile: C[0:MR, 0:8] (+)= Apanel[kc × MR]ᵀ · Bpanel[kc × 8] (kc ≥ 1); the
 * sixth row is compiled only where MR is 6 (the relaxed-SIMD build).
 * Written for V8's code generator (each change measured with scripts/gemm-micro-bench.mjs):
 * the panel pointers arrive as base + offset, so V8 knows the loop's pointers are
 * zero-extended (no `movl` per step); the loop ends on a pointer compare (no counter); and
 * the loads come in the order in which the epilogue below uses the accumulators, which is
 * what makes V8's scheduler put each load right before its multiplies (in another order, or
 * as a do-while loop, all seven loads go first and three values spill: half the speed).
 */
function micro(
  kc: i32,
  aBase: usize,
  aOff: usize,
  bBase: usize,
  bOff: usize,
  c: usize,
  ldc: i32,
  acc: bool,
): void {
  let pa = aBase + aOff;
  let pb = bBase + bOff;
  const end = pb + ((<usize>kc) << 5);
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0);
  let c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0);
  let c51 = f32x4.splat(0);
  while (pb < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(pa, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(pa, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(pa, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(pa, 16);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    if (MR == 6) {
      av = v128.load32_splat(pa, 20);
      c50 = madd(av, b0, c50);
      c51 = madd(av, b1, c51);
    }
    pa += MR << 2;
    pb += 32;
  }
  const rs = (<usize>ldc) << 2;
  let q = c;
  if (acc) {
    v128.store(q, f32x4.add(v128.load(q), c00));
    v128.store(q, f32x4.add(v128.load(q, 16), c01), 16);
    q += rs;
    v128.store(q, f32x4.add(v128.load(q), c10));
    v128.store(q, f32x4.add(v128.load(q, 16), c11), 16);
    q += rs;
    v128.store(q, f32x4.add(v128.load(q), c20));
    v128.store(q, f32x4.add(v128.load(q, 16), c21), 16);
    q += rs;
    v128.store(q, f32x4.add(v128.load(q), c30));
    v128.store(q, f32x4.add(v128.load(q, 16), c31), 16);
    q += rs;
    v128.store(q, f32x4.add(v128.load(q), c40));
    v128.store(q, f32x4.add(v128.load(q, 16), c41), 16);
    if (MR == 6) {
      q += rs;
      v128.store(q, f32x4.add(v128.load(q), c50));
      v128.store(q, f32x4.add(v128.load(q, 16), c51), 16);
    }
  } else {
    v128.store(q, c00);
    v128.store(q, c01, 16);
    q += rs;
    v128.store(q, c10);
    v128.store(q, c11, 16);
    q += rs;
    v128.store(q, c20);
    v128.store(q, c21, 16);
    q += rs;
    v128.store(q, c30);
    v128.store(q, c31, 16);
    q += rs;
    v128.store(q, c40);
    v128.store(q, c41, 16);
    if (MR == 6) {
      q += rs;
      v128.store(q, c50);
      v128.store(q, c51, 16);
    }
  }
}

/**
 * Packs op(A)[i0:i0+mc, p0:p0+kc] into MR-row panels: dst[panel·MR·kc + kk·MR + r]
 * (zeros past mc). Full panels move rows 0–3 as vectors (4×4 transposes when A is not
 * transposed) and rows 4 (and 5) as scalars.
 */
function packPanelsA(
  a: usize,
  lda: i32,
  transA: bool,
  i0: i32,
  mc: i32,
  p0: i32,
  kc: i32,
  dst: usize,
): void {
  const ld = (<usize>lda) << 2;
  const step = (<usize>MR) << 2;
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const base = dst + ((<usize>(ip * kc)) << 2);
    if (!transA) {
      // op(A)[i, kk] = a[i·lda + kk]: rows are contiguous.
      const r0 = a + ((<usize>(i0 + ip) * <usize>lda + <usize>p0) << 2);
      if (rows == MR) {
        const r1 = r0 + ld;
        const r2 = r1 + ld;
        const r3 = r2 + ld;
        const r4 = r3 + ld;
        let kk = 0;
        for (; kk + 4 <= kc; kk += 4) {
          const o = (<usize>kk) << 2;
          const d = base + <usize>kk * step;
          transposeStore(
            v128.load(r0 + o),
            v128.load(r1 + o),
            v128.load(r2 + o),
            v128.load(r3 + o),
            d,
            step,
          );
          const v4 = v128.load(r4 + o);
          store<f32>(d, f32x4.extract_lane(v4, 0), 16);
          store<f32>(d + step, f32x4.extract_lane(v4, 1), 16);
          store<f32>(d + 2 * step, f32x4.extract_lane(v4, 2), 16);
          store<f32>(d + 3 * step, f32x4.extract_lane(v4, 3), 16);
          if (MR == 6) {
            const v5 = v128.load(r4 + ld + o);
            store<f32>(d, f32x4.extract_lane(v5, 0), 20);
            store<f32>(d + step, f32x4.extract_lane(v5, 1), 20);
            store<f32>(d + 2 * step, f32x4.extract_lane(v5, 2), 20);
            store<f32>(d + 3 * step, f32x4.extract_lane(v5, 3), 20);
          }
        }
        for (; kk < kc; kk++) {
          const o = (<usize>kk) << 2;
          const d = base + <usize>kk * step;
          store<f32>(d, load<f32>(r0 + o));
          store<f32>(d, load<f32>(r1 + o), 4);
          store<f32>(d, load<f32>(r2 + o), 8);
          store<f32>(d, load<f32>(r3 + o), 12);
          store<f32>(d, load<f32>(r4 + o), 16);
          if (MR == 6) store<f32>(d, load<f32>(r4 + ld + o), 20);
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          const d = base + <usize>kk * step;
          for (let r = 0; r < MR; r++) {
            const v: f32 = r < rows ? load<f32>(r0 + <usize>r * ld + ((<usize>kk) << 2)) : 0;
            store<f32>(d + ((<usize>r) << 2), v);
          }
        }
      }
    } else {
      // op(A)[i, kk] = a[kk·lda + i]: for each kk the MR rows are contiguous.
      const s0 = a + ((<usize>p0 * <usize>lda + <usize>(i0 + ip)) << 2);
      if (rows == MR) {
        for (let kk = 0; kk < kc; kk++) {
          const s = s0 + <usize>kk * ld;
          const d = base + <usize>kk * step;
          v128.store(d, v128.load(s));
          store<f32>(d, load<f32>(s, 16), 16);
          if (MR == 6) store<f32>(d, load<f32>(s, 20), 20);
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          const d = base + <usize>kk * step;
          const s = s0 + <usize>kk * ld;
          for (let r = 0; r < MR; r++) {
            const v: f32 = r < rows ? load<f32>(s + ((<usize>r) << 2)) : 0;
            store<f32>(d + ((<usize>r) << 2), v);
          }
        }
      }
    }
  }
}

/** Packs op(B)[p0:p0+kc, j0:j0+nc] into NR-column panels: dst[panel·NR·kc + kk·NR + q] (zeros past nc). */
function packPanelsB(
  b: usize,
  ldb: i32,
  transB: bool,
  p0: i32,
  kc: i32,
  j0: i32,
  nc: i32,
  dst: usize,
): void {
  const ld = (<usize>ldb) << 2;
  for (let jp = 0; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    const base = dst + ((<usize>(jp * kc)) << 2);
    if (!transB) {
      // op(B)[kk, j] = b[kk·ldb + j]: for each kk the NR columns are contiguous.
      const s0 = b + ((<usize>p0 * <usize>ldb + <usize>(j0 + jp)) << 2);
      if (cols == NR) {
        for (let kk = 0; kk < kc; kk++) {
          const s = s0 + <usize>kk * ld;
          const d = base + ((<usize>kk) << 5);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          const s = s0 + <usize>kk * ld;
          const d = base + ((<usize>kk) << 5);
          for (let q = 0; q < NR; q++) {
            const v: f32 = q < cols ? load<f32>(s + ((<usize>q) << 2)) : 0;
            store<f32>(d + ((<usize>q) << 2), v);
          }
        }
      }
    } else {
      // op(B)[kk, j] = b[j·ldb + kk]: each column is contiguous; 4×4 blocks are transposed.
      const c0 = b + ((<usize>(j0 + jp) * <usize>ldb + <usize>p0) << 2);
      if (cols == NR) {
        for (let g = 0; g < 2; g++) {
          const q0 = c0 + <usize>(g * 4) * ld;
          const q1 = q0 + ld;
          const q2 = q1 + ld;
          const q3 = q2 + ld;
          const dg = base + ((<usize>g) << 4);
          let kk = 0;
          for (; kk + 4 <= kc; kk += 4) {
            const o = (<usize>kk) << 2;
            transposeStore(
              v128.load(q0 + o),
              v128.load(q1 + o),
              v128.load(q2 + o),
              v128.load(q3 + o),
              dg + ((<usize>kk) << 5),
              32,
            );
          }
          for (; kk < kc; kk++) {
            const o = (<usize>kk) << 2;
            const d = dg + ((<usize>kk) << 5);
            store<f32>(d, load<f32>(q0 + o));
            store<f32>(d, load<f32>(q1 + o), 4);
            store<f32>(d, load<f32>(q2 + o), 8);
            store<f32>(d, load<f32>(q3 + o), 12);
          }
        }
      } else {
        for (let kk = 0; kk < kc; kk++) {
          const d = base + ((<usize>kk) << 5);
          for (let q = 0; q < NR; q++) {
            const v: f32 = q < cols ? load<f32>(c0 + <usize>q * ld + ((<usize>kk) << 2)) : 0;
            store<f32>(d + ((<usize>q) << 2), v);
          }
        }
      }
    }
  }
}

/**
 * Stores the transpose of the 4×4 block with rows x0..x3 (any 4-byte lanes: GEMM packing,
 * layout.ts's tiled transposes): row j of the result at d + j·stride.
 */
export function transposeStore(
  x0: v128,
  x1: v128,
  x2: v128,
  x3: v128,
  d: usize,
  stride: usize,
): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(d + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(d + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(d + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}
