/**
 * Transcendental and rounding float32 kernels. Every SIMD function returns, for every
 * float32 input, a result within 1 ulp of the exact value rounded to float32 (subnormal
 * results and overflow to ±Infinity included, no special-case branches):
 * - exp, tanh and sigmoid run in float32 on four lanes (`Exp4`, `Logistic4`): a Cody–Waite
 *   reduction and a polynomial that keep e^r as an unevaluated sum hi + lo, so the one
 *   division of tanh and sigmoid is corrected to first order and only the last rounding is
 *   left. log too (`Log4`: a reduction to [√½, √2) and an atanh-type series, summed
 *   smallest first). scripts/exhaustive-ulps.ts checks the bound on every float32 input.
 * - expm1, log1p, softplus, elu and erf widen each f32x4 into two f64x2 halves, evaluate
 *   in double and round once on the way back (`Double2`).
 * The trigonometric and hyperbolic family runs the libm (musl) functions, one element at a
 * time.
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

  /** One double-precision function on two lanes (expm1, log1p, softplus, elu, erf). */
  @inline static apply(op: i32, x: v128): v128 {
    switch (op) {
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

/**
 * Constants of the float32 exponential family. Loops read them with `v128.load32_splat`
 * where they are used: V8 (Node 20) rebuilds a v128 constant in every iteration of a large
 * loop with three instructions, a broadcast load is one and holds no register.
 */
const F32: usize = memory.data<f32>([
  1.4426950408889634, // 0: log2 e
  0.693145751953125, // 1: ln 2, high part (16 significant bits: k·it is exact for |k| < 256)
  1.428606765330187e-6, // 2: ln 2 − the high part
  // 3–7: (e^r − 1 − r)/r² on |r| ≤ ln2/2, minimax (relative error of e^r 3.8e-9 with these
  // float32 coefficients, a sixteenth of float32's rounding).
  0.4999999403953552,
  0.1666652113199234,
  0.04166838899254799,
  0.008368715643882751,
  0.0013814599951729178,
  // 8–12: (tanh x − x)/x³ on |x| ≤ 0.55 in powers of x², minimax (relative error of tanh 4.4e-9).
  -0.33333316445350647,
  0.13332585990428925,
  -0.05385230854153633,
  0.021071678027510643,
  -0.006274238228797913,
  1, // 13
  12582912, // 14: 1.5·2^23; y + it rounds y to an integer k, kept in the low mantissa bits
  -104, // 15: e^-104 is below half the smallest subnormal: exp and sigmoid clamp here
  89, // 16: e^89 overflows float32: exp clamps here
  -2, // 17
  -40, // 18: e^-40 vanishes next to 1: tanh clamps −2|x| here
  0.55, // 19: tanh uses its polynomial below this |x|, the exponential form from here on
  2, // 20
  0.5, // 21
  33554432, // 22: 2^25, which makes a subnormal log argument normal
  Infinity, // 23
  NaN, // 24
  -Infinity, // 25
  // 26–29: R(z)/z for log, z = s², s = f/(2 + f): log(1 + f) = f − f²/2 + s·(f²/2 + R(z)),
  // minimax on |s| ≤ (√2 − 1)/(√2 + 1) (relative error of log 4.4e-10 with these coefficients).
  0.6666666269302368,
  0.4000033438205719,
  0.2853734791278839,
  0.23581479489803314,
]);
const F_LOG2E = 0;
const F_LN2_HI = 1;
const F_LN2_LO = 2;
const F_EXP_Q = 3;
const F_TANH_P = 8;
const F_ONE = 13;
const F_SHIFTER = 14;
const F_EXP_MIN = 15;
const F_EXP_MAX = 16;
const F_MINUS_TWO = 17;
const F_TANH_MIN = 18;
const F_TANH_SMALL = 19;
const F_TWO = 20;
const F_HALF = 21;
const F_TWO_25 = 22;
const F_INFINITY = 23;
const F_NAN = 24;
const F_MINUS_INFINITY = 25;
const F_LOG_R = 26;

const I32: usize = memory.data<i32>([
  0x80000000, // 0: the sign bit
  0x4b400000 - 127, // 1: bits of the shifter less the exponent bias: bits − this = k + 127
  64, // 2, 3: exponent fields of 2^(k − h) and 2^h are (k + 127 − h) + 64 and h + 63, h = (k + 127) >> 1
  63,
  0x00800000, // 4: bits of the smallest normal float
  -25, // 5
  0x3f3504f3, // 6: bits of √½: log's mantissas are brought into [√½, √2)
  0x3f800000 - 0x3f3504f3, // 7: added to the bits, it carries the exponent up from √2 on
  0x007fffff, // 8: the mantissa bits
  127, // 9: the exponent bias
]);
const I_SIGN = 0;
const I_SHIFTER_UNBIASED = 1;
const I_64 = 2;
const I_63 = 3;
const I_SMALLEST_NORMAL = 4;
const I_MINUS_25 = 5;
const I_SQRT_HALF = 6;
const I_TO_SQRT_TWO = 7;
const I_MANTISSA = 8;
const I_BIAS = 9;

/** Which part of a value kept as hi + lo a function returns. */
const HIGH = 0;
const LOW = 1;

/** The constant tables' entries, splatted to four lanes. */
class Splat {
  @inline static f32(index: i32): v128 {
    return v128.load32_splat(F32 + ((<usize>index) << 2));
  }

  @inline static i32(index: i32): v128 {
    return v128.load32_splat(I32 + ((<usize>index) << 2));
  }
}

/**
 * Polynomials whose coefficients are consecutive entries of the F32 table, from `first`, in
 * t, by Estrin's scheme (shorter dependency chains than Horner's); t2 = t², which the
 * callers need anyway.
 */
class Estrin {
  /** c0 + c1·t + t²·(c2 + c3·t). */
  @inline static degree3(first: i32, t: v128, t2: v128): v128 {
    const low = f32x4.add(Splat.f32(first), f32x4.mul(Splat.f32(first + 1), t));
    const high = f32x4.add(Splat.f32(first + 2), f32x4.mul(Splat.f32(first + 3), t));
    return f32x4.add(low, f32x4.mul(t2, high));
  }

  /** c0 + c1·t + t²·(c2 + c3·t + c4·t²). */
  @inline static degree4(first: i32, t: v128, t2: v128): v128 {
    const low = f32x4.add(Splat.f32(first), f32x4.mul(Splat.f32(first + 1), t));
    const high = f32x4.add(
      f32x4.add(Splat.f32(first + 2), f32x4.mul(Splat.f32(first + 3), t)),
      f32x4.mul(Splat.f32(first + 4), t2),
    );
    return f32x4.add(low, f32x4.mul(t2, high));
  }
}

/**
 * e^y in float32 for four lanes: y = k·ln2 + r, |r| ≤ ln2/2 (k·ln2 in two parts, the first
 * exact), e^r = 1 + r + r²·Q(r) kept as hi + lo (the rounding of 1 + r and of the final sum
 * are recovered exactly by Fast2Sum), times 2^k in two steps of at most 2^±75 so subnormal
 * and huge results round once.
 */
class Exp4 {
  /** y/ln2 + 1.5·2^23: bits = shifter bits + k, k the integer nearest y/ln2. */
  @inline static shifted(y: v128): v128 {
    return f32x4.add(f32x4.mul(y, Splat.f32(F_LOG2E)), Splat.f32(F_SHIFTER));
  }

  /**
   * e^r as hi + lo with |lo| ≤ half an ulp of hi (`part` says which to return), for k read
   * from `shifted`; hi + lo is within 4e-9 relative of e^r. A caller that wants both calls
   * twice with the same arguments: V8 computes the shared expressions once (AssemblyScript
   * functions return one value, and a global to carry the other costs a store and a load).
   */
  @inline static mantissa(y: v128, shifted: v128, part: i32): v128 {
    const one = Splat.f32(F_ONE);
    const k = f32x4.sub(shifted, Splat.f32(F_SHIFTER));
    const rHigh = f32x4.sub(y, f32x4.mul(k, Splat.f32(F_LN2_HI))); // exact
    const rLow = f32x4.mul(k, Splat.f32(F_LN2_LO));
    const r = f32x4.sub(rHigh, rLow);
    const r2 = f32x4.mul(r, r);
    const q = Estrin.degree4(F_EXP_Q, r, r2);
    const head = f32x4.add(one, rHigh);
    const headError = f32x4.sub(rHigh, f32x4.sub(head, one));
    const tail = f32x4.add(f32x4.sub(headError, rLow), f32x4.mul(r2, q));
    const hi = f32x4.add(head, tail);
    return part == HIGH ? hi : f32x4.sub(tail, f32x4.sub(hi, head));
  }

  /** 2^k for k from `shifted` in [−126, 127]. */
  @inline static scale(shifted: v128): v128 {
    return i32x4.shl(i32x4.sub(shifted, Splat.i32(I_SHIFTER_UNBIASED)), 23);
  }

  /**
   * The two steps of 2^k, k from `shifted` in [−150, 129]: 2^(k − h + 64) and 2^(h − 64)
   * with h = (k + 127) >> 1, both normal (V8 computes the shared h once).
   */
  @inline static scale1(shifted: v128): v128 {
    const biased = i32x4.sub(shifted, Splat.i32(I_SHIFTER_UNBIASED));
    return i32x4.shl(i32x4.add(i32x4.sub(biased, i32x4.shr_s(biased, 1)), Splat.i32(I_64)), 23);
  }

  @inline static scale2(shifted: v128): v128 {
    const biased = i32x4.sub(shifted, Splat.i32(I_SHIFTER_UNBIASED));
    return i32x4.shl(i32x4.add(i32x4.shr_s(biased, 1), Splat.i32(I_63)), 23);
  }

  /** e^x; −∞ and inputs below −104 give 0, +∞ and inputs above 89 give +∞, NaN stays NaN. */
  @inline static exp(x: v128): v128 {
    const y = f32x4.pmin(f32x4.pmax(x, Splat.f32(F_EXP_MIN)), Splat.f32(F_EXP_MAX));
    const shifted = Exp4.shifted(y);
    const hi = Exp4.mantissa(y, shifted, HIGH);
    return f32x4.mul(f32x4.mul(hi, Exp4.scale1(shifted)), Exp4.scale2(shifted));
  }
}

/**
 * ln x in float32 for four lanes: x = 2^k·m with m in [√½, √2) (subnormals scaled by 2^25
 * first), f = m − 1 (exact), s = f/(2 + f) and ln m = f − f²/2 + s·(f²/2 + R(s²)) with
 * R fitted, plus k·ln2 in two parts (the first exact), summed smallest first. Within 1 ulp
 * of the correctly rounded value on every input (`pnpm check:ulps log`); ln 0 = −∞, ln of a
 * negative number or NaN is NaN, ln ∞ = ∞.
 */
class Log4 {
  @inline static log(x: v128): v128 {
    const subnormal = i32x4.lt_u(x, Splat.i32(I_SMALLEST_NORMAL)); // (+0 too)
    const scaled = v128.bitselect(f32x4.mul(x, Splat.f32(F_TWO_25)), x, subnormal);
    const bits = i32x4.add(scaled, Splat.i32(I_TO_SQRT_TWO));
    const exponent = i32x4.sub(i32x4.shr_s(bits, 23), Splat.i32(I_BIAS));
    const k = i32x4.add(exponent, v128.and(subnormal, Splat.i32(I_MINUS_25)));
    const m = i32x4.add(v128.and(bits, Splat.i32(I_MANTISSA)), Splat.i32(I_SQRT_HALF));
    const f = f32x4.sub(m, Splat.f32(F_ONE));
    const s = f32x4.div(f, f32x4.add(Splat.f32(F_TWO), f));
    const z = f32x4.mul(s, s);
    const z2 = f32x4.mul(z, z);
    const r = f32x4.mul(z, Estrin.degree3(F_LOG_R, z, z2));
    const halfSquare = f32x4.mul(Splat.f32(F_HALF), f32x4.mul(f, f));
    const kf = f32x4.convert_i32x4_s(k);
    let y = f32x4.add(f32x4.mul(s, f32x4.add(halfSquare, r)), f32x4.mul(kf, Splat.f32(F_LN2_LO)));
    y = f32x4.add(f32x4.add(f32x4.sub(y, halfSquare), f), f32x4.mul(kf, Splat.f32(F_LN2_HI)));
    y = v128.bitselect(x, y, v128.not(f32x4.lt(x, Splat.f32(F_INFINITY)))); // ∞ and NaN
    y = v128.bitselect(Splat.f32(F_NAN), y, f32x4.lt(x, f32x4.splat(0)));
    return v128.bitselect(Splat.f32(F_MINUS_INFINITY), y, f32x4.eq(x, f32x4.splat(0)));
  }
}

/**
 * sigmoid and tanh in float32 through v = e^y/(1 + e^y) for y ≤ 0 (no overflow):
 * sigmoid(x) = v(−|x|) for x < 0 and 1 − v(−|x|) otherwise; tanh|x| = 1 − 2·v(−2|x|) from
 * |x| = 0.55 (where v ≤ 1/4, so the subtraction loses nothing) and an odd polynomial below.
 * e^y = th + tl comes from `Exp4` and the quotient is corrected to first order:
 * (th + tl)/(dh + dl) ≈ s + (tl − s·dl)/(1 + t), s = th/dh, with 1/(1 + t) = 1 − v.
 */
class Logistic4 {
  /** The argument y ≤ 0 of v: −|x| for sigmoid (clamped at −104), −2|x| for tanh (at −40). */
  @inline static argument(op: i32, x: v128): v128 {
    if (op == T_SIGMOID) return f32x4.pmax(v128.or(x, Splat.i32(I_SIGN)), Splat.f32(F_EXP_MIN));
    const magnitude = v128.andnot(x, Splat.i32(I_SIGN));
    return f32x4.pmax(f32x4.mul(magnitude, Splat.f32(F_MINUS_TWO)), Splat.f32(F_TANH_MIN));
  }

  /** e^y = th + tl for y from `argument`: th or tl, as `part` says (see `Exp4.mantissa`). */
  @inline static exponential(op: i32, y: v128, part: i32): v128 {
    const shifted = Exp4.shifted(y);
    const m = Exp4.mantissa(y, shifted, part);
    // tanh's e^y ≥ e^-40 is normal: one step. Sigmoid's in two, so a subnormal e^y (and
    // then v = e^y) rounds once.
    if (op == T_TANH) return f32x4.mul(m, Exp4.scale(shifted));
    return f32x4.mul(f32x4.mul(m, Exp4.scale1(shifted)), Exp4.scale2(shifted));
  }

  /** v = t/(1 + t) for t = th + tl ≤ 1. */
  @inline static quotient(th: v128, tl: v128): v128 {
    const one = Splat.f32(F_ONE);
    const dh = f32x4.add(one, th);
    const dl = f32x4.add(f32x4.sub(th, f32x4.sub(dh, one)), tl); // Fast2Sum error, plus tl
    const s = f32x4.div(th, dh);
    const correction = f32x4.mul(f32x4.sub(tl, f32x4.mul(s, dl)), f32x4.sub(one, s));
    return f32x4.add(s, correction);
  }

  /** The function's value from x and v. */
  @inline static result(op: i32, x: v128, v: v128): v128 {
    const one = Splat.f32(F_ONE);
    if (op == T_SIGMOID) return v128.bitselect(v, f32x4.sub(one, v), i32x4.shr_s(x, 31));
    const sign = v128.and(x, Splat.i32(I_SIGN));
    const a = v128.xor(x, sign);
    const large = f32x4.sub(one, f32x4.add(v, v));
    // |x| < 0.55: |x| + |x|³·P(x²) (the sign goes on last, so −0 stays −0).
    const a2 = f32x4.mul(a, a);
    const p = Estrin.degree4(F_TANH_P, a2, f32x4.mul(a2, a2));
    const small = f32x4.add(a, f32x4.mul(a, f32x4.mul(a2, p)));
    return v128.or(v128.bitselect(small, large, f32x4.lt(a, Splat.f32(F_TANH_SMALL))), sign);
  }

  /** One vector through all the steps (the loop's remainder). */
  @inline static apply(op: i32, x: v128): v128 {
    const y = Logistic4.argument(op, x);
    const v = Logistic4.quotient(
      Logistic4.exponential(op, y, HIGH),
      Logistic4.exponential(op, y, LOW),
    );
    return Logistic4.result(op, x, v);
  }

  /**
   * The loop of sigmoid or tanh, software-pipelined: each iteration computes the exponential
   * of the next vector before the quotient of the current one, so the two dependency chains
   * overlap (the core's scheduler window holds about two iterations; 15% faster).
   */
  @inline static map(op: i32, x: usize, out: usize, n: i32): void {
    const whole = n & ~3;
    if (whole > 0) {
      let v = v128.load(x);
      let y = Logistic4.argument(op, v);
      let th = Logistic4.exponential(op, y, HIGH);
      let tl = Logistic4.exponential(op, y, LOW);
      for (let i = 4; i < whole; i += 4) {
        const next = v128.load(x + ((<usize>i) << 2));
        y = Logistic4.argument(op, next);
        const thNext = Logistic4.exponential(op, y, HIGH);
        const tlNext = Logistic4.exponential(op, y, LOW);
        v128.store(
          out + ((<usize>(i - 4)) << 2),
          Logistic4.result(op, v, Logistic4.quotient(th, tl)),
        );
        v = next;
        th = thNext;
        tl = tlNext;
      }
      v128.store(
        out + ((<usize>(whole - 4)) << 2),
        Logistic4.result(op, v, Logistic4.quotient(th, tl)),
      );
    }
    for (let i = whole; i < n; i++) {
      const o = (<usize>i) << 2;
      store<f32>(
        out + o,
        f32x4.extract_lane(Logistic4.apply(op, f32x4.splat(load<f32>(x + o))), 0),
      );
    }
  }
}

/**
 * The sigmoid and tanh loops, each a function of its own: inlined into `unaryMath` with all
 * the other loops they ran 10–20% slower (V8 allocates registers over the whole function).
 */
function sigmoidLoop(x: usize, out: usize, n: i32): void {
  Logistic4.map(T_SIGMOID, x, out, n);
}

function tanhLoop(x: usize, out: usize, n: i32): void {
  Logistic4.map(T_TANH, x, out, n);
}

/** Float32 lanes: exp, the double-precision functions widened, and the exact float32 ones. */
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
    if (op == T_EXP) return Exp4.exp(v);
    if (op == T_LOG) return Log4.log(v);
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
      return tanhLoop(x, out, n);
    case T_SIGMOID:
      return sigmoidLoop(x, out, n);
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
