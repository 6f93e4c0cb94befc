/**
 * Transcendental and rounding float32 kernels. The SIMD functions (exp, log, tanh,
 * sigmoid, expm1, log1p, softplus, elu, erf) widen each f32x4 into two f64x2 halves,
 * evaluate in double and round once on the way back: every result is within float32
 * rounding of the exact value (the CPU backend's float32 exp/tanh/sigmoid do the same in
 * double, so the two mostly agree bit for bit), subnormal results and
 * overflow to ±Infinity included, with no special-case branches. The trigonometric and
 * hyperbolic family runs the libm (musl) functions, one element at a time.
 */

export const T_EXP: i32 = 0;
export const T_LOG: i32 = 1;
export const T_TANH: i32 = 2;
export const T_SIGMOID: i32 = 3;
export const T_EXPM1: i32 = 4;
export const T_LOG1P: i32 = 5;
export const T_SOFTPLUS: i32 = 6;
export const T_ELU: i32 = 7;
export const T_ERF: i32 = 8;
export const T_CEIL: i32 = 9;
export const T_FLOOR: i32 = 10;
export const T_ROUND: i32 = 11;
export const T_SIGN: i32 = 12;
export const T_STEP: i32 = 13;
// Scalar (libm) functions, from here on.
export const T_FIRST_SCALAR: i32 = 20;
export const T_SIN: i32 = 20;
export const T_COS: i32 = 21;
export const T_TAN: i32 = 22;
export const T_ASIN: i32 = 23;
export const T_ACOS: i32 = 24;
export const T_ATAN: i32 = 25;
export const T_SINH: i32 = 26;
export const T_COSH: i32 = 27;
export const T_ASINH: i32 = 28;
export const T_ACOSH: i32 = 29;
export const T_ATANH: i32 = 30;

const LOG2E: f64 = 1.4426950408889634;
const LN2: f64 = 0.6931471805599453;
// ln 2 split in a high part with trailing zero bits and the remainder (log's e·ln 2 stays exact).
const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
// (e^r − 1 − r)/r² ≈ P(r) on |r| ≤ ln2/2: weighted least squares on Chebyshev nodes.
const EXP_P0: f64 = 0.4999998859295828;
const EXP_P1: f64 = 0.16666518437203992;
const EXP_P2: f64 = 0.04166953339556251;
const EXP_P3: f64 = 0.008368919081648283;
const EXP_P4: f64 = 0.001375140818043862;
/** 1.5·2^52 + 1023: adding it to an integer-valued double leaves n + 1023 in the low mantissa bits. */
const EXPONENT_SHIFTER: f64 = 6755399441055744.0 + 1023.0;
/**
 * Inputs of exp are clamped to this range: e^-120 and below round to 0 in float32 (and
 * vanish next to 1 in double), e^709 stays finite in double (demoting it gives Infinity).
 */
const EXP_MIN: f64 = -120;
const EXP_MAX: f64 = 709;

function splat(v: f64): v128 {
  return f64x2.splat(v);
}

const SQRT2: f64 = 1.4142135623730951;
const MANTISSA_BITS: i64 = 0x000fffffffffffff;
const ONE_BITS: i64 = 0x3ff0000000000000;
/** Bits of 2^52: OR-ing a small integer k into them gives the double 2^52 + k. */
const TWO52_BITS: i64 = 0x4330000000000000;

/** |x| for two doubles. */
function abs2(x: v128): v128 {
  return f64x2.abs(x);
}

/** Taylor coefficients 1/(k+1)! of (e^x − 1)/x, k = 0…10: truncation below 1e-12 relative for |x| < ln2/2. */
const EXPM1_SERIES: StaticArray<f64> = [
  1,
  1.0 / 2,
  1.0 / 6,
  1.0 / 24,
  1.0 / 120,
  1.0 / 720,
  1.0 / 5040,
  1.0 / 40320,
  1.0 / 362880,
  1.0 / 3628800,
  1.0 / 39916800,
];

// erf(x)/x = A(x²) on |x| < 1 and erfc(x)·e^(x²) = B((|x| − 2.5)/1.5) on 1 ≤ |x| < 4: least-squares
// fits on Chebyshev nodes against double-precision erf/erfc (relative errors 4e-11 and 8e-9).
const ERF_A: StaticArray<f64> = [
  1.1283791670822982, -0.37612638590411307, 0.11283784110779607, -0.026865517350975747,
  0.005221261158396359, -0.0008487261862935355, 0.0001128812581853663, -9.728251461480198e-6,
];
const ERFC_B: StaticArray<f64> = [
  0.2108063642759976, -0.11152100469156759, 0.05611047257950938, -0.027005725378742827,
  0.012489703735164443, -0.005567332339908443, 0.002401701389689758, -0.0010171192390439274,
  0.0004145087531240737, -0.00014394697040611635, 5.4946607468442944e-5, -3.6929374565952634e-5,
  1.3819322007800005e-5,
];

