import type { Tensor } from '@tapegrad/core';
import { DTypeError, ShapeError, grads } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import { dot, matMul, outerProduct } from '../index.js';
import type { SuiteContext } from './helpers.js';
import { expectClose, expectGradients } from './helpers.js';

/**
 * Naive reference: op(A)·op(B) with NumPy-broadcast batch dimensions, in float64.
 * Returns the output shape and row-major values.
 */
function naiveMatMul(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  tA: boolean,
  tB: boolean,
): { shape: number[]; values: number[] } {
  const ra = aShape.length;
  const rb = bShape.length;
  const [ar, ac] = [aShape[ra - 2]!, aShape[ra - 1]!];
  const [br, bc] = [bShape[rb - 2]!, bShape[rb - 1]!];
  const m = tA ? ac : ar;
  const k = tA ? ar : ac;
  const n = tB ? br : bc;
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const rank = Math.max(batchA.length, batchB.length);
  const padA = [...new Array<number>(rank - batchA.length).fill(1), ...batchA];
  const padB = [...new Array<number>(rank - batchB.length).fill(1), ...batchB];
  const batch = padA.map((d, i) => Math.max(d, padB[i]!));
  const batchSize = batch.reduce((x, y) => x * y, 1);
  const values: number[] = [];
  for (let flat = 0; flat < batchSize; flat++) {
    // Multi-index of this output batch element, mapped into each operand (size-1 dims broadcast).
    let rem = flat;
    const idx = new Array<number>(rank);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = rem % batch[d]!;
      rem = Math.floor(rem / batch[d]!);
    }
    let oa = 0;
    let ob = 0;
    for (let d = 0; d < rank; d++) {
      oa = oa * padA[d]! + (padA[d] === 1 ? 0 : idx[d]!);
      ob = ob * padB[d]! + (padB[d] === 1 ? 0 : idx[d]!);
    }
    const A = (i: number, p: number) => a[oa * ar * ac + (tA ? p * ac + i : i * ac + p)]!;
    const B = (p: number, j: number) => b[ob * br * bc + (tB ? j * bc + p : p * bc + j)]!;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
        values.push(s);
      }
    }
  }
  return { shape: [...batch, m, n], values };
}

const FLAGS: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** Stored shape of an operand given its logical [rows, cols] and a transpose flag. */
const stored = (batch: number[], rows: number, cols: number, t: boolean): number[] => [
  ...batch,
  ...(t ? [cols, rows] : [rows, cols]),
];

