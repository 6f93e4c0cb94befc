/**
 * Reductions over the middle axis of an (outer, r, inner) view. Sums accumulate in
 * float64 (f32x4 lanes promoted to two f64x2), as the CPU backend does, so long sums
 * agree with it to float32 rounding; max/min propagate NaN.
 */

import { Double2 } from './transcendental';

export const R_SUM: i32 = 0;
export const R_MAX: i32 = 1;
export const R_MIN: i32 = 2;

function hiHalf(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}

/** Sum of n contiguous floats, in float64. */
function sumRow(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + ((<usize>i) << 2));
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(hiHalf(v)));
  }
  const s = f64x2.add(s0, s1);
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) total += <f64>load<f32>(x + ((<usize>i) << 2));
  return total;
}

/** Max (or min) of n > 0 contiguous floats; NaN if any is NaN. */
function extremeRow(x: usize, n: i32, isMax: bool): f32 {
  let i = 0;
  let m = v128.load32_splat(x);
  if (isMax) {
    for (; i + 4 <= n; i += 4) m = f32x4.max(m, v128.load(x + ((<usize>i) << 2)));
    m = f32x4.max(m, hiHalf(m));
    m = f32x4.max(m, v128.shuffle<f32>(m, m, 1, 1, 1, 1));
  } else {
    for (; i + 4 <= n; i += 4) m = f32x4.min(m, v128.load(x + ((<usize>i) << 2)));
    m = f32x4.min(m, hiHalf(m));
    m = f32x4.min(m, v128.shuffle<f32>(m, m, 1, 1, 1, 1));
  }
  let r = f32x4.extract_lane(m, 0);
  for (; i < n; i++) {
    const v = load<f32>(x + ((<usize>i) << 2));
    r = isMax ? (v > r || v != v ? v : r) : v < r || v != v ? v : r;
  }
  return r;
}

/**
 * out[o·inner + i] = reduce_k x[(o·r + k)·inner + i]. `scratch` holds `inner` float64
 * (sums over inner > 1).
 */
export function reduce(
  op: i32,
  x: usize,
  out: usize,
  outer: i32,
  r: i32,
  inner: i32,
  scratch: usize,
): void {
  const init: f32 = op == R_SUM ? 0 : op == R_MAX ? -Infinity : Infinity;
  if (r == 0) {
    for (let i = 0; i < outer * inner; i++) store<f32>(out + ((<usize>i) << 2), init);
    return;
  }
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const row = x + ((<usize>(o * r)) << 2);
      const v: f32 = op == R_SUM ? <f32>sumRow(row, r) : extremeRow(row, r, op == R_MAX);
      store<f32>(out + ((<usize>o) << 2), v);
    }
    return;
  }
  const rowBytes = (<usize>inner) << 2;
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>(o * r) * rowBytes;
    const dst = out + <usize>o * rowBytes;
    if (op == R_SUM) {
      memory.fill(scratch, 0, (<usize>inner) << 3);
      for (let k = 0; k < r; k++) {
        const row = src + <usize>k * rowBytes;
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const v = v128.load(row + ((<usize>i) << 2));
          const s = scratch + ((<usize>i) << 3);
          v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(v)));
          v128.store(s, f64x2.add(v128.load(s, 16), f64x2.promote_low_f32x4(hiHalf(v))), 16);
        }
        for (; i < inner; i++) {
          const s = scratch + ((<usize>i) << 3);
          store<f64>(s, load<f64>(s) + <f64>load<f32>(row + ((<usize>i) << 2)));
        }
      }
      for (let i = 0; i < inner; i++)
        store<f32>(dst + ((<usize>i) << 2), <f32>load<f64>(scratch + ((<usize>i) << 3)));
    } else {
      memory.copy(dst, src, rowBytes);
      for (let k = 1; k < r; k++) {
        const row = src + <usize>k * rowBytes;
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const o4 = (<usize>i) << 2;
          const cur = v128.load(dst + o4);
          const v = v128.load(row + o4);
          v128.store(dst + o4, op == R_MAX ? f32x4.max(cur, v) : f32x4.min(cur, v));
        }
        for (; i < inner; i++) {
          const p = (<usize>i) << 2;
          const v = load<f32>(row + p);
          const cur = load<f32>(dst + p);
          const keepV = op == R_MAX ? v > cur || v != v : v < cur || v != v;
          if (keepV) store<f32>(dst + p, v);
        }
      }
    }
  }
}