/**
 * Double-precision functions of two f64x2 lanes. Static `@inline` methods (a decorator
 * AssemblyScript accepts on methods, and Prettier parses there): every function is inlined
 * into the one loop of `unaryMath`, so the loop makes no call per element (V8 spills the
 * SIMD registers around wasm calls: out-of-line helpers made exp 3× slower).
 */
export class Double2 {
  /**
   * e^x in double for two lanes: x = n·ln2 + r with |r| ≤ ln2/2 (one product: its rounding,
   * below 1e-13, is far under float32's), e^r = 1 + r + r²·P(r) with P of degree 4 fitted
   * to it (relative error 3.6e-9, a sixteenth of float32's rounding), times 2^n built from
   * its exponent bits. NaN propagates through min/max.
   */
  @inline static exp(x: v128): v128 {
    // pmax/pmin (a < b ? b : a) keep a NaN in the first operand, and cost a third of max/min.
    x = f64x2.pmin(f64x2.pmax(x, splat(EXP_MIN)), splat(EXP_MAX));
    const n = f64x2.nearest(f64x2.mul(x, splat(LOG2E)));
    const r = f64x2.sub(x, f64x2.mul(n, splat(LN2)));
    let p = f64x2.add(splat(EXP_P3), f64x2.mul(r, splat(EXP_P4)));
    p = f64x2.add(splat(EXP_P2), f64x2.mul(r, p));
    p = f64x2.add(splat(EXP_P1), f64x2.mul(r, p));
    p = f64x2.add(splat(EXP_P0), f64x2.mul(r, p));
    p = f64x2.add(f64x2.add(splat(1), r), f64x2.mul(f64x2.mul(r, r), p));
    // n ∈ [-174, 1023]: n + 1023 fits the 11 exponent bits.
    const scale = i64x2.shl(f64x2.add(n, splat(EXPONENT_SHIFTER)), 52);
    return f64x2.mul(p, scale);
  }

  /**
   * ln x in double for two lanes of positive normal doubles (promoted float32 values):
   * x = 2^e·m with m ∈ [√½, √2), ln m = 2·atanh(f), f = (m−1)/(m+1), |f| ≤ 0.1716, by its
   * series to f¹³ (relative error < 2e-12). Zero, negative, infinite and NaN lanes are
   * patched by `log`.
   */
  @inline static logFinite(x: v128): v128 {
    const biased = i64x2.shr_u(x, 52);
    let m = v128.or(v128.and(x, i64x2.splat(MANTISSA_BITS)), i64x2.splat(ONE_BITS));
    let e = f64x2.sub(v128.or(biased, i64x2.splat(TWO52_BITS)), splat(4503599627370496.0 + 1023));
    const big = f64x2.gt(m, splat(SQRT2));
    m = v128.bitselect(f64x2.mul(m, splat(0.5)), m, big);
    e = v128.bitselect(f64x2.add(e, splat(1)), e, big);
    const f = f64x2.div(f64x2.sub(m, splat(1)), f64x2.add(m, splat(1)));
    const s = f64x2.mul(f, f);
    let q = f64x2.mul(s, splat(1.0 / 13));
    q = f64x2.mul(s, f64x2.add(splat(1.0 / 11), q));
    q = f64x2.mul(s, f64x2.add(splat(1.0 / 9), q));
    q = f64x2.mul(s, f64x2.add(splat(1.0 / 7), q));
    q = f64x2.mul(s, f64x2.add(splat(1.0 / 5), q));
    q = f64x2.mul(s, f64x2.add(splat(1.0 / 3), q));
    const lnm = f64x2.mul(f64x2.add(f, f), f64x2.add(splat(1), q));
    return f64x2.add(f64x2.mul(e, splat(LN2_HI)), f64x2.add(lnm, f64x2.mul(e, splat(LN2_LO))));
  }

  /** ln x for any doubles: ln 0 = -∞, ln of a negative or NaN is NaN, ln ∞ = ∞. */
  @inline static log(x: v128): v128 {
    let r = Double2.logFinite(x);
    r = v128.bitselect(splat(-Infinity), r, f64x2.eq(x, splat(0)));
    r = v128.bitselect(splat(Infinity), r, f64x2.eq(x, splat(Infinity)));
    return v128.bitselect(splat(NaN), r, v128.not(f64x2.ge(x, splat(0))));
  }

