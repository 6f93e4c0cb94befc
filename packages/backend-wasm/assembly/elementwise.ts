/**
 * Elementwise float32 kernels, four lanes at a time. The op is a run-time code; the
 * switch costs one well-predicted branch per four elements, far below the memory
 * traffic these loops are bound by. Tails reuse the vector op on a splatted scalar,
 * so both paths share one definition (and one rounding behavior).
 */

export const U_NEG: i32 = 0;
export const U_ABS: i32 = 1;
export const U_SQRT: i32 = 2;
export const U_RSQRT: i32 = 3;
export const U_RELU: i32 = 4;
export const U_RELU6: i32 = 5;
export const U_SQUARE: i32 = 6;
export const U_RECIPROCAL: i32 = 7;
export const U_LEAKY_RELU: i32 = 8;
export const U_CLIP: i32 = 9;

function unaryOp(op: i32, v: v128, p0: v128, p1: v128): v128 {
  switch (op) {
    case U_NEG:
      return f32x4.neg(v);
    case U_ABS:
      return f32x4.abs(v);
    case U_SQRT:
      return f32x4.sqrt(v);
    case U_RSQRT:
      return f32x4.div(f32x4.splat(1), f32x4.sqrt(v));
    case U_RELU:
      // max(NaN, 0) is NaN and max(-0, 0) is +0, as the CPU kernel.
      return f32x4.max(v, f32x4.splat(0));
    case U_RELU6:
      return f32x4.min(f32x4.max(v, f32x4.splat(0)), f32x4.splat(6));
    case U_SQUARE:
      return f32x4.mul(v, v);
    case U_RECIPROCAL:
      return f32x4.div(f32x4.splat(1), v);
    case U_LEAKY_RELU:
      return v128.bitselect(f32x4.mul(v, p0), v, f32x4.lt(v, f32x4.splat(0)));
    case U_CLIP: {
      // v < lo ? lo : v > hi ? hi : v (NaN stays NaN).
      const lo = v128.bitselect(p0, v, f32x4.lt(v, p0));
      return v128.bitselect(p1, lo, f32x4.gt(v, p1));
    }
    default:
      return v;
  }
}

/** out[i] = f(x[i]) for i < n; `p0`, `p1` are the op's parameters (alpha, bounds). */
export function unary(op: i32, x: usize, out: usize, n: i32, p0: f32, p1: f32): void {
  const q0 = f32x4.splat(p0);
  const q1 = f32x4.splat(p1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, unaryOp(op, v128.load(x + o), q0, q1));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, f32x4.extract_lane(unaryOp(op, f32x4.splat(load<f32>(x + o)), q0, q1), 0));
  }
}

export const B_ADD: i32 = 0;
export const B_SUB: i32 = 1;
export const B_MUL: i32 = 2;
export const B_DIV: i32 = 3;
export const B_MAX: i32 = 4;
export const B_MIN: i32 = 5;
export const B_SQDIFF: i32 = 6;
export const B_RELU_GRAD: i32 = 7;
export const B_TANH_GRAD: i32 = 8;
export const B_SIGMOID_GRAD: i32 = 9;

function binaryOp(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD:
      return f32x4.add(a, b);
    case B_SUB:
      return f32x4.sub(a, b);
    case B_MUL:
      return f32x4.mul(a, b);
    case B_DIV:
      return f32x4.div(a, b);
    case B_MAX:
      return f32x4.max(a, b);
    case B_MIN:
      return f32x4.min(a, b);
    case B_SQDIFF: {
      const d = f32x4.sub(a, b);
      return f32x4.mul(d, d);
    }
    case B_RELU_GRAD:
      // a (dy) where b (x) > 0, else +0: the mask of the comparison selects the bits.
      return v128.and(a, f32x4.gt(b, f32x4.splat(0)));
    case B_TANH_GRAD:
      // a (dy) · (1 − b²), b = tanh's output; rounded as the composition rounds it.
      return f32x4.mul(a, f32x4.sub(f32x4.splat(1), f32x4.mul(b, b)));
    case B_SIGMOID_GRAD:
      // a (dy) · (b · (1 − b)), b = sigmoid's output.
      return f32x4.mul(a, f32x4.mul(b, f32x4.sub(f32x4.splat(1), b)));
    default:
      return a;
  }
}

/**
 * out[i] = a[i·aStep] ∘ b[i·bStep] for i < n, steps 0 (a broadcast scalar) or 1:
 * one row of a broadcasting binary op.
 */
