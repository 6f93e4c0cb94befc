/**
 * Comparisons, logical ops, predicates, select (Where) and dtype casts. Operands are
 * float32, int32 or bool (one byte, 0/1); comparisons run four lanes at a time as f32x4
 * or i32x4 (bools widened to i32x4), and their masks narrow to four output bytes.
 */

/** Element kinds (dtypes) of the operands. */
export const K_F32: i32 = 0;
export const K_I32: i32 = 1;
export const K_BOOL: i32 = 2;
export const K_F64: i32 = 3;

export const C_EQUAL: i32 = 0;
export const C_NOT_EQUAL: i32 = 1;
export const C_GREATER: i32 = 2;
export const C_GREATER_EQUAL: i32 = 3;
export const C_LESS: i32 = 4;
export const C_LESS_EQUAL: i32 = 5;
export const C_AND: i32 = 6;
export const C_OR: i32 = 7;

/** log2 of the bytes of one element of a 4-lane kind (bool: 1 byte). */
function shiftOf(kind: i32): usize {
  return kind == K_BOOL ? 0 : 2;
}

/** Four consecutive elements as f32x4 (float32) or i32x4 (int32, bool). */
function load4(kind: i32, p: usize): v128 {
  if (kind == K_BOOL)
    return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p)));
  return v128.load(p);
}

/** One element in every lane. */
function load1(kind: i32, p: usize): v128 {
  return kind == K_BOOL ? i32x4.splat(<i32>load<u8>(p)) : v128.load32_splat(p);
}

/** Lanes that are truthy: non-zero, and for floats not NaN (as JavaScript's `a && b`). */
function truthy(kind: i32, v: v128): v128 {
  if (kind == K_F32) return v128.and(f32x4.ne(v, f32x4.splat(0)), f32x4.eq(v, v));
  return i32x4.ne(v, i32x4.splat(0));
}

/** All-ones lanes where `a op b` holds; NaN compares false except for NotEqual. */
function mask(op: i32, kind: i32, a: v128, b: v128): v128 {
  if (op == C_AND) return v128.and(truthy(kind, a), truthy(kind, b));
  if (op == C_OR) return v128.or(truthy(kind, a), truthy(kind, b));
  if (kind == K_F32) {
    switch (op) {
      case C_EQUAL:
        return f32x4.eq(a, b);
      case C_NOT_EQUAL:
        return f32x4.ne(a, b);
      case C_GREATER:
        return f32x4.gt(a, b);
      case C_GREATER_EQUAL:
        return f32x4.ge(a, b);
      case C_LESS:
        return f32x4.lt(a, b);
      default:
        return f32x4.le(a, b);
    }
  }
  switch (op) {
    case C_EQUAL:
      return i32x4.eq(a, b);
    case C_NOT_EQUAL:
      return i32x4.ne(a, b);
    case C_GREATER:
      return i32x4.gt_s(a, b);
    case C_GREATER_EQUAL:
      return i32x4.ge_s(a, b);
    case C_LESS:
      return i32x4.lt_s(a, b);
    default:
      return i32x4.le_s(a, b);
  }
}

/** A 4-lane mask as four bytes 0/1 (little-endian in one i32). */
function maskBytes(m: v128): i32 {
  const halves = i16x8.narrow_i32x4_s(m, m);
  const bytes = i8x16.narrow_i16x8_s(halves, halves);
  return i32x4.extract_lane(v128.and(bytes, i8x16.splat(1)), 0);
}

/**
 * out[i] = a[i·aStep] op b[i·bStep] ? 1 : 0 for i < n (bool output), steps 0 (a broadcast
 * scalar) or 1: one row of a broadcasting comparison.
 */
export function compare(
  op: i32,
  kind: i32,
  a: usize,
  aStep: i32,
  b: usize,
  bStep: i32,
  out: usize,
  n: i32,
): void {
  const sh = shiftOf(kind);
  const av = load1(kind, a);
  const bv = load1(kind, b);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << sh;
    const x = aStep != 0 ? load4(kind, a + o) : av;
    const y = bStep != 0 ? load4(kind, b + o) : bv;
    store<i32>(out + <usize>i, maskBytes(mask(op, kind, x, y)));
  }
  for (; i < n; i++) {
    const x = load1(kind, a + ((<usize>(i * aStep)) << sh));
    const y = load1(kind, b + ((<usize>(i * bStep)) << sh));
    store<u8>(out + <usize>i, <u8>(maskBytes(mask(op, kind, x, y)) & 1));
  }
}

export const P_IS_NAN: i32 = 0;
export const P_IS_INF: i32 = 1;
export const P_NOT: i32 = 2;

function predicate4(op: i32, kind: i32, v: v128): v128 {
  if (op == P_NOT) return v128.not(truthy(kind, v));
  if (op == P_IS_NAN) return f32x4.ne(v, v);
  return f32x4.eq(f32x4.abs(v), f32x4.splat(Infinity));
}

/** out[i] = p(x[i]) ? 1 : 0 (bool output): IsNaN and IsInf of float32, LogicalNot of any 4-lane kind. */
export function predicate(op: i32, kind: i32, x: usize, out: usize, n: i32): void {
  const sh = shiftOf(kind);
  let i = 0;
  for (; i + 4 <= n; i += 4)
    store<i32>(
      out + <usize>i,
      maskBytes(predicate4(op, kind, load4(kind, x + ((<usize>i) << sh)))),
    );
  for (; i < n; i++) {
    const m = predicate4(op, kind, load1(kind, x + ((<usize>i) << sh)));
    store<u8>(out + <usize>i, <u8>(maskBytes(m) & 1));
  }
}

