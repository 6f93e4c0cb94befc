import { Random } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import {
  EDGES,
  expectAccelerated,
  expectClose,
  expectUlps,
  runBoth,
  uniform,
} from './math-harness.js';

/** Inputs: the edge values, then odd-length runs (not a multiple of 4) over wide and narrow ranges. */
function inputs(seed: number, lo: number, hi: number): number[] {
  return [...EDGES, ...uniform(301, seed, lo, hi), ...uniform(203, seed + 1, -30, 30)];
}

/** Exact float32 reference: the double-precision function of the float32 input, rounded once. */
function reference(f: (x: number) => number, xs: readonly number[]): number[] {
  return xs.map((x) => Math.fround(f(Math.fround(x))));
}

/**
 * erf by its alternating Taylor series in double: terms reach e^(x²) before cancelling, so
 * it is accurate to ~1e-13 only for |x| ≤ 2.5; beyond, the check is against the CPU kernel.
 */
function erfRef(x: number): number {
  if (!(Math.abs(x) <= 2.5)) return NaN;
  let sum = 0;
  let term = x;
  for (let n = 0; n === 0 || Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

interface Case {
  op: string;
  /** Independent double-precision reference, where one exists in Math. */
  ref?: (x: number) => number;
  /** Largest distance from the reference (and from the CPU kernel), in float32 ulps. */
  ulps: number;
  lo?: number;
  hi?: number;
}

const CASES: Case[] = [
  { op: 'Exp', ref: Math.exp, ulps: 1, lo: -110, hi: 90 },
  { op: 'Log', ref: Math.log, ulps: 1, lo: 0, hi: 1e6 },
  { op: 'Tanh', ref: Math.tanh, ulps: 1, lo: -12, hi: 12 },
  { op: 'Sigmoid', ref: (x) => 1 / (1 + Math.exp(-x)), ulps: 1, lo: -110, hi: 30 },
  { op: 'Expm1', ref: Math.expm1, ulps: 1, lo: -2, hi: 2 },
  { op: 'Log1p', ref: Math.log1p, ulps: 1, lo: -1, hi: 4 },
  {
    op: 'Softplus',
    ref: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
    ulps: 1,
    lo: -110,
    hi: 40,
  },
  { op: 'Elu', ref: (x) => (x > 0 ? x : Math.expm1(x)), ulps: 1, lo: -5, hi: 5 },
  { op: 'Erf', ref: erfRef, ulps: 1, lo: -4.5, hi: 4.5 },
  { op: 'Sin', ref: Math.sin, ulps: 1, lo: -10, hi: 10 },
  { op: 'Cos', ref: Math.cos, ulps: 1, lo: -10, hi: 10 },
  { op: 'Tan', ref: Math.tan, ulps: 1, lo: -3, hi: 3 },
  { op: 'Asin', ref: Math.asin, ulps: 1, lo: -1, hi: 1 },
  { op: 'Acos', ref: Math.acos, ulps: 1, lo: -1, hi: 1 },
  { op: 'Atan', ref: Math.atan, ulps: 1, lo: -50, hi: 50 },
  { op: 'Sinh', ref: Math.sinh, ulps: 2, lo: -20, hi: 20 },
  { op: 'Cosh', ref: Math.cosh, ulps: 2, lo: -20, hi: 20 },
  { op: 'Asinh', ref: Math.asinh, ulps: 2, lo: -1e4, hi: 1e4 },
  { op: 'Acosh', ref: Math.acosh, ulps: 2, lo: 1, hi: 1e4 },
  { op: 'Atanh', ref: Math.atanh, ulps: 2, lo: -1, hi: 1 },
];

describe('float32 transcendental kernels (f32x4) vs references', () => {
  CASES.forEach((c, k) => {
    it(`${c.op}: within ${c.ulps} ulp of the rounded double reference and of the CPU kernel`, () => {
      expectAccelerated(c.op);
      const xs = inputs(10 + k, c.lo ?? -10, c.hi ?? 10);
      const r = runBoth(c.op, [{ shape: [xs.length], values: xs }]);
      expectUlps(r.wasm, r.cpu, c.ulps);
      if (c.ref) {
        const ref = reference(c.ref, xs);
        // Points outside the reference's domain (NaN there while the kernel is not) are skipped.
        const kept = ref.flatMap((v, i) =>
          Number.isNaN(v) && !Number.isNaN(r.wasm[i]!) ? [] : [i],
        );
        expectUlps(
          kept.map((i) => r.wasm[i]!),
          kept.map((i) => ref[i]!),
          c.ulps,
        );
      }
    });
  });

  it('saturate instead of overflowing to NaN at huge inputs, keep -0 where the function is odd', () => {
    const xs = [-0, 1e30, -1e30, Infinity, -Infinity];
    expect(Array.from(runBoth('Exp', [{ shape: [5], values: xs }]).wasm)).toEqual([
      1,
      Infinity,
      0,
      Infinity,
      0,
    ]);
    expect(Array.from(runBoth('Tanh', [{ shape: [5], values: xs }]).wasm)).toEqual([
      -0, 1, -1, 1, -1,
    ]);
    expect(Array.from(runBoth('Sigmoid', [{ shape: [5], values: xs }]).wasm)).toEqual([
      0.5, 1, 0, 1, 0,
    ]);
    expect(Array.from(runBoth('Softplus', [{ shape: [5], values: xs }]).wasm)).toEqual([
      Math.fround(Math.LN2),
      1e30 === Math.fround(1e30) ? 1e30 : Math.fround(1e30),
      0,
      Infinity,
      0,
    ]);
    expect(
      Array.from(runBoth('Log', [{ shape: [5], values: [0, -0, -1, Infinity, 1] }]).wasm),
    ).toEqual([-Infinity, -Infinity, NaN, Infinity, 0]);
    expect(Array.from(runBoth('Erf', [{ shape: [5], values: xs }]).wasm)).toEqual([
      -0, 1, -1, 1, -1,
    ]);
  });

  /** `count` consecutive float32 values centred on `x` (scripts/exhaustive-ulps.ts checks them all). */
  function neighbours(x: number, count: number): number[] {
    const bits = new Uint32Array(new Float32Array([x]).buffer)[0]!;
    const run = new Uint32Array(count).map((_, i) => bits - (count >> 1) + i);
    return Array.from(new Float32Array(run.buffer));
  }

  it('exp, log, tanh and sigmoid stay within 1 ulp where their float32 formulas switch', () => {
    // tanh: the polynomial ends at 0.55; e^y rescales where y/ln2 crosses a half-integer.
    const switches: Record<string, number[]> = {
      Exp: [0.5 * Math.LN2, -0.5 * Math.LN2, 88.72, -87.33, -103.97, 10.5 * Math.LN2],
      // log: around 1 (where it cancels), √2·2^k (the reduction's seam), the smallest normals.
      Log: [1, Math.SQRT2, Math.SQRT2 / 1024, 2 ** -126, 3e38],
      Tanh: [0.55, -0.55, 0.75 * Math.LN2, 1.25 * Math.LN2, 9.01],
      Sigmoid: [1e-7, -1e-7, 0.5 * Math.LN2, -0.5 * Math.LN2, -87.33, -103.97, 16.7],
    };
    for (const [op, points] of Object.entries(switches)) {
      const xs = points.flatMap((x) => neighbours(x, 1001));
      const r = runBoth(op, [{ shape: [xs.length], values: xs }]);
      const ref = CASES.find((c) => c.op === op)!.ref!;
      expectUlps(r.wasm, reference(ref, xs), 1);
      expectUlps(r.wasm, r.cpu, 1);
    }
  });

  it('subnormal results of exp and sigmoid are rounded like the double reference', () => {
    const xs = [-87.5, -90, -95, -100, -103, -103.9];
    for (const op of ['Exp', 'Sigmoid']) {
      const r = runBoth(op, [{ shape: [xs.length], values: xs }]);
      expect(Array.from(r.wasm).every((v) => v > 0 && v < 1.2e-38)).toBe(true);
      expectUlps(
        r.wasm,
        reference((x) => (op === 'Exp' ? Math.exp(x) : 1 / (1 + Math.exp(-x))), xs),
        1,
      );
    }
  });
});

describe('rounding and sign kernels match the CPU kernels exactly', () => {
  const halves = [
    -3.5,
    -2.5,
    -1.5,
    -0.5,
    -0.4,
    -0,
    0,
    0.4,
    0.5,
    1.5,
    2.5,
    3.5,
    2 ** 23 + 1,
    -(2 ** 24),
  ];
  const rng = new Random(3);
  const random = Array.from({ length: 257 }, () => (rng.uniform() - 0.5) * 20);
  const xs = [...EDGES, ...halves, ...random];
  for (const op of ['Ceil', 'Floor', 'Round', 'Sign']) {
    it(op, () => {
      expectAccelerated(op);
      const r = runBoth(op, [{ shape: [xs.length], values: xs }]);
      expectClose(r.wasm, r.cpu);
    });
  }
  it('Round: halves go to the even neighbor, and values in (-0.5, 0) give +0 as on the CPU', () => {
    const r = runBoth('Round', [{ shape: [halves.length], values: halves }]);
    expect(Array.from(r.wasm).slice(0, 12)).toEqual([-4, -2, -2, 0, 0, -0, 0, 0, 0, 2, 2, 4]);
  });
  it('Step with alpha', () => {
    expectAccelerated('Step');
    const r = runBoth('Step', [{ shape: [xs.length], values: xs }], { alpha: 0.25 });
    expectClose(r.wasm, r.cpu);
    expect(Array.from(r.wasm).slice(0, 5)).toEqual([0.25, 0.25, 1, 0.25, NaN]);
  });
});

describe('shapes', () => {
  it('rank 0, empty and multi-dimensional tensors', () => {
    expect(Array.from(runBoth('Exp', [{ shape: [], values: [1] }]).wasm)).toEqual([
      Math.fround(Math.E),
    ]);
    const empty = runBoth('Tanh', [{ shape: [3, 0], values: [] }]);
    expect(empty.wasm.length).toBe(0);
    expect([...empty.shape]).toEqual([3, 0]);
    const xs = uniform(2 * 3 * 5, 9, -3, 3);
    const r = runBoth('Sigmoid', [{ shape: [2, 3, 5], values: xs }]);
    expectUlps(r.wasm, r.cpu, 1);
  });
});