export function binary(
  op: i32,
  a: usize,
  aStep: i32,
  b: usize,
  bStep: i32,
  out: usize,
  n: i32,
): void {
  let i = 0;
  if (aStep != 0 && bStep != 0) {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, binaryOp(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (aStep != 0) {
    const bv = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, binaryOp(op, v128.load(a + o), bv));
    }
  } else if (bStep != 0) {
    const av = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, binaryOp(op, av, v128.load(b + o)));
    }
  } else {
    const v = binaryOp(op, v128.load32_splat(a), v128.load32_splat(b));
    for (; i + 4 <= n; i += 4) v128.store(out + ((<usize>i) << 2), v);
  }
  for (; i < n; i++) {
    const av = f32x4.splat(load<f32>(a + ((<usize>(i * aStep)) << 2)));
    const bv = f32x4.splat(load<f32>(b + ((<usize>(i * bStep)) << 2)));
    store<f32>(out + ((<usize>i) << 2), f32x4.extract_lane(binaryOp(op, av, bv), 0));
  }
}

/** AddN's loop (a static `@inline` method: Prettier parses the decorator there). */
class Sum {
  /** out = a + b (+ c (+ d)), left to right, for a constant `count` ∈ {2, 3, 4}. */
  @inline static loop(
    count: i32,
    a: usize,
    b: usize,
    c: usize,
    d: usize,
    out: usize,
    n: i32,
  ): void {
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      let v = f32x4.add(v128.load(a + o), v128.load(b + o));
      if (count > 2) v = f32x4.add(v, v128.load(c + o));
      if (count > 3) v = f32x4.add(v, v128.load(d + o));
      v128.store(out + o, v);
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      let v = load<f32>(a + o) + load<f32>(b + o);
      if (count > 2) v += load<f32>(c + o);
      if (count > 3) v += load<f32>(d + o);
      store<f32>(out + o, v);
    }
  }
}

/**
 * out = a + b (+ c (+ d)) over n float32 elements, for the first `count` ∈ {2, 3, 4} inputs,
 * summed left to right as pairwise adds would: one pass that reads each input once (AddN of
 * more inputs continues from out, three at a time).
 */
export function sumMany(
  count: i32,
  a: usize,
  b: usize,
  c: usize,
  d: usize,
  out: usize,
  n: i32,
): void {
  if (count == 2) Sum.loop(2, a, b, c, d, out, n);
  else if (count == 3) Sum.loop(3, a, b, c, d, out, n);
  else Sum.loop(4, a, b, c, d, out, n);
}

/**
 * `rows` rows of n elements of a broadcasting binary op: row r of the output (at r·n) is
 * `binary` of a's row at r·aRow and b's row at r·bRow (element offsets; steps 0 or 1 along
 * the row). One call covers [R, n] with [n], [R, 1] or [R, n] operands (a bias add).
 */
export function binaryRows(
  op: i32,
  a: usize,
  aRow: i32,
  aStep: i32,
  b: usize,
  bRow: i32,
  bStep: i32,
  out: usize,
  rows: i32,
  n: i32,
): void {
  for (let r = 0; r < rows; r++) {
    binary(
      op,
      a + ((<usize>(r * aRow)) << 2),
      aStep,
      b + ((<usize>(r * bRow)) << 2),
      bStep,
      out + ((<usize>(r * n)) << 2),
      n,
    );
  }
}

/** Four int32 lanes of an op with the same codes as `binary` (wrapping, as an Int32Array store of the exact result). */
function binaryIntOp(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD:
      return i32x4.add(a, b);
    case B_SUB:
      return i32x4.sub(a, b);
    case B_MUL:
      return i32x4.mul(a, b);
    case B_MAX:
      return i32x4.max_s(a, b);
    default:
      return i32x4.min_s(a, b);
  }
}

/** int32 form of `binary` for Add, Sub, Mul, Maximum and Minimum. */
export function binaryInt(
  op: i32,
  a: usize,
  aStep: i32,
  b: usize,
  bStep: i32,
  out: usize,
  n: i32,
): void {
  const av = v128.load32_splat(a);
  const bv = v128.load32_splat(b);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const x = aStep != 0 ? v128.load(a + o) : av;
    const y = bStep != 0 ? v128.load(b + o) : bv;
    v128.store(out + o, binaryIntOp(op, x, y));
  }
  for (; i < n; i++) {
    const x = v128.load32_splat(a + ((<usize>(i * aStep)) << 2));
    const y = v128.load32_splat(b + ((<usize>(i * bStep)) << 2));
    store<i32>(out + ((<usize>i) << 2), i32x4.extract_lane(binaryIntOp(op, x, y), 0));
  }
}

function unaryIntOp(op: i32, v: v128): v128 {
  switch (op) {
    case U_NEG:
      return i32x4.neg(v);
    case U_ABS:
      return i32x4.abs(v);
    case U_RELU:
      return i32x4.max_s(v, i32x4.splat(0));
    case U_RELU6:
      return i32x4.min_s(i32x4.max_s(v, i32x4.splat(0)), i32x4.splat(6));
    default:
      return i32x4.mul(v, v);
  }
}

/** int32 form of `unary` for Neg, Abs, Relu, Relu6 and Square (wrapping: |-2^31| is -2^31, as an Int32Array store). */
export function unaryInt(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, unaryIntOp(op, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<i32>(out + o, i32x4.extract_lane(unaryIntOp(op, v128.load32_splat(x + o)), 0));
  }
}