/** Softmax's row shift and exponentials (static `@inline` methods: inlined into the loops of `softmaxRows` and `softmaxCrossEntropyRows`). */
class Softmax {
  /**
   * e^(x[k] − shift) in double for the two floats at `x` (only the first when `!pair`; the
   * second lane is then 0). −∞ gives 0, as Math.exp (Double2.exp clamps its input at −120).
   */
  @inline static exp2(x: usize, shift: f64, pair: bool): v128 {
    const v = f64x2.promote_low_f32x4(pair ? v128.load64_zero(x) : v128.load32_zero(x));
    const d = f64x2.sub(v, f64x2.splat(shift));
    const e = v128.bitselect(f64x2.splat(0), Double2.exp(d), f64x2.eq(d, f64x2.splat(-Infinity)));
    return pair ? e : f64x2.replace_lane(e, 1, 0);
  }

  /** The shift of a row of n > 0 floats: its max, or 0 when every element is −∞. */
  @inline static shift(x: usize, n: i32): f64 {
    const maxv = <f64>extremeRow(x, n, true);
    return maxv == -Infinity ? 0 : maxv;
  }

  /** Σ e^(x[k] − shift) over a row of n floats, in double. */
  @inline static total(x: usize, n: i32, shift: f64): f64 {
    let sums = f64x2.splat(0);
    for (let k = 0; k < n; k += 2) {
      sums = f64x2.add(sums, Softmax.exp2(x + ((<usize>k) << 2), shift, k + 2 <= n));
    }
    return f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
  }
}

/**
 * Softmax (or log-softmax) of `rows` contiguous rows of length n: subtracts the row's
 * max, exponentiates in float64 two elements at a time (`Double2.exp`, 3.6e-9 relative:
 * a sixteenth of float32's rounding) and normalizes.
 */
export function softmaxRows(x: usize, out: usize, rows: i32, n: i32, log: bool): void {
  for (let o = 0; o < rows; o++) {
    const src = x + ((<usize>(o * n)) << 2);
    const dst = out + ((<usize>(o * n)) << 2);
    if (n == 0) continue;
    const maxv = Softmax.shift(src, n);
    const total = Softmax.total(src, n, maxv);
    if (log) {
      const logTotal = f64x2.extract_lane(Double2.log(f64x2.splat(total)), 0);
      for (let k = 0; k < n; k++) {
        const p = (<usize>k) << 2;
        store<f32>(dst + p, <f32>(<f64>load<f32>(src + p) - maxv - logTotal));
      }
    } else {
      const scale = f64x2.splat(1 / total);
      for (let k = 0; k < n; k += 2) {
        const p = (<usize>k) << 2;
        const y = f32x4.demote_f64x2_zero(
          f64x2.mul(Softmax.exp2(src + p, maxv, k + 2 <= n), scale),
        );
        if (k + 2 <= n) v128.store64_lane(dst + p, y, 0);
        else v128.store32_lane(dst + p, y, 0);
      }
    }
  }
}

/**
 * Softmax cross-entropy along `rows` contiguous rows of n > 0 logits x against labels
 * (SoftmaxCrossEntropyWithLogits): out[o] = Σ_k labels_k·(max + log Σ e^(x−max) − x_k); or,
 * with `grad`, its logits gradient (SoftmaxCrossEntropyGrad):
 * out[o, k] = dy[o]·(e^(x_k−max) / Σ · Σ labels − labels_k). Exponentials and sums in float64,
 * as softmaxRows.
 */
export function softmaxCrossEntropyRows(
  labels: usize,
  x: usize,
  dy: usize,
  out: usize,
  rows: i32,
  n: i32,
  grad: bool,
): void {
  for (let o = 0; o < rows; o++) {
    const offset = (<usize>(o * n)) << 2;
    const src = x + offset;
    const lab = labels + offset;
    const maxv = Softmax.shift(src, n);
    const total = Softmax.total(src, n, maxv);
    if (!grad) {
      const lse = maxv + f64x2.extract_lane(Double2.log(f64x2.splat(total)), 0);
      let loss: f64 = 0;
      for (let k = 0; k < n; k++) {
        const p = (<usize>k) << 2;
        loss += <f64>load<f32>(lab + p) * (lse - <f64>load<f32>(src + p));
      }
      store<f32>(out + ((<usize>o) << 2), <f32>loss);
      continue;
    }
    let labelSum: f64 = 0;
    for (let k = 0; k < n; k++) labelSum += <f64>load<f32>(lab + ((<usize>k) << 2));
    const g = <f64>load<f32>(dy + ((<usize>o) << 2));
    const scale = f64x2.splat((g * labelSum) / total);
    const gv = f64x2.splat(g);
    const dst = out + offset;
    for (let k = 0; k < n; k += 2) {
      const p = (<usize>k) << 2;
      const pair = k + 2 <= n;
      const l = f64x2.promote_low_f32x4(
        pair ? v128.load64_zero(lab + p) : v128.load32_zero(lab + p),
      );
      const e = Softmax.exp2(src + p, maxv, pair);
      const y = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.mul(e, scale), f64x2.mul(gv, l)));
      if (pair) v128.store64_lane(dst + p, y, 0);
      else v128.store32_lane(dst + p, y, 0);
    }
  }
}