  /** c[0] + t·(c[1] + t·(…)) for two lanes. */
  @inline static horner(c: StaticArray<f64>, t: v128): v128 {
    let p = splat(unchecked(c[c.length - 1]));
    for (let k = c.length - 2; k >= 0; k--) p = f64x2.add(splat(unchecked(c[k])), f64x2.mul(t, p));
    return p;
  }

  /** e^x − 1: a Taylor series near 0 (where e^x − 1 cancels), e^x − 1 beyond. */
  @inline static expm1(x: v128): v128 {
    const small = f64x2.mul(x, Double2.horner(EXPM1_SERIES, x));
    const large = f64x2.sub(Double2.exp(x), splat(1));
    return v128.bitselect(small, large, f64x2.lt(abs2(x), splat(0.34657359027997264)));
  }

  /**
   * ln(1 + x) = ln(u)·x/(u − 1) with u = 1 + x rounded (Kahan: the factor corrects the
   * rounding of u); x itself where u rounds to 1, ∞ at ∞.
   */
  @inline static log1p(x: v128): v128 {
    const u = f64x2.add(splat(1), x);
    const r = f64x2.mul(Double2.log(u), f64x2.div(x, f64x2.sub(u, splat(1))));
    const tiny = v128.bitselect(x, r, f64x2.eq(u, splat(1)));
    return v128.bitselect(x, tiny, f64x2.eq(x, splat(Infinity)));
  }

  /** tanh: an odd Taylor series near 0 (where the exp form cancels), else 1 − 2/(e^2x + 1), which saturates to ±1 on its own. */
  @inline static tanh(x: v128): v128 {
    const x2 = f64x2.mul(x, x);
    let p = f64x2.mul(x2, splat(-17.0 / 315));
    p = f64x2.mul(x2, f64x2.add(splat(2.0 / 15), p));
    p = f64x2.mul(x2, f64x2.add(splat(-1.0 / 3), p));
    const small = f64x2.mul(x, f64x2.add(splat(1), p)); // error term 62x⁹/2835 < 1e-10·|x|
    const e = Double2.exp(f64x2.add(x, x));
    const large = f64x2.sub(splat(1), f64x2.div(splat(2), f64x2.add(e, splat(1))));
    return v128.bitselect(small, large, f64x2.lt(abs2(x), splat(0.125)));
  }

  /** 1/(1 + e^-x); e^-x overflows to a huge double (not ∞) and the quotient then underflows correctly. */
  @inline static sigmoid(x: v128): v128 {
    return f64x2.div(splat(1), f64x2.add(splat(1), Double2.exp(f64x2.neg(x))));
  }

  /** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow, and NaN stays NaN. */
  @inline static softplus(x: v128): v128 {
    const tail = Double2.log1p(Double2.exp(f64x2.neg(abs2(x))));
    return f64x2.add(f64x2.pmax(x, splat(0)), tail);
  }

  /** x > 0 ? x : e^x − 1. */
  @inline static elu(x: v128): v128 {
    return v128.bitselect(x, Double2.expm1(x), f64x2.gt(x, splat(0)));
  }

  /** erf: x·A(x²) near 0, 1 − e^(−x²)·B(|x|) up to 4, ±1 beyond (erfc(4) is below float32's half ulp of 1). */
  @inline static erf(x: v128): v128 {
    const ax = abs2(x);
    const small = f64x2.mul(x, Double2.horner(ERF_A, f64x2.mul(x, x)));
    const clamped = f64x2.pmin(ax, splat(4));
    const t = f64x2.mul(f64x2.sub(clamped, splat(2.5)), splat(1.0 / 1.5));
    const erfc = f64x2.mul(
      Double2.exp(f64x2.neg(f64x2.mul(clamped, clamped))),
      Double2.horner(ERFC_B, t),
    );
    let large = f64x2.sub(splat(1), erfc);
    large = v128.bitselect(splat(1), large, f64x2.ge(ax, splat(4)));
    // Copy the sign of x onto the magnitude (NaN lanes take the small branch below).
    large = v128.or(large, v128.and(x, i64x2.splat(0x8000000000000000)));
    return v128.bitselect(small, large, v128.not(f64x2.ge(ax, splat(1))));
  }

  /** One double-precision function on two lanes. */
  @inline static apply(op: i32, x: v128): v128 {
    switch (op) {
      case T_EXP:
        return Double2.exp(x);
      case T_LOG:
        return Double2.log(x);
      case T_TANH:
        return Double2.tanh(x);
      case T_SIGMOID:
        return Double2.sigmoid(x);
      case T_EXPM1:
        return Double2.expm1(x);
      case T_LOG1P:
        return Double2.log1p(x);
      case T_SOFTPLUS:
        return Double2.softplus(x);
      case T_ELU:
        return Double2.elu(x);
      default:
        return Double2.erf(x);
    }
  }
}

