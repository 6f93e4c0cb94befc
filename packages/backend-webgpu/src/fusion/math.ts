/** WGSL math for elementwise ops, written out where SwiftShader's builtins are inaccurate or drop NaN. */
export const EW_MATH = /* wgsl */ `
fn log_f(x: f32) -> f32 {
  if (x < 0.0 || is_nan(x)) { return f_nan(); }
  if (x == 0.0) { return -f_inf(); }
  if (is_inf(x)) { return x; }
  return log(x);
}
fn log1p_f(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (u == 0.0) { return -f_inf(); }
  if (u < 0.0 || is_nan(x)) { return f_nan(); }
  if (is_inf(u)) { return u; }
  return log(u) * (x / (u - 1.0));
}
fn exp_f(x: f32) -> f32 {
  // Branch-free (invocations run in lockstep; a branch costs both sides): Cody-Waite
  // reduction of the clamped x, then NaN, overflow and underflow by select.
  let xc = clamp(x, -103.97208, 88.72284);
  let n = round(xc * 1.442695041);
  let r = (xc - n * 0.693145752) - n * 1.428606765e-6;
  let p = 1.0 + r * (1.0 + r * (0.5 + r * (0.16666667 + r * (0.041666668 + r * (0.008333334 + r * (0.0013888889 + r * 0.0001984127))))));
  let ni = i32(n);
  // 2^n in two steps (n in [-150, 128] may be outside the normal range; each half in
  // [-75, 64] is), each power built from its exponent bits (cheaper than ldexp).
  let h = ni / 2;
  let e = p * bitcast<f32>(u32(h + 127) << 23u) * bitcast<f32>(u32(ni - h + 127) << 23u);
  return select(select(select(e, 0.0, x < -103.97208), f_inf(), x > 88.72284), x, is_nan(x));
}
fn reduce_pio2(x: f32) -> vec2<f32> {
  let q = round(x * 0.636619772);
  let r = ((x - q * 1.5703125) - q * 4.837512969970703125e-4) - q * 7.549789948768648e-8;
  return vec2<f32>(r, q);
}
fn sin_poly(r: f32) -> f32 { let r2 = r * r; return r + r * r2 * (-0.16666667 + r2 * (0.008333334 + r2 * (-0.0001984127 + r2 * 2.7557319e-6))); }
fn cos_poly(r: f32) -> f32 { let r2 = r * r; return 1.0 - 0.5 * r2 + r2 * r2 * (0.041666668 + r2 * (-0.0013888889 + r2 * (2.4801587e-5 - r2 * 2.7557319e-7))); }
fn sin_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let rq = reduce_pio2(x);
  let q = i32(rq.y) & 3;
  if (q == 0) { return sin_poly(rq.x); }
  if (q == 1) { return cos_poly(rq.x); }
  if (q == 2) { return -sin_poly(rq.x); }
  return -cos_poly(rq.x);
}
fn cos_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let rq = reduce_pio2(x);
  let q = i32(rq.y) & 3;
  if (q == 0) { return cos_poly(rq.x); }
  if (q == 1) { return -sin_poly(rq.x); }
  if (q == 2) { return -cos_poly(rq.x); }
  return sin_poly(rq.x);
}
fn tan_f(x: f32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let rq = reduce_pio2(x);
  let s = sin_poly(rq.x);
  let c = cos_poly(rq.x);
  if ((i32(rq.y) & 1) == 0) { return s / c; }
  return -c / s;
}
fn atan_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  var a = abs(x);
  var off = 0.0;
  var inv = false;
  if (a > 1.0) { a = 1.0 / a; inv = true; }
  if (a > 0.26794919) { off = 0.523598776; a = (a * 1.732050808 - 1.0) / (1.732050808 + a); }
  let a2 = a * a;
  var r = off + a * (1.0 + a2 * (-0.33333333 + a2 * (0.2 + a2 * (-0.14285714 + a2 * (0.11111111 - a2 * 0.09090909)))));
  if (inv) { r = 1.570796327 - r; }
  return select(r, -r, x < 0.0);
}
fn asin_f(x: f32) -> f32 {
  if (abs(x) > 1.0 || is_nan(x)) { return f_nan(); }
  if (abs(x) == 1.0) { return x * 1.570796327; }
  if (abs(x) < 0.5) { return atan_f(x / sqrt((1.0 - x) * (1.0 + x))); }
  let r = 1.570796327 - 2.0 * atan_f(sqrt((1.0 - abs(x)) / (1.0 + abs(x))));
  return select(r, -r, x < 0.0);
}
fn acos_f(x: f32) -> f32 {
  if (abs(x) > 1.0 || is_nan(x)) { return f_nan(); }
  return 2.0 * atan_f(sqrt((1.0 - x) / (1.0 + x)));
}
fn fmod_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b) || is_inf(a) || b == 0.0) { return f_nan(); }
  if (is_inf(b)) { return a; }
  return a - b * trunc(a / b);
}
/** expm1 by its Taylor series: accurate for |x| ≤ 0.5. */
fn expm1_series(x: f32) -> f32 {
  return x * (1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334 + x * (0.0013888889 + x * 0.0001984127))))));
}
fn expm1_f(x: f32) -> f32 {
  // The series below 0.5 in magnitude (no cancellation), exp − 1 above; both computed.
  return select(exp_f(x) - 1.0, expm1_series(clamp(x, -0.5, 0.5)), abs(x) < 0.5);
}
fn tanh_f(x: f32) -> f32 {
  // |x| < 0.55: the Taylor series to x^17 (truncation < 6e-9 relative, within float32 rounding);
  // else (1 − e) / (1 + e) with e = exp(−2|x|) ≤ 1 (1 at infinity). Both computed, then selected.
  let ax = abs(x);
  let s = min(ax, 0.55);
  let z = s * s;
  let q = z * (-0.33333334 + z * (0.13333334 + z * (-0.053968254 + z * (0.021869488 + z * (-0.0088632358 + z * (0.0035921279 + z * (-0.0014558344 + z * 0.00059002743)))))));
  let e = exp_f(-2.0 * ax);
  let v = select((1.0 - e) / (1.0 + e), s + s * q, ax < 0.55);
  return select(select(v, -v, x < 0.0), x, is_nan(x));
}
fn sigmoid_f(x: f32) -> f32 {
  // e = exp(−|x|) ≤ 1: 1 / (1 + e) for x ≥ 0, e / (1 + e) below (no overflow either way).
  let e = exp_f(-abs(x));
  return select(select(e / (1.0 + e), 1.0 / (1.0 + e), x >= 0.0), x, is_nan(x));
}
fn softplus_f(x: f32) -> f32 {
  if (x > 0.0) { return x + log1p_f(exp_f(-x)); }
  return log1p_f(exp_f(x));
}
fn sinh_f(x: f32) -> f32 {
  if (abs(x) < 0.1) { let x2 = x * x; return x * (1.0 + x2 / 6.0 * (1.0 + x2 / 20.0 * (1.0 + x2 / 42.0))); }
  let e = exp_f(abs(x));
  let r = 0.5 * (e - 1.0 / e);
  return select(r, -r, x < 0.0);
}
fn cosh_f(x: f32) -> f32 { let e = exp_f(abs(x)); return 0.5 * (e + 1.0 / e); }
fn asinh_f(x: f32) -> f32 {
  let ax = abs(x);
  var r: f32;
  if (ax < 0.5) { r = log1p_f(ax + ax * ax / (1.0 + sqrt(1.0 + ax * ax))); }
  else if (ax > 1e18) { r = log_f(ax) + 0.6931471805599453; }
  else { r = log_f(ax + sqrt(ax * ax + 1.0)); }
  return select(r, -r, x < 0.0);
}
fn acosh_f(x: f32) -> f32 {
  if (x < 1.0 || is_nan(x)) { return f_nan(); }
  if (x > 1e18) { return log_f(x) + 0.6931471805599453; }
  return log_f(x + sqrt(x * x - 1.0));
}
fn atanh_f(x: f32) -> f32 {
  let ax = abs(x);
  if (ax > 1.0 || is_nan(x)) { return f_nan(); }
  if (ax == 1.0) { return select(f_inf(), -f_inf(), x < 0.0); }
  let r = 0.5 * log1p_f(2.0 * ax / (1.0 - ax));
  return select(r, -r, x < 0.0);
}
fn erf_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let ax = abs(x);
  var r: f32;
  if (ax < 2.5) {
    let x2 = x * x;
    var term = ax;
    var sum = ax;
    for (var n = 1; n < 60; n++) {
      term = term * (2.0 * x2) / f32(2 * n + 1);
      sum = sum + term;
      if (term <= 1e-9 * sum) { break; }
    }
    r = 1.1283791670955126 * exp_f(-x2) * sum;
  } else if (ax >= 6.0) {
    r = 1.0;
  } else {
    var f = ax; var c = ax; var d = 0.0;
    for (var k = 1; k < 100; k++) {
      let a = f32(k) / 2.0;
      d = 1.0 / (ax + a * d);
      c = ax + a / c;
      let delta = c * d;
      f = f * delta;
      if (abs(delta - 1.0) < 1e-8) { break; }
    }
    r = 1.0 - exp_f(-ax * ax) * 0.5641895835477563 / f;
  }
  return select(r, -r, x < 0.0);
}
fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f_nan(); }
  if (a == 0.0) {
    if (b > 0.0) { return select(0.0, a, fract(b * 0.5) != 0.0 && fract(b) == 0.0); }
    return select(f_inf(), select(f_inf(), -f_inf(), bitcast<u32>(a) != 0u), fract(b * 0.5) != 0.0 && fract(b) == 0.0);
  }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (fract(b) != 0.0) { return f_nan(); }
  return select(r, -r, fract(b * 0.5) != 0.0);
}
fn pow_i(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1; var base = a; var e = b;
  loop { if (e == 0) { break; } if ((e & 1) != 0) { r = r * base; } base = base * base; e = e >> 1u; }
  return r;
}
fn floordiv_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}
fn mod_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}
fn mod_f(a: f32, b: f32) -> f32 {
  let r = fmod_f(a, b);
  if ((a < 0.0 && b < 0.0) || (a >= 0.0 && b >= 0.0)) { return r; }
  return fmod_f(r + b, b);
}
fn cast_i(x: f32) -> i32 {
  if (is_nan(x) || is_inf(x)) { return 0; }
  if (abs(x) >= 2147483648.0) { return 0; }
  return i32(trunc(x));
}
fn round_f(x: f32) -> f32 {
  let base = floor(x);
  let frac = x - base;
  if (frac < 0.5) { return base; }
  if (frac > 0.5) { return base + 1.0; }
  return select(base + 1.0, base, base - 2.0 * floor(base * 0.5) == 0.0);
}
`;
