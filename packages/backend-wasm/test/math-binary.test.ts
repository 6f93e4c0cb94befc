import type { DType } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import type { Operand } from './math-harness.js';
import {
  EDGES,
  expectAccelerated,
  expectClose,
  expectUlps,
  runBoth,
  uniform,
} from './math-harness.js';

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function values(shape: number[], dtype: DType, seed: number, lo: number, hi: number): Operand {
  const v = uniform(sizeOf(shape), seed, lo, hi);
  return { shape, dtype, values: dtype === 'int32' ? v.map(Math.round) : v };
}

/** Same shapes (odd length), scalars on either side, broadcast rows, a 3-D outer product, short rows (CPU path), empty. */
const LAYOUTS: [number[], number[]][] = [
  [[37], [37]],
  [[2, 19], []],
  [[], [2, 19]],
  [[3, 17], [17]],
  [
    [3, 1, 17],
    [1, 5, 17],
  ],
  [[4, 3], [3]],
  [[2, 0], [0]],
];

/** Edge pairs: every edge value against every other. */
const EDGE_A = EDGES.flatMap((a) => EDGES.map(() => a));
const EDGE_B = EDGES.flatMap(() => EDGES);

describe('Pow, Atan2, Mod, FloorDiv, Prelu match the CPU kernels', () => {
  for (const op of ['Pow', 'Atan2', 'Mod', 'FloorDiv', 'Prelu']) {
    it(`${op}: float32 edge pairs (NaN, ±Infinity, ±0, huge, tiny)`, () => {
      expectAccelerated(op);
      const r = runBoth(op, [
        { shape: [EDGE_A.length], values: EDGE_A },
        { shape: [EDGE_B.length], values: EDGE_B },
      ]);
      // Pow's libm (musl) and V8's differ by an ulp in double at most: one float32 ulp after rounding.
      if (op === 'Pow' || op === 'Atan2') expectUlps(r.wasm, r.cpu, 1);
      else expectClose(r.wasm, r.cpu);
    });
    const dtypes: DType[] = op === 'Atan2' ? ['float32'] : ['float32', 'int32'];
    for (const dtype of dtypes) {
      it(`${op}: ${dtype}, every broadcast layout`, () => {
        LAYOUTS.forEach(([sa, sb], k) => {
          const [lo, hi] = op === 'Pow' ? [0, 3] : [-20, 20];
          const r = runBoth(op, [values(sa, dtype, k, lo, hi), values(sb, dtype, k + 30, -4, 4)]);
          expect(r.dtype).toBe(dtype);
          if (dtype === 'float32' && (op === 'Pow' || op === 'Atan2')) expectUlps(r.wasm, r.cpu, 1);
          else expectClose(r.wasm, r.cpu);
        });
      });
    }
  }
  it('JavaScript semantics where C differs: 1^NaN and (±1)^±Infinity are NaN', () => {
    const r = runBoth('Pow', [
      { shape: [4], values: [1, 1, -1, 1] },
      { shape: [4], values: [NaN, Infinity, -Infinity, 0] },
    ]);
    expectClose(r.wasm, [NaN, NaN, NaN, 1]);
  });
  it('float32 Pow over wide ranges and negative bases with integer exponents: within 1 ulp of the CPU', () => {
    const n = 4000;
    const base = uniform(n, 11, -12, 12).map((a, i) => (i % 2 ? Math.abs(a) : a));
    const exponent = uniform(n, 12, -40, 40).map((b, i) => (i % 4 < 2 ? Math.round(b) : b));
    const r = runBoth('Pow', [
      { shape: [n], values: base },
      { shape: [n], values: exponent },
    ]);
    expectUlps(r.wasm, r.cpu, 1);
  });
  it('int32 Pow is exact: big powers, negative exponents, 0^0, wrapping past 2^31', () => {
    const a = [3, -3, 2, -2, 7, 0, 0, 2, -1, 1, 10, 46340];
    const b = [19, 19, 31, 31, 0, 0, -1, -1, -3, -7, 9, 2];
    const expected = [
      1162261467, -1162261467, -2147483648, -2147483648, 1, 1, 0, 0, -1, 1, 1000000000, 2147395600,
    ];
    const r = runBoth('Pow', [
      { shape: [a.length], values: a, dtype: 'int32' },
      { shape: [b.length], values: b, dtype: 'int32' },
    ]);
    expect(Array.from(r.wasm)).toEqual(expected);
    expect(Array.from(r.cpu)).toEqual(expected);
  });
  it('Mod takes the sign of the divisor; int32 division and modulo by zero give 0', () => {
    const mod = runBoth('Mod', [
      { shape: [4], values: [-7, 7, -7, 7] },
      { shape: [4], values: [3, -3, -3, 3] },
    ]);
    expect(Array.from(mod.wasm)).toEqual([2, -2, -1, 1]);
    const a = { shape: [6], values: [7, -7, 0, -2147483648, 5, -5], dtype: 'int32' as DType };
    const b = { shape: [6], values: [2, 2, 0, -1, 0, 0], dtype: 'int32' as DType };
    expect(Array.from(runBoth('FloorDiv', [a, b]).wasm)).toEqual([3, -4, 0, -2147483648, 0, 0]);
    expect(Array.from(runBoth('Mod', [a, b]).wasm)).toEqual([1, 1, 0, 0, 0, 0]);
  });
});

describe('int32 arithmetic runs in wasm (wrapping like Int32Array stores)', () => {
  for (const op of ['Add', 'Sub', 'Mul', 'Maximum', 'Minimum', 'Div']) {
    it(`${op}: every broadcast layout`, () => {
      LAYOUTS.forEach(([sa, sb], k) => {
        const r = runBoth(op, [
          values(sa, 'int32', k, -1000, 1000),
          values(sb, 'int32', k + 7, -9, 9),
        ]);
        expect(r.dtype).toBe('int32');
        expectClose(r.wasm, r.cpu);
      });
    });
  }
  it('Add and Sub wrap at the int32 limits; Div floors', () => {
    const a = { shape: [5], values: [2147483647, -2147483648, 7, -7, 1], dtype: 'int32' as DType };
    const b = { shape: [5], values: [1, 1, -2, 2, 3], dtype: 'int32' as DType };
    expect(Array.from(runBoth('Add', [a, b]).wasm)).toEqual([-2147483648, -2147483647, 5, -5, 4]);
    expect(Array.from(runBoth('Sub', [a, b]).wasm)).toEqual([2147483646, 2147483647, 9, -9, -2]);
    expect(Array.from(runBoth('Div', [a, b]).wasm)).toEqual([2147483647, -2147483648, -4, -4, 0]);
  });
  for (const op of ['Neg', 'Abs', 'Relu', 'Relu6', 'Square']) {
    it(`${op}: odd length, int32 extremes`, () => {
      const v = [...uniform(37, 3, -3000, 3000).map(Math.round), 0, 6, 7, -1];
      if (op !== 'Square') v.push(2147483647, -2147483648);
      const r = runBoth(op, [{ shape: [v.length], values: v, dtype: 'int32' }]);
      expect(r.dtype).toBe('int32');
      expectClose(r.wasm, r.cpu);
    });
  }
});
