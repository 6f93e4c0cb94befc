/**
 * Dtype-agnostic layout kernels: they move elements of `eb` bytes (1: bool, 4: float32 and
 * int32, 8: float64) and never look at their values. Strides are in elements and may be
 * negative (Reverse) or 0 (BroadcastTo); pointers are byte offsets of the first element.
 *
 * A strided copy takes an i32 record at `desc` for its `rank` dimensions:
 *   shape[rank], srcStrides[rank], dstStrides[rank], then rank i32 of scratch (the counter).
 * The TypeScript side drops size-1 dimensions and merges contiguous ones first, so the
 * innermost row is usually long (one memory.copy for a contiguous slice).
 */
import { transposeStore } from './gemm';

function field(desc: usize, i: i32): i32 {
  return load<i32>(desc + ((<usize>i) << 2));
}

/** Byte step of `stride` elements (wraps correctly for negative strides). */
function bytesOf(stride: i32, eb: i32): usize {
  return <usize>(stride * eb);
}

/** dst[k·ds] = src[k·ss] for k < n, elements of type T. */
function copyRowOf<T>(src: usize, ss: i32, dst: usize, ds: i32, n: i32): void {
  const sb = bytesOf(ss, sizeof<T>());
  const db = bytesOf(ds, sizeof<T>());
  for (let k = 0; k < n; k++) {
    store<T>(dst, load<T>(src));
    src += sb;
    dst += db;
  }
}

/** One row of a strided copy, with fast paths for contiguous, broadcast and reversed 4-byte rows. */
function copyRow(src: usize, ss: i32, dst: usize, ds: i32, n: i32, eb: i32): void {
  if (ss == 1 && ds == 1) {
    memory.copy(dst, src, <usize>(n * eb));
    return;
  }
  if (eb == 1) {
    if (ss == 0 && ds == 1) memory.fill(dst, load<u8>(src), <usize>n);
    else copyRowOf<u8>(src, ss, dst, ds, n);
  } else if (eb == 4) {
    let k = 0;
    if (ss == 0 && ds == 1) {
      const v = v128.load32_splat(src);
      for (; k + 4 <= n; k += 4) v128.store(dst + ((<usize>k) << 2), v);
    } else if (ss == -1 && ds == 1) {
      // Reversed row: load the 4 elements ending at src - 4k, store them flipped.
      for (; k + 4 <= n; k += 4) {
        const v = v128.load(src - ((<usize>(k + 3)) << 2));
        v128.store(dst + ((<usize>k) << 2), v128.shuffle<u32>(v, v, 3, 2, 1, 0));
      }
    }
    copyRowOf<u32>(src + bytesOf(k * ss, 4), ss, dst + bytesOf(k * ds, 4), ds, n - k);
  } else {
    copyRowOf<u64>(src, ss, dst, ds, n);
  }
}

/** dst[Σ k_d·dstStrides_d] = src[Σ k_d·srcStrides_d] over every index k of shape (no empty shape). */
export function copyStrided(src: usize, dst: usize, desc: usize, rank: i32, eb: i32): void {
  const last = rank - 1;
  const n = field(desc, last);
  const ss = field(desc, rank + last);
  const ds = field(desc, 2 * rank + last);
  const counter = desc + ((<usize>(3 * rank)) << 2);
  for (let d = 0; d < last; d++) store<i32>(counter + ((<usize>d) << 2), 0);
  while (true) {
    copyRow(src, ss, dst, ds, n, eb);
    let d = last - 1;
    for (; d >= 0; d--) {
      const at = counter + ((<usize>d) << 2);
      const k = load<i32>(at) + 1;
      const sStep = bytesOf(field(desc, rank + d), eb);
      const dStep = bytesOf(field(desc, 2 * rank + d), eb);
      if (k < field(desc, d)) {
        store<i32>(at, k);
        src += sStep;
        dst += dStep;
        break;
      }
      store<i32>(at, 0);
      src -= sStep * <usize>(k - 1);
      dst -= dStep * <usize>(k - 1);
    }
    if (d < 0) return;
  }
}

/** dst[b + a·da] = src[a + b·sb] for a in [a0, a1), b in [b0, b1), elements of type T. */
function tileOf<T>(
  src: usize,
  dst: usize,
  a0: i32,
  a1: i32,
  b0: i32,
  b1: i32,
  sb: i32,
  da: i32,
): void {
  const size = <usize>sizeof<T>();
  for (let b = b0; b < b1; b++) {
    let s = src + (<usize>a0 + <usize>b * <usize>sb) * size;
    let d = dst + (<usize>b + <usize>a0 * <usize>da) * size;
    const dStep = <usize>da * size;
    for (let a = a0; a < a1; a++) {
      store<T>(d, load<T>(s));
      s += size;
      d += dStep;
    }
  }
}

