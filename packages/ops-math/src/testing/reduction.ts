import type { Tensor } from '@tapegrad/core';
import { ShapeError, grads } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import {
  all,
  any,
  argMax,
  argMin,
  cumprod,
  cumsum,
  logSumExp,
  max,
  mean,
  min,
  prod,
  sum,
} from '../index.js';
import type { SuiteContext } from './helpers.js';
import { expectClose, expectGradCheck, expectGradients } from './helpers.js';

/** Naive reference: reduces `values` of `shape` over `axes` with a fold, keeping the output row-major. */
function naiveReduce(
  values: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  init: number,
  fold: (acc: number, v: number) => number,
): number[] {
  const rank = shape.length;
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(outSize).fill(init);
  const idx = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < values.length; flat++) {
    let o = 0;
    for (let d = 0; d < rank; d++) o = o * outShape[d]! + (axes.includes(d) ? 0 : idx[d]!);
    out[o] = fold(out[o]!, values[flat]!);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Naive reference scan along `axis` of a row-major array. */
function naiveScan(
  values: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  exclusive: boolean,
  reverse: boolean,
  isProd: boolean,
): number[] {
  const n = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const out = new Array<number>(values.length).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let r = 0; r < n; r++) {
        let acc = isProd ? 1 : 0;
        for (let s = 0; s < n; s++) {
          const inRange = reverse ? (exclusive ? s > r : s >= r) : exclusive ? s < r : s <= r;
          if (!inRange) continue;
          const v = values[(o * n + s) * inner + i]!;
          acc = isProd ? acc * v : acc + v;
        }
        out[(o * n + r) * inner + i] = acc;
      }
    }
  }
  return out;
}

const AXIS_CASES: { axis: number | number[] | undefined; axes: number[] }[] = [
  { axis: undefined, axes: [0, 1, 2] },
  { axis: 0, axes: [0] },
  { axis: -1, axes: [2] },
  { axis: [0, 2], axes: [0, 2] },
  { axis: [-1, 1], axes: [1, 2] },
];

