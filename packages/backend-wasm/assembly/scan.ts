/**
 * Reductions and scans along the middle axis of an (outer, r, inner) view, for any element
 * kind: values are read as doubles and accumulated in `inner` float64 slots of a scratch
 * buffer (one pass over the input, row by row), then stored with a typed-array conversion:
 * the CPU kernels' arithmetic exactly (a JavaScript number accumulator).
 */
import { Elements } from './compare';

export const A_SUM: i32 = 0;
export const A_PROD: i32 = 1;
export const A_MAX: i32 = 2;
export const A_MIN: i32 = 3;
export const A_ALL: i32 = 4;
export const A_ANY: i32 = 5;

function initial(op: i32): f64 {
  switch (op) {
    case A_PROD:
    case A_ALL:
      return 1;
    case A_MAX:
      return -Infinity;
    case A_MIN:
      return Infinity;
    default:
      return 0;
  }
}

/** The accumulation step of each reduction (a static `@inline` method: no call per element). */
class Reduction {
  /** Max/Min propagate NaN (once NaN, always NaN); All/Any treat NaN as true (non-zero). */
  @inline static combine(op: i32, acc: f64, v: f64): f64 {
    switch (op) {
      case A_SUM:
        return acc + v;
      case A_PROD:
        return acc * v;
      case A_MAX:
        return v > acc || v != v ? v : acc;
      case A_MIN:
        return v < acc || v != v ? v : acc;
      case A_ALL:
        return acc != 0 && v != 0 ? 1 : 0;
      default:
        return acc != 0 || v != 0 ? 1 : 0;
    }
  }
}

function slot(acc: usize, i: i32): usize {
  return acc + ((<usize>i) << 3);
}

/**
 * out[o·inner + i] = reduce_k x[(o·r + k)·inner + i] (kinds of assembly/compare.ts for the
 * input and the output); `acc` holds `inner` doubles.
 */
export function reduceAxis(
  op: i32,
  kind: i32,
  outKind: i32,
  x: usize,
  out: usize,
  outer: i32,
  r: i32,
  inner: i32,
  acc: usize,
): void {
  const init = initial(op);
  if (inner == 1) {
    // Rows: the accumulator stays in a local.
    for (let o = 0; o < outer; o++) {
      let a = init;
      for (let k = 0; k < r; k++) a = Reduction.combine(op, a, Elements.read(kind, x, o * r + k));
      Elements.write(outKind, out, o, a);
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) store<f64>(slot(acc, i), init);
    for (let k = 0; k < r; k++) {
      const base = (o * r + k) * inner;
      for (let i = 0; i < inner; i++) {
        const p = slot(acc, i);
        store<f64>(p, Reduction.combine(op, load<f64>(p), Elements.read(kind, x, base + i)));
      }
    }
    for (let i = 0; i < inner; i++)
      Elements.write(outKind, out, o * inner + i, load<f64>(slot(acc, i)));
  }
}

/**
 * out[o·inner + i] = index k of the first maximum (or minimum) of x[(o·r + k)·inner + i]
 * over k < r (r > 0; int32 output); the first NaN counts as the extreme. `best` holds
 * `inner` doubles.
 */
export function argReduce(
  isMax: bool,
  kind: i32,
  x: usize,
  out: usize,
  outer: i32,
  r: i32,
  inner: i32,
  best: usize,
): void {
  if (inner == 1) {
    // Rows: the best value stays in a local, and the first NaN ends the row.
    for (let o = 0; o < outer; o++) {
      let b = Elements.read(kind, x, o * r);
      let arg = 0;
      for (let k = 1; k < r && b == b; k++) {
        const v = Elements.read(kind, x, o * r + k);
        if (v != v || (isMax ? v > b : v < b)) {
          b = v;
          arg = k;
        }
      }
      store<i32>(out + ((<usize>o) << 2), arg);
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const arg = out + ((<usize>(o * inner)) << 2);
    for (let i = 0; i < inner; i++) {
      store<f64>(slot(best, i), Elements.read(kind, x, o * r * inner + i));
      store<i32>(arg + ((<usize>i) << 2), 0);
    }
    for (let k = 1; k < r; k++) {
      const base = (o * r + k) * inner;
      for (let i = 0; i < inner; i++) {
        const p = slot(best, i);
        const b = load<f64>(p);
        if (b != b) continue;
        const v = Elements.read(kind, x, base + i);
        if (v != v || (isMax ? v > b : v < b)) {
          store<f64>(p, v);
          store<i32>(arg + ((<usize>i) << 2), k);
        }
      }
    }
  }
}

/**
 * Cumulative sum (or product) along the middle axis of an (outer, n, inner) view;
 * `exclusive` shifts by one (starting at the identity), `reverse` runs from the end.
 * `acc` holds `inner` doubles.
 */
export function scan(
  isProd: bool,
  kind: i32,
  x: usize,
  out: usize,
  outer: i32,
  n: i32,
  inner: i32,
  exclusive: bool,
  reverse: bool,
  acc: usize,
): void {
  const identity: f64 = isProd ? 1 : 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) store<f64>(slot(acc, i), identity);
    for (let t = 0; t < n; t++) {
      const base = (o * n + (reverse ? n - 1 - t : t)) * inner;
      for (let i = 0; i < inner; i++) {
        const p = slot(acc, i);
        const a = load<f64>(p);
        const v = Elements.read(kind, x, base + i);
        const next = isProd ? a * v : a + v;
        Elements.write(kind, out, base + i, exclusive ? a : next);
        store<f64>(p, next);
      }
    }
  }
}
