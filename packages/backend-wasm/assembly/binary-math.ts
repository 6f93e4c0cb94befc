/**
 * Pow, Atan2, Mod, FloorDiv and Prelu with broadcast rows, for float32 and int32. Every
 * value is computed in double and stored with a typed-array conversion, as the CPU
 * kernels do (int32 division by zero gives 0); Prelu and float32 FloorDiv run four lanes
 * at a time, the libm functions one element at a time.
 */
import { Elements, K_F32 } from './compare';

export const M_POW: i32 = 0;
export const M_ATAN2: i32 = 1;
export const M_MOD: i32 = 2;
export const M_FLOOR_DIV: i32 = 3;
export const M_PRELU: i32 = 4;

/**
 * a^e for an integer e by repeated squaring in double: exact while the powers stay below
 * 2^53, as Math.pow's result on int32 operands (beyond that an int32 result wraps a rounded
 * value anyway).
 */
function intPow(a: f64, e: i32): f64 {
  let n = e < 0 ? -(<i64>e) : <i64>e;
  let result: f64 = 1;
  let power = a;
  while (n != 0) {
    if (n & 1) result *= power;
    power *= power;
    n >>= 1;
  }
  return e < 0 ? 1 / result : result;
}

/**
 * JavaScript's Math.pow of two float32 or two int32 values: unlike C's pow, 1^NaN and
 * (±1)^±∞ are NaN. float32 runs libm's powf (within 1 ulp of Math.pow's double rounded to
 * float32; libm's double pow would add ~7 kB of tables to the module), int32 `intPow`.
 */
function jsPow(kind: i32, a: f64, b: f64): f64 {
  if (isNaN(b) || (Math.abs(a) == 1 && !isFinite(b))) return NaN;
  return kind == K_F32 ? <f64>Mathf.pow(<f32>a, <f32>b) : intPow(a, <i32>b);
}

/** Remainder with the sign of the divisor (tfjs, Python): mod(-7, 3) = 2. */
function floorMod(a: f64, b: f64): f64 {
  const r = a % b;
  return (a < 0 && b < 0) || (a >= 0 && b >= 0) ? r : (r + b) % b;
}

function scalarOp(op: i32, kind: i32, a: f64, b: f64): f64 {
  switch (op) {
    case M_POW:
      return jsPow(kind, a, b);
    case M_ATAN2:
      return Math.atan2(a, b);
    case M_MOD:
      return floorMod(a, b);
    case M_FLOOR_DIV:
      return Math.floor(a / b);
    default:
      return a < 0 ? b * a : a;
  }
}

/** Four float32 lanes of Prelu or FloorDiv (the latter divided in double, as the CPU kernel). */
function vector4(op: i32, a: v128, b: v128): v128 {
  if (op == M_PRELU) return v128.bitselect(f32x4.mul(a, b), a, f32x4.lt(a, f32x4.splat(0)));
  const hiA = v128.shuffle<f32>(a, a, 2, 3, 2, 3);
  const hiB = v128.shuffle<f32>(b, b, 2, 3, 2, 3);
  const lo = f64x2.floor(f64x2.div(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)));
  const hi = f64x2.floor(f64x2.div(f64x2.promote_low_f32x4(hiA), f64x2.promote_low_f32x4(hiB)));
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/**
 * out[i] = a[i·aStep] op b[i·bStep] for i < n elements of `kind` (float32 or int32), steps
 * 0 (a broadcast scalar) or 1: one row of a broadcasting op.
 */
export function binaryMath(
  op: i32,
  kind: i32,
  a: usize,
  aStep: i32,
  b: usize,
  bStep: i32,
  out: usize,
  n: i32,
): void {
  let i = 0;
  if (kind == K_F32 && (op == M_PRELU || op == M_FLOOR_DIV)) {
    const av = v128.load32_splat(a);
    const bv = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const x = aStep != 0 ? v128.load(a + o) : av;
      const y = bStep != 0 ? v128.load(b + o) : bv;
      v128.store(out + o, vector4(op, x, y));
    }
  }
  for (; i < n; i++)
    Elements.write(
      kind,
      out,
      i,
      scalarOp(op, kind, Elements.read(kind, a, i * aStep), Elements.read(kind, b, i * bStep)),
    );
}
