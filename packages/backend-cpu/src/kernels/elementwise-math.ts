/** Scalar math shared by the elementwise CPU kernels (double precision). */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * The error function to about 1e-15 relative accuracy (float64 gradchecks rely on it):
 * for |x| < 2.5 the series erf(x) = 2/√π·e^(-x²)·Σ (2x²)ⁿ·x / (1·3·…·(2n+1)), whose terms are
 * all positive (no cancellation); beyond, 1 - erfc(x) with erfc's continued fraction
 * (modified Lentz), which converges fast there; ±1 beyond |x| = 6 (exact in double).
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 2.5) {
    const x2 = x * x;
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    const r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    return x < 0 ? -r : r;
  }
  if (ax >= 6) return x < 0 ? -1 : 1;
  // erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))).
  let f = ax;
  let c = ax;
  let d = 0;
  for (let k = 1; k < 300; k++) {
    const a = k / 2;
    d = 1 / (ax + a * d);
    c = ax + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const r = 1 - (Math.exp(-ax * ax) * ONE_OVER_SQRT_PI) / f;
  return x < 0 ? -r : r;
}

/** Logistic function without overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Rounds halves to even (banker's rounding), as tfjs. */
export function roundHalfEven(x: number): number {
  const base = Math.floor(x);
  const frac = x - base;
  if (frac < 0.5) return base;
  if (frac > 0.5) return base + 1;
  return base % 2 === 0 ? base : base + 1;
}

/** Remainder with the sign of the divisor (tfjs, Python): mod(-7, 3) = 2. */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  return (a < 0 && b < 0) || (a >= 0 && b >= 0) ? r : (r + b) % b;
}