/** Conformance tests of the reduction ops. */
export function reductionSuite(ctx: SuiteContext): void {
  describe('reduction', () => {
    const shape = [2, 3, 4];

    describe('forward values against naive loops', () => {
      const folds = {
        sum: { f: sum, init: 0, fold: (a: number, v: number) => a + v },
        max: { f: max, init: -Infinity, fold: Math.max },
        min: { f: min, init: Infinity, fold: Math.min },
        prod: { f: prod, init: 1, fold: (a: number, v: number) => a * v },
      };
      for (const [name, { f, init, fold }] of Object.entries(folds)) {
        for (const { axis, axes } of AXIS_CASES) {
          for (const keepDims of [false, true]) {
            it(`${name}(x[2,3,4], ${JSON.stringify(axis)}, keepDims=${keepDims})`, () => {
              const x = ctx.rand(shape, 3, -2, 2);
              const want = naiveReduce(x.dataSync(), shape, axes, init, fold);
              const outShape = keepDims
                ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
                : shape.filter((_, i) => !axes.includes(i));
              expectClose(f(x, axis, keepDims), want, { shape: outShape, rtol: 1e-5, atol: 1e-5 });
            });
          }
        }
      }

      it('mean over axes, negative axes and keepDims', () => {
        const x = ctx.t([1, 2, 3, 4, 5, 6], [2, 3]);
        expectClose(mean(x), [3.5], { shape: [] });
        expectClose(mean(x, 0), [2.5, 3.5, 4.5], { shape: [3] });
        expectClose(mean(x, -1, true), [2, 5], { shape: [2, 1] });
        expectClose(mean(x, [1, 0]), [3.5], { shape: [] });
      });

      it('mean of int32 and bool gives float32 (as tfjs); float64 stays float64', () => {
        const m = mean(ctx.t([1, 2], [2], 'int32'));
        expect(m.dtype).toBe('float32');
        expectClose(m, [1.5]);
        const b = mean(ctx.t([true, false, true, true], [4], 'bool'));
        expect(b.dtype).toBe('float32');
        expectClose(b, [0.75]);
        expect(mean(ctx.t([1, 2], [2], 'float64')).dtype).toBe('float64');
      });

      it('sum of bool counts (int32); prod of bool is int32; max/min keep int32', () => {
        const s = sum(ctx.t([true, false, true], [3], 'bool'));
        expect(s.dtype).toBe('int32');
        expectClose(s, [2]);
        const p = prod(ctx.t([true, true, false], [3], 'bool'));
        expect(p.dtype).toBe('int32');
        expectClose(p, [0]);
        const xi = ctx.t([3, -7, 5, 2, 9, -1], [2, 3], 'int32');
        expect(max(xi, 1).dtype).toBe('int32');
        expectClose(max(xi, 1), [5, 9]);
        expectClose(min(xi, 0), [2, -7, -1]);
        expectClose(prod(xi, -1), [-105, -18]);
        expectClose(sum(xi, [0, 1]), [11]);
      });

      it('max/min propagate NaN', () => {
        const x = ctx.t([1, NaN, 3, 4, 5, 6], [2, 3]);
        expectClose(max(x, 1), [NaN, 6]);
        expectClose(min(x, 1), [NaN, 4]);
      });

      it('reductions of a scalar and over size-1 axes', () => {
        expectClose(sum(ctx.t(5)), [5], { shape: [] });
        expectClose(max(ctx.t(5), undefined, true), [5], { shape: [] });
        expectClose(prod(ctx.t([2, 3], [2, 1]), -1), [2, 3], { shape: [2] });
      });

      it('logSumExp matches log(sum(exp)) and is stable for large values', () => {
        const x = ctx.rand([2, 3, 4], 5, -3, 3);
        const v = x.dataSync();
        const want = naiveReduce(Array.from(v, Math.exp), shape, [0, 2], 0, (a, b) => a + b).map(
          Math.log,
        );
        expectClose(logSumExp(x, [0, -1]), want, { shape: [3] });
        expectClose(logSumExp(x, [0, 2], true), want, { shape: [1, 3, 1] });
        expectClose(logSumExp(ctx.t([1000, 1000, -1000], [3])), [1000 + Math.log(2)], {
          rtol: 1e-6,
        });
        expectClose(logSumExp(ctx.t([-1000, -1000], [2])), [-1000 + Math.log(2)], { rtol: 1e-6 });
      });

      it('argMax/argMin: default axis 0, negative axes, first index on ties, int32 result', () => {
        const x = ctx.t([1, 5, 5, 0, 2, 7, 7, -1], [2, 4]);
        const a0 = argMax(x);
        expect(a0.dtype).toBe('int32');
        expectClose(a0, [1, 1, 1, 0], { shape: [4] });
        // Ties (5, 5 and 7, 7) give the first index.
        expectClose(argMax(x, 1), [1, 1], { shape: [2] });
        expectClose(argMax(x, -1), [1, 1]);
        expectClose(argMin(x, -1), [3, 3]);
        expectClose(argMin(x), [0, 0, 0, 1]);
        expectClose(argMin(ctx.t([2, 0, 0, 1], [4])), [1]);
        const y = ctx.rand([2, 3, 4], 8);
        const v = y.dataSync();
        const want: number[] = [];
        for (let i = 0; i < 2; i++) {
          for (let k = 0; k < 4; k++) {
            let best = 0;
            for (let j = 1; j < 3; j++)
              if (v[(i * 3 + j) * 4 + k]! > v[(i * 3 + best) * 4 + k]!) best = j;
            want.push(best);
          }
        }
        expectClose(argMax(y, -2), want, { shape: [2, 4] });
        expectClose(argMax(ctx.t([3, 1, 2], [3], 'int32')), [0]);
      });

      it('any/all over bool and numeric inputs, with keepDims', () => {
        const b = ctx.t([true, false, false, false, true, true], [2, 3], 'bool');
        const a1 = any(b, 1);
        expect(a1.dtype).toBe('bool');
        expectClose(a1, [1, 1], { shape: [2] });
        expectClose(all(b, 1), [0, 0]);
        expectClose(all(b, 0, true), [0, 0, 0], { shape: [1, 3] });
        expectClose(any(b, -2), [1, 1, 1]);
        expectClose(any(b), [1], { shape: [] });
        expectClose(all(b), [0], { shape: [] });
        const n = ctx.t([0, 2, 0, 3], [2, 2]);
        expectClose(any(n, 1), [1, 1]);
        expectClose(all(n, 0), [0, 1]);
      });

      for (const isProd of [false, true]) {
        const name = isProd ? 'cumprod' : 'cumsum';
        const scan = isProd ? cumprod : cumsum;
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            it(`${name} along axes 0, 1, -1 (exclusive=${exclusive}, reverse=${reverse})`, () => {
              const x = ctx.rand(shape, 11, -2, 2);
              const v = x.dataSync();
              for (const axis of [0, 1, -1]) {
                const ax = axis < 0 ? axis + 3 : axis;
                expectClose(
                  scan(x, axis, exclusive, reverse),
                  naiveScan(v, shape, ax, exclusive, reverse, isProd),
                  {
                    shape,
                    rtol: 1e-5,
                  },
                );
              }
            });
          }
        }
      }

      it('cumsum/cumprod defaults (axis 0), int32 and bool inputs', () => {
        expectClose(cumsum(ctx.t([1, 2, 3, 4], [2, 2])), [1, 2, 4, 6]);
        const ci = cumsum(ctx.t([1, 2, 3], [3], 'int32'), 0, true);
        expect(ci.dtype).toBe('int32');
        expectClose(ci, [0, 1, 3]);
        const cb = cumsum(ctx.t([true, true, false], [3], 'bool'));
        expect(cb.dtype).toBe('int32');
        expectClose(cb, [1, 2, 2]);
        expectClose(cumprod(ctx.t([2, 3, 4], [3], 'int32'), 0, false, true), [24, 12, 4]);
        expectClose(cumprod(ctx.t([1, 2, 3, 4], [2, 2]), -1), [1, 2, 3, 12]);
      });

      it('methods are chainable', () => {
        const x = ctx.t([1, 2, 3, 4], [2, 2]);
        expectClose(x.max(1).sum(), [6]);
        expectClose(x.mean(0), [2, 3]);
        expectClose(x.cumsum(1).prod(), [3 * 3 * 7]);
        expectClose(x.argMax(1), [1, 1]);
        expectClose(x.logSumExp(), [
          Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(4)),
        ]);
      });
    });

    describe('errors', () => {
      it('bad axis names the op, the axis, the rank and the valid range', () => {
        const x = ctx.t([1, 2, 3, 4, 5, 6], [2, 3]);
        const cases: [string, () => unknown][] = [
          ['sum', () => sum(x, 2)],
          ['mean', () => mean(x, -3)],
          ['max', () => max(x, [0, 5])],
          ['min', () => min(x, 2)],
          ['prod', () => prod(x, 7)],
          ['logSumExp', () => logSumExp(x, 3)],
          ['argMax', () => argMax(x, 2)],
          ['argMin', () => argMin(x, -3)],
          ['any', () => any(x, 2)],
          ['all', () => all(x, 2)],
          ['cumsum', () => cumsum(x, 2)],
          ['cumprod', () => cumprod(x, -3)],
        ];
        for (const [op, f] of cases) {
          let err: unknown;
          try {
            f();
          } catch (e) {
            err = e;
          }
          expect(err, op).toBeInstanceOf(ShapeError);
          const msg = (err as Error).message;
          expect(msg.startsWith(`${op}:`), msg).toBe(true);
          expect(msg).toMatch(/rank 2/);
          expect(msg).toMatch(/-2\.\.1/);
        }
        expect(() => sum(x, 0.5)).toThrow(ShapeError);
        expect(() => max(x, [1, -1])).toThrow(/same axis twice/);
        // The failed ops left x intact.
        expectClose(x, [1, 2, 3, 4, 5, 6]);
      });

      it('a direct engine.run with invalid attrs is rejected before any kernel runs', () => {
        const x = ctx.t([1, 2, 3, 4], [2, 2]);
        expect(() => ctx.engine.run('Max', [x], { axes: [1, 0], keepDims: false })).toThrow(
          /Max|max/,
        );
        expect(() =>
          ctx.engine.run('Cumsum', [x], { axis: 2, exclusive: false, reverse: false }),
        ).toThrow(ShapeError);
        expectClose(x, [1, 2, 3, 4]);
      });
    });

    describe('gradients (float64 finite differences, first and second order)', () => {
      const x = () => ctx.rand([2, 3, 2], 21, -1.5, 1.5);

      it('sum and mean with negative axes, multiple axes and keepDims', () => {
        expectGradients((t) => sum(t, [-1, 0], true), [x()]);
        expectGradients((t) => mean(t, -2), [x()]);
        expectGradients((t) => mean(t), [x()]);
        expectGradients((t) => sum(t.mul(t), 1), [x()]);
      });

      it('max and min (distinct values), non-contiguous axes and keepDims', () => {
        expectGradients((t) => max(t, [0, 2]), [x()]);
        expectGradients((t) => min(t, -1, true), [x()]);
        // Second order through a product with the max: f = max(x)·x.
        expectGradients((t) => max(t, 1, true).mul(t), [x()]);
      });

      it('max/min ties: every tied position gets the full gradient (tfjs semantics)', () => {
        const t = ctx.t([1, 3, 3, 2, 0, 0], [2, 3]);
        const [gMax] = grads((a: Tensor) => max(a, 1))([t], ctx.t([1, 1], [2]));
        expectClose(gMax!, [0, 1, 1, 1, 0, 0]);
        const [gMin] = grads((a: Tensor) => min(a, -1))([t], ctx.t([1, 2], [2]));
        expectClose(gMin!, [1, 0, 0, 0, 2, 2]);
        const [gAll] = grads((a: Tensor) => max(a))([ctx.t([5, 5, 5, 5], [2, 2])]);
        expectClose(gAll!, [1, 1, 1, 1]);
      });

      it('prod, including zeros (exact: no division by x)', () => {
        expectGradients((t) => prod(t, [-1, 0], true), [x()]);
        expectGradients((t) => prod(t, [0, 2]), [x()]);
        const withZero = ctx.t([2, 0, 3, 1.5, -0.5, 1.2, 0.7, 1.1, -1.3], [3, 3]);
        expectGradients((t) => prod(t, 1), [withZero]);
        expectGradients((t) => prod(t), [withZero]);
        const twoZeros = ctx.t([0, 2, 0, 3], [4]);
        expectGradients((t) => prod(t), [twoZeros]);
        const [g] = grads((t: Tensor) => prod(t, 1))(
          [ctx.t([2, 0, 3, 0, 0, 4], [2, 3])],
          ctx.t([1, 1], [2]),
        );
        expectClose(g!, [0, 6, 0, 0, 0, 0]);
      });

      it('logSumExp', () => {
        expectGradients((t) => logSumExp(t, [-1, 0]), [x()]);
        expectGradients((t) => logSumExp(t, 1, true), [x()]);
      });

      it('cumsum and cumprod, every exclusive/reverse combination', () => {
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            expectGradients((t) => cumsum(t, -2, exclusive, reverse), [x()]);
            expectGradients((t) => cumprod(t, 1, exclusive, reverse), [x()]);
          }
        }
      });

      it('cumprod with zeros: exact first-order gradient', () => {
        const z = ctx.t([1.5, 0, -2, 0.5, 0, 0, 1.2, 0.8, -0.7, 2, 0, 1.1], [3, 4]);
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            expectGradCheck((t) => cumprod(t, -1, exclusive, reverse), [z]);
            expectGradCheck((t) => cumprod(t, 0, exclusive, reverse), [z]);
          }
        }
      });

      it('cumsum gradient is the reversed cumsum', () => {
        const [g] = grads((t: Tensor) => cumsum(t))(
          [ctx.t([1, 2, 3], [3])],
          ctx.t([1, 10, 100], [3]),
        );
        expectClose(g!, [111, 110, 100]);
        const [ge] = grads((t: Tensor) => cumsum(t, 0, true))(
          [ctx.t([1, 2, 3], [3])],
          ctx.t([1, 10, 100], [3]),
        );
        expectClose(ge!, [110, 100, 0]);
      });
    });
  });
}
