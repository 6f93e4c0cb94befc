import type { DType } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import type { Operand } from './math-harness.js';
import { EDGES, expectAccelerated, expectClose, runBoth, uniform } from './math-harness.js';

const COMPARISONS = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual'];

/** Small integers, so that equal pairs are frequent. */
function ints(n: number, seed: number, range = 4): number[] {
  return uniform(n, seed, -range, range).map(Math.round);
}

function operand(shape: number[], dtype: DType, seed: number): Operand {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = dtype === 'bool' ? ints(n, seed, 1).map((v) => (v > 0 ? 1 : 0)) : ints(n, seed);
  return { shape, values, dtype };
}

/** Broadcast layouts: same shapes (odd length), scalars on either side, rows, a 3-D outer product, short rows (CPU path), empty. */
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

describe('comparisons (bool output) match the CPU kernels', () => {
  for (const op of COMPARISONS) {
    it(`${op}: float32 edge values (NaN compares false, -0 equals 0, infinities)`, () => {
      expectAccelerated(op);
      const a = [...EDGES, ...EDGES];
      const b = [...EDGES, ...[...EDGES].reverse()];
      const r = runBoth(op, [
        { shape: [a.length], values: a },
        { shape: [b.length], values: b },
      ]);
      expect(r.dtype).toBe('bool');
      expectClose(r.wasm, r.cpu);
    });
    for (const dtype of ['float32', 'int32', 'bool'] as DType[]) {
      it(`${op}: ${dtype}, every broadcast layout`, () => {
        LAYOUTS.forEach(([sa, sb], k) => {
          const r = runBoth(op, [operand(sa, dtype, k), operand(sb, dtype, k + 50)]);
          expectClose(r.wasm, r.cpu);
        });
      });
    }
  }
  it('int32 extremes compare as integers', () => {
    const a = [2147483647, -2147483648, 0, -1, 5];
    const b = [-2147483648, 2147483647, -0, -1, 6];
    const r = runBoth('Greater', [
      { shape: [5], values: a, dtype: 'int32' },
      { shape: [5], values: b, dtype: 'int32' },
    ]);
    expect(Array.from(r.wasm)).toEqual([1, 0, 0, 0, 0]);
  });
});

describe('logical ops and predicates', () => {
  for (const op of ['LogicalAnd', 'LogicalOr']) {
    it(`${op}: bool, every broadcast layout`, () => {
      expectAccelerated(op);
      LAYOUTS.forEach(([sa, sb], k) => {
        const r = runBoth(op, [operand(sa, 'bool', k), operand(sb, 'bool', k + 9)]);
        expectClose(r.wasm, r.cpu);
      });
    });
  }
  it('LogicalNot, IsNaN, IsInf (odd lengths)', () => {
    for (const op of ['LogicalNot', 'IsNaN', 'IsInf']) expectAccelerated(op);
    const bools = operand([23], 'bool', 3);
    expectClose(runBoth('LogicalNot', [bools]).wasm, runBoth('LogicalNot', [bools]).cpu);
    const x = { shape: [EDGES.length], values: EDGES };
    const nan = runBoth('IsNaN', [x]);
    expectClose(nan.wasm, nan.cpu);
    expect(Array.from(nan.wasm).filter((v) => v === 1).length).toBe(1);
    const inf = runBoth('IsInf', [x]);
    expectClose(inf.wasm, inf.cpu);
    expect(Array.from(inf.wasm).slice(0, 5)).toEqual([0, 0, 1, 1, 0]);
  });
});

describe('Where: three-way broadcasting, any dtype', () => {
  const layouts: [number[], number[], number[]][] = [
    [[41], [41], [41]],
    [[4, 1, 20], [1, 3, 20], [20]],
    [[], [2, 17], [2, 17]],
    [[2, 17], [], [17]],
    [
      [3, 1],
      [3, 5],
      [1, 5],
    ],
    [[0, 4], [4], [0, 4]],
  ];
  for (const dtype of ['float32', 'int32', 'bool', 'float64'] as DType[]) {
    it(dtype, () => {
      expectAccelerated('Where');
      layouts.forEach(([sc, sa, sb], k) => {
        const r = runBoth('Where', [
          operand(sc, 'bool', k),
          operand(sa, dtype, k + 20),
          operand(sb, dtype, k + 40),
        ]);
        expect(r.dtype).toBe(dtype);
        expectClose(r.wasm, r.cpu);
      });
    });
  }
  it('keeps NaN and -0 of the selected operand', () => {
    const r = runBoth('Where', [
      { shape: [5], values: [1, 0, 1, 0, 1], dtype: 'bool' },
      { shape: [5], values: [NaN, 1, -0, 2, 3] },
      { shape: [], values: [-0] },
    ]);
    expectClose(r.wasm, [NaN, -0, -0, -0, 3]);
  });
});

describe('Cast: every dtype pair, with the conversions of typed-array stores', () => {
  const values = [
    ...EDGES,
    2147483647,
    2147483648,
    -2147483649,
    3e9,
    -3e9,
    1e10,
    -0.7,
    0.7,
    2.5,
    -2.5,
    16777217,
    123456789,
  ];
  const dtypes: DType[] = ['float32', 'int32', 'bool', 'float64'];
  for (const from of dtypes) {
    for (const to of dtypes) {
      it(`${from} → ${to}`, () => {
        expectAccelerated('Cast');
        const x =
          from === 'bool'
            ? operand([values.length], 'bool', 1)
            : { shape: [values.length], values, dtype: from };
        const r = runBoth('Cast', [x], { dtype: to });
        expect(r.dtype).toBe(to);
        expectClose(r.wasm, r.cpu);
      });
    }
  }
  it('float32 → int32 truncates toward zero and wraps like Int32Array (NaN, ±Infinity → 0)', () => {
    const x = [NaN, Infinity, -Infinity, -0.7, 2.9, -2.9, 3e9, -3e9, 2 ** 31];
    const r = runBoth('Cast', [{ shape: [x.length], values: x }], { dtype: 'int32' });
    expect(Array.from(r.wasm)).toEqual(Array.from(Int32Array.from(x.map(Math.fround))));
  });
});