/** dst[i] = src[i·step] for i < n elements of `eb` bytes (step 0 or 1): one row of a broadcast copy. */
export function broadcastRow(src: usize, step: i32, dst: usize, n: i32, eb: i32): void {
  const bytes = <usize>n * <usize>eb;
  if (step != 0) {
    memory.copy(dst, src, bytes);
  } else if (eb == 1) {
    memory.fill(dst, load<u8>(src), bytes);
  } else {
    const v = eb == 4 ? v128.load32_splat(src) : v128.load64_splat(src);
    let p: usize = 0;
    for (; p + 16 <= bytes; p += 16) v128.store(dst + p, v);
    for (; p < bytes; p += <usize>eb) {
      if (eb == 4) store<u32>(dst + p, load<u32>(src));
      else store<u64>(dst + p, load<u64>(src));
    }
  }
}

/**
 * dst[i] = cond[i·cStep] ? dst[i] : b[i·bStep] for i < n elements of `eb` bytes (cond is
 * bool, steps 0 or 1): the second pass of Where, after dst holds the broadcast `a`.
 */
export function selectRow(
  cond: usize,
  cStep: i32,
  b: usize,
  bStep: i32,
  dst: usize,
  n: i32,
  eb: i32,
): void {
  let i = 0;
  if (eb == 4) {
    const keepAll = i32x4.splat(load<u8>(cond) != 0 ? -1 : 0);
    const bv = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const keep = cStep != 0 ? i32x4.ne(load4(K_BOOL, cond + <usize>i), i32x4.splat(0)) : keepAll;
      const y = bStep != 0 ? v128.load(b + o) : bv;
      v128.store(dst + o, v128.bitselect(v128.load(dst + o), y, keep));
    }
  }
  for (; i < n; i++) {
    if (load<u8>(cond + <usize>(i * cStep)) != 0) continue;
    const o = <usize>i * <usize>eb;
    const src = b + <usize>(i * bStep) * <usize>eb;
    if (eb == 1) store<u8>(dst + o, load<u8>(src));
    else if (eb == 4) store<u32>(dst + o, load<u32>(src));
    else store<u64>(dst + o, load<u64>(src));
  }
}

const TWO32: f64 = 4294967296;

/** JavaScript's ToInt32 (what an Int32Array store does): truncate, wrap modulo 2^32; NaN and ±∞ give 0. */
function toInt32(v: f64): i32 {
  if (!isFinite(v)) return 0;
  const t = Math.trunc(v);
  if (t >= -2147483648 && t < 2147483648) return <i32>t;
  return <i32>(<u32>(t - Math.floor(t / TWO32) * TWO32));
}

/**
 * Elements of any kind read as doubles and stored back with typed-array conversions.
 * Static `@inline` methods, so the per-element switch on the kind is inlined into every
 * loop (a call per element would spill the SIMD registers).
 */
export class Elements {
  /** Element i of a tensor of `kind`, as a double. */
  @inline static read(kind: i32, p: usize, i: i32): f64 {
    switch (kind) {
      case K_F32:
        return <f64>load<f32>(p + ((<usize>i) << 2));
      case K_I32:
        return <f64>load<i32>(p + ((<usize>i) << 2));
      case K_BOOL:
        return <f64>load<u8>(p + <usize>i);
      default:
        return load<f64>(p + ((<usize>i) << 3));
    }
  }

  /** Stores v as element i of a tensor of `kind`, as a typed-array store converts it. */
  @inline static write(kind: i32, p: usize, i: i32, v: f64): void {
    switch (kind) {
      case K_F32:
        store<f32>(p + ((<usize>i) << 2), <f32>v);
        break;
      case K_I32:
        store<i32>(p + ((<usize>i) << 2), toInt32(v));
        break;
      case K_BOOL:
        // NaN is true (non-zero), as the CPU kernel's `x !== 0`.
        store<u8>(p + <usize>i, v != 0 ? 1 : 0);
        break;
      default:
        store<f64>(p + ((<usize>i) << 3), v);
    }
  }
}

/**
 * out[i] = x[i] converted from kind `from` to kind `to`, as a typed-array store does:
 * floats round to nearest, int32 truncates and wraps (NaN, ±∞ give 0), bool is x ≠ 0.
 * float32 ↔ int32 and float32/int32 → bool run four lanes at a time.
 */
export function cast(from: i32, to: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (from == K_I32 && to == K_F32) {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, f32x4.convert_i32x4_s(v128.load(x + o)));
    }
  } else if ((from == K_F32 || from == K_I32) && to == K_BOOL) {
    // x ≠ 0 (NaN included) as four bool bytes.
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + ((<usize>i) << 2));
      const m = from == K_F32 ? f32x4.ne(v, f32x4.splat(0)) : i32x4.ne(v, i32x4.splat(0));
      store<i32>(out + <usize>i, maskBytes(m));
    }
  } else if (from == K_F32 && to == K_I32) {
    // Lanes with |v| < 2^31 truncate exactly; chunks with NaN, ±∞ or larger values go element by element.
    const limit = f32x4.splat(2147483648);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const v = v128.load(x + o);
      if (i32x4.all_true(f32x4.lt(f32x4.abs(v), limit))) {
        v128.store(out + o, i32x4.trunc_sat_f32x4_s(v));
      } else {
        for (let j = i; j < i + 4; j++) Elements.write(K_I32, out, j, Elements.read(K_F32, x, j));
      }
    }
  }
  for (; i < n; i++) Elements.write(to, out, i, Elements.read(from, x, i));
}