/** Conformance tests of the linalg ops. */
export function linalgSuite(ctx: SuiteContext): void {
  describe('linalg', () => {
    describe('matMul forward against a naive reference', () => {
      const cases: {
        name: string;
        batchA: number[];
        batchB: number[];
        m: number;
        k: number;
        n: number;
        rtol?: number;
      }[] = [
        { name: 'rank 2', batchA: [], batchB: [], m: 3, k: 4, n: 5 },
        { name: 'batched, same batch', batchA: [3], batchB: [3], m: 2, k: 3, n: 4 },
        { name: 'broadcast [2,1]·[5]', batchA: [2, 1], batchB: [5], m: 3, k: 4, n: 6 },
        { name: 'rank 2 · batched', batchA: [], batchB: [2, 3], m: 4, k: 2, n: 3 },
        { name: 'batched · rank 2', batchA: [2], batchB: [], m: 5, k: 3, n: 2 },
        // Past the small-product path: packed panels with ragged edges, several K slices and M blocks.
        {
          name: 'blocked GEMM with edges',
          batchA: [],
          batchB: [],
          m: 131,
          k: 301,
          n: 37,
          rtol: 1e-4,
        },
        {
          name: 'blocked GEMM, batched',
          batchA: [2],
          batchB: [1],
          m: 45,
          k: 33,
          n: 66,
          rtol: 1e-4,
        },
      ];
      for (const { name, batchA, batchB, m, k, n, rtol = 1e-5 } of cases) {
        for (const [tA, tB] of FLAGS) {
          it(`${name}: [${m}x${k}]·[${k}x${n}] transposeA=${tA} transposeB=${tB}`, () => {
            const aShape = stored(batchA, m, k, tA);
            const bShape = stored(batchB, k, n, tB);
            const a = ctx.rand(aShape, 1 + m, -1, 1);
            const b = ctx.rand(bShape, 2 + n, -1, 1);
            const want = naiveMatMul(a.dataSync(), aShape, b.dataSync(), bShape, tA, tB);
            expectClose(matMul(a, b, tA, tB), want.values, { shape: want.shape, rtol, atol: 1e-4 });
          });
        }
      }

      it('the example of the contract: [2,1,3,4]·[5,4,6] -> [2,5,3,6]', () => {
        const a = ctx.rand([2, 1, 3, 4], 7);
        const b = ctx.rand([5, 4, 6], 8);
        const want = naiveMatMul(a.dataSync(), a.shape, b.dataSync(), b.shape, false, false);
        const c = a.matMul(b);
        expect([...c.shape]).toEqual([2, 5, 3, 6]);
        expectClose(c, want.values, { atol: 1e-5 });
      });

      it('hand-derived 2x2 product, float64 and int32', () => {
        const a = [1, 2, 3, 4];
        const b = [5, 6, 7, 8];
        expectClose(matMul(ctx.t(a, [2, 2]), ctx.t(b, [2, 2])), [19, 22, 43, 50]);
        const c64 = matMul(ctx.t(a, [2, 2], 'float64'), ctx.t(b, [2, 2], 'float64'), true, false);
        expect(c64.dtype).toBe('float64');
        expectClose(c64, [26, 30, 38, 44]);
        const ci = matMul(ctx.t(a, [2, 2], 'int32'), ctx.t(b, [2, 2], 'int32'), false, true);
        expect(ci.dtype).toBe('int32');
        expectClose(ci, [17, 23, 39, 53]);
        // Mixed dtypes upcast (int32 · float32 -> float32).
        expect(matMul(ctx.t(a, [2, 2], 'int32'), ctx.t(b, [2, 2])).dtype).toBe('float32');
      });

      it('empty dimensions', () => {
        expectClose(matMul(ctx.t([], [2, 0]), ctx.t([], [0, 3])), [0, 0, 0, 0, 0, 0], {
          shape: [2, 3],
        });
        expectClose(matMul(ctx.t([], [0, 2]), ctx.t([1, 2], [2, 1])), [], { shape: [0, 1] });
      });
    });

    describe('dot and outerProduct', () => {
      const v = [1, 2, 3];
      const w = [4, 5, 6];
      const M = [1, 2, 3, 4, 5, 6]; // [2,3]
      it('vector·vector -> scalar', () => {
        expectClose(dot(ctx.t(v), ctx.t(w)), [32], { shape: [] });
      });
      it('matrix·vector and vector·matrix -> vector', () => {
        expectClose(dot(ctx.t(M, [2, 3]), ctx.t(v)), [14, 32], { shape: [2] });
        expectClose(dot(ctx.t([1, 2]), ctx.t(M, [2, 3])), [9, 12, 15], { shape: [3] });
      });
      it('matrix·matrix -> matrix', () => {
        expectClose(dot(ctx.t(M, [2, 3]), ctx.t(M, [3, 2])), [22, 28, 49, 64], { shape: [2, 2] });
      });
      it('outerProduct', () => {
        expectClose(outerProduct(ctx.t([1, 2]), ctx.t(w)), [4, 5, 6, 8, 10, 12], { shape: [2, 3] });
        expectClose(ctx.t([1, 2]).outerProduct(ctx.t([3])), [3, 6], { shape: [2, 1] });
      });
    });

    describe('errors', () => {
      it('inner dimension mismatch names both shapes, the dims and the transpose flags', () => {
        const a = ctx.t([1, 2, 3, 4, 5, 6], [2, 3]);
        const b = ctx.t([1, 2, 3, 4, 5, 6], [2, 3]);
        const before = ctx.engine.memory().numTensors;
        expect(() => matMul(a, b)).toThrow(ShapeError);
        expect(() => matMul(a, b)).toThrow(
          /matMul: inner dimensions must match: a \[2,3\] \(transposeA=false\) has 3 and b \[2,3\] \(transposeB=false\) has 2/,
        );
        expect(() => matMul(a, b, true, true)).toThrow(
          /transposeA=true\) has 2 and b \[2,3\] \(transposeB=true\) has 3/,
        );
        // A failed op leaves its inputs intact and allocates nothing.
        expect(ctx.engine.memory().numTensors).toBe(before);
        expectClose(a, [1, 2, 3, 4, 5, 6]);
        expectClose(matMul(a, b, false, true), [14, 32, 32, 77]);
        expectClose(matMul(a, b, true, false), [17, 22, 27, 22, 29, 36, 27, 36, 45], {
          shape: [3, 3],
        });
      });

      it('rank < 2, incompatible batches, bool operands', () => {
        expect(() => matMul(ctx.t([1, 2]), ctx.t([1, 2], [2, 1]))).toThrow(
          /matMul: a must have rank >= 2, got rank 1 \(shape \[2\]\)/,
        );
        expect(() => matMul(ctx.t([1, 2], [1, 2]), ctx.t(3))).toThrow(/b must have rank >= 2/);
        expect(() => matMul(ctx.rand([2, 2, 3], 1), ctx.rand([3, 3, 4], 2))).toThrow(
          /matMul: .*cannot be broadcast/,
        );
        expect(() => matMul(ctx.t([true], [1, 1], 'bool'), ctx.t([true], [1, 1], 'bool'))).toThrow(
          DTypeError,
        );
        expect(() => dot(ctx.rand([2, 2, 2], 1), ctx.t([1, 2]))).toThrow(
          /dot: t1 and t2 must have rank 1 or 2/,
        );
        expect(() => dot(ctx.t([1, 2, 3]), ctx.t([1, 2]))).toThrow(
          /dot: inner dimensions must match: t1 \[3\] has 3, t2 \[2\] has 2/,
        );
        expect(() => dot(ctx.t(M2, [2, 3]), ctx.t(M2, [2, 3]))).toThrow(/has 3, t2 \[2,3\] has 2/);
        expect(() => outerProduct(ctx.t(M2, [2, 3]), ctx.t([1]))).toThrow(
          /outerProduct: v1 and v2 must be vectors/,
        );
      });
    });

    describe('gradients (float64 finite differences, first and second order)', () => {
      for (const [tA, tB] of FLAGS) {
        it(`broadcast batch [2,1]·[3] with transposeA=${tA} transposeB=${tB}`, () => {
          const a = ctx.rand(stored([2, 1], 2, 3, tA), 31);
          const b = ctx.rand(stored([3], 3, 2, tB), 32);
          expectGradients((x, y) => matMul(x, y, tA, tB), [a, b]);
        });
        it(`rank 2 · batched (a broadcast over the batch), transposeA=${tA} transposeB=${tB}`, () => {
          const a = ctx.rand(stored([], 2, 3, tA), 33);
          const b = ctx.rand(stored([2], 3, 2, tB), 34);
          expectGradients((x, y) => matMul(x, y, tA, tB), [a, b]);
        });
      }

      it('second order through a product of matMuls: f = (A·B)·(A·B)ᵀ', () => {
        const a = ctx.rand([2, 3], 35);
        const b = ctx.rand([3, 2], 36);
        expectGradients(
          (x, y) => {
            const c = matMul(x, y);
            return matMul(c, c, false, true);
          },
          [a, b],
        );
      });

      it('dot (all rank combinations) and outerProduct', () => {
        expectGradients((x, y) => dot(x, y), [ctx.rand([3], 41), ctx.rand([3], 42)]);
        expectGradients((x, y) => dot(x, y), [ctx.rand([2, 3], 43), ctx.rand([3], 44)]);
        expectGradients((x, y) => dot(x, y), [ctx.rand([2], 45), ctx.rand([2, 3], 46)]);
        expectGradients((x, y) => dot(x, y), [ctx.rand([2, 3], 47), ctx.rand([3, 2], 48)]);
        expectGradients((x, y) => outerProduct(x, y), [ctx.rand([2], 49), ctx.rand([3], 50)]);
      });

      it('hand-derived: d/dA sum(A·B) = 1·Bᵀ, d/dB = Aᵀ·1', () => {
        const [ga, gb] = grads((x: Tensor, y: Tensor) => matMul(x, y))(
          [ctx.t([1, 2, 3, 4], [2, 2]), ctx.t([5, 6, 7, 8], [2, 2])],
          ctx.t([1, 1, 1, 1], [2, 2]),
        );
        expectClose(ga!, [11, 15, 11, 15]);
        expectClose(gb!, [4, 4, 6, 6]);
      });
    });
  });
}

const M2 = [1, 2, 3, 4, 5, 6];