/** The 4-byte tile: 4×4 SIMD transposes, scalar edges. */
function tile4(src: usize, dst: usize, a0: i32, a1: i32, b0: i32, b1: i32, sb: i32, da: i32): void {
  const rowS = (<usize>sb) << 2;
  const rowD = (<usize>da) << 2;
  let b = b0;
  for (; b + 4 <= b1; b += 4) {
    let a = a0;
    for (; a + 4 <= a1; a += 4) {
      const s = src + ((<usize>a + <usize>b * <usize>sb) << 2);
      transposeStore(
        v128.load(s),
        v128.load(s + rowS),
        v128.load(s + 2 * rowS),
        v128.load(s + 3 * rowS),
        dst + ((<usize>b + <usize>a * <usize>da) << 2),
        rowD,
      );
    }
    tileOf<u32>(src, dst, a, a1, b, b + 4, sb, da);
  }
  tileOf<u32>(src, dst, a0, a1, b, b1, sb, da);
}

/** Side of the square tiles of the transpose (in elements): 32×32 of 4 bytes is 4 KiB per side. */
const TILE: i32 = 32;

/** One (A × B) plane of a transpose, in TILE × TILE blocks so both sides stay in cache. */
function transposePlane(src: usize, dst: usize, A: i32, B: i32, sb: i32, da: i32, eb: i32): void {
  for (let b0 = 0; b0 < B; b0 += TILE) {
    const b1 = min(b0 + TILE, B);
    for (let a0 = 0; a0 < A; a0 += TILE) {
      const a1 = min(a0 + TILE, A);
      if (eb == 4) tile4(src, dst, a0, a1, b0, b1, sb, da);
      else if (eb == 1) tileOf<u8>(src, dst, a0, a1, b0, b1, sb, da);
      else tileOf<u64>(src, dst, a0, a1, b0, b1, sb, da);
    }
  }
}

/**
 * A transpose that moves the contiguous axis: every plane maps src[a + b·sb] to
 * dst[b + a·da], where A is the input's contiguous dimension and B the output's. The record
 * at `desc` holds A, B, sb, da, then the `outer` other dimensions as in copyStrided
 * (shape, srcStrides, dstStrides, counter).
 */
export function transposeTiled(src: usize, dst: usize, desc: usize, outer: i32, eb: i32): void {
  const A = field(desc, 0);
  const B = field(desc, 1);
  const sb = field(desc, 2);
  const da = field(desc, 3);
  const dims = desc + 16;
  const counter = dims + ((<usize>(3 * outer)) << 2);
  for (let d = 0; d < outer; d++) store<i32>(counter + ((<usize>d) << 2), 0);
  while (true) {
    transposePlane(src, dst, A, B, sb, da, eb);
    let d = outer - 1;
    for (; d >= 0; d--) {
      const at = counter + ((<usize>d) << 2);
      const k = load<i32>(at) + 1;
      const sStep = bytesOf(field(dims, outer + d), eb);
      const dStep = bytesOf(field(dims, 2 * outer + d), eb);
      if (k < field(dims, d)) {
        store<i32>(at, k);
        src += sStep;
        dst += dStep;
        break;
      }
      store<i32>(at, 0);
      src -= sStep * <usize>(k - 1);
      dst -= dStep * <usize>(k - 1);
    }
    if (d < 0) return;
  }
}

/** Fills n elements of `eb` bytes with the bit pattern (hi:lo) (its low eb bytes). */
export function fillElements(dst: usize, n: i32, eb: i32, lo: i32, hi: i32): void {
  if (eb == 1) {
    memory.fill(dst, <u8>lo, <usize>n);
    return;
  }
  const v = eb == 4 ? i32x4.splat(lo) : i64x2.splat(((<i64>hi) << 32) | ((<i64>lo) & 0xffffffff));
  const bytes = <usize>n * <usize>eb;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v);
  if (o < bytes) {
    if (eb == 4) for (; o < bytes; o += 4) store<i32>(dst + o, lo);
    else store<i64>(dst + o, i64x2.extract_lane(v, 0));
  }
}