/** Float32 lanes: the double-precision functions widened, and the exact float32 ones. */
class Float4 {
  /** Four float32 lanes through a double-precision function: widen, apply, round once. */
  @inline static widened(op: i32, v: v128): v128 {
    const lo = Double2.apply(op, f64x2.promote_low_f32x4(v));
    const hi = Double2.apply(op, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
    return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
  }

  /** Rounding and sign functions, exact in float32. */
  @inline static exact(op: i32, v: v128, alpha: v128): v128 {
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    switch (op) {
      case T_CEIL:
        return f32x4.ceil(v);
      case T_FLOOR:
        return f32x4.floor(v);
      case T_ROUND: {
        // Halves to even; like the CPU kernel, every value in (-0.5, 0) rounds to +0 (adding
        // +0 turns -0 into +0), and ±0 stay themselves.
        const r = f32x4.add(f32x4.nearest(v), zero);
        return v128.bitselect(v, r, f32x4.eq(v, zero));
      }
      case T_SIGN: {
        // -0, 0 and NaN map to themselves.
        const neg = v128.bitselect(f32x4.splat(-1), v, f32x4.lt(v, zero));
        return v128.bitselect(one, neg, f32x4.gt(v, zero));
      }
      default: {
        // Step: 1 above 0, NaN stays NaN, alpha otherwise.
        const low = v128.bitselect(v, alpha, f32x4.ne(v, v));
        return v128.bitselect(one, low, f32x4.gt(v, zero));
      }
    }
  }

  @inline static apply(op: i32, v: v128, alpha: v128): v128 {
    return op < T_CEIL ? Float4.widened(op, v) : Float4.exact(op, v, alpha);
  }

  /**
   * The SIMD loop of one function. Inlined with a constant `op` at each call site in
   * `unaryMath`, so every function gets a loop of its own with the dispatch on `op` folded
   * away (one loop holding every function was ~25% slower).
   */
  @inline static map(op: i32, x: usize, out: usize, n: i32, alpha: f32): void {
    const a = f32x4.splat(alpha);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, Float4.apply(op, v128.load(x + o), a));
    }
    for (; i < n; i++) {
      const o = (<usize>i) << 2;
      const v = Float4.apply(op, f32x4.splat(load<f32>(x + o)), a);
      store<f32>(out + o, f32x4.extract_lane(v, 0));
    }
  }
}

/** A libm function of one float32 value. */
function scalar(op: i32, x: f32): f32 {
  switch (op) {
    case T_SIN:
      return Mathf.sin(x);
    case T_COS:
      return Mathf.cos(x);
    case T_TAN:
      return Mathf.tan(x);
    case T_ASIN:
      return Mathf.asin(x);
    case T_ACOS:
      return Mathf.acos(x);
    case T_ATAN:
      return Mathf.atan(x);
    case T_SINH:
      return Mathf.sinh(x);
    case T_COSH:
      return Mathf.cosh(x);
    case T_ASINH:
      return Mathf.asinh(x);
    case T_ACOSH:
      return Mathf.acosh(x);
    default:
      return Mathf.atanh(x);
  }
}

/** out[i] = f(x[i]) for i < n (float32); `alpha` is Step's value at x ≤ 0. */
export function unaryMath(op: i32, x: usize, out: usize, n: i32, alpha: f32): void {
  switch (op) {
    case T_EXP:
      return Float4.map(T_EXP, x, out, n, alpha);
    case T_LOG:
      return Float4.map(T_LOG, x, out, n, alpha);
    case T_TANH:
      return Float4.map(T_TANH, x, out, n, alpha);
    case T_SIGMOID:
      return Float4.map(T_SIGMOID, x, out, n, alpha);
    case T_EXPM1:
      return Float4.map(T_EXPM1, x, out, n, alpha);
    case T_LOG1P:
      return Float4.map(T_LOG1P, x, out, n, alpha);
    case T_SOFTPLUS:
      return Float4.map(T_SOFTPLUS, x, out, n, alpha);
    case T_ELU:
      return Float4.map(T_ELU, x, out, n, alpha);
    case T_ERF:
      return Float4.map(T_ERF, x, out, n, alpha);
  }
  if (op < T_FIRST_SCALAR) return Float4.map(op, x, out, n, alpha); // ceil, floor, round, sign, step
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, scalar(op, load<f32>(x + o)));
  }
}
