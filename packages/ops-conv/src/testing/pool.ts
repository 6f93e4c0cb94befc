import type { Tensor } from '@tapegrad/core';
import { grad } from '@tapegrad/core';
import type { SuiteContext } from '@tapegrad/ops-math/testing';
import { expectClose, expectGradCheck, expectSecondOrder } from '@tapegrad/ops-math/testing';
import { describe, expect, it } from 'vitest';
import { avgPool, avgPool3d, maxPool, maxPool3d } from '../index.js';
import type { PadSpec } from '../index.js';
import { expectRef, refOf } from './conv.js';
import type { RefPad, RefWindow } from './reference.js';
import { refPool, refToChannelsFirst } from './reference.js';

function iota(ctx: SuiteContext, shape: number[], scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return ctx.t(
    Array.from({ length: n }, (_, i) => scale * (i + 1)),
    shape,
  );
}

interface PoolCase {
  name: string;
  filter: [number, number];
  strides: [number, number];
  pad: PadSpec;
  rounding?: 'floor' | 'round' | 'ceil';
}

const POOL_CASES: PoolCase[] = [
  { name: 'valid', filter: [2, 2], strides: [2, 2], pad: 'valid' },
  { name: 'valid, overlapping', filter: [3, 2], strides: [1, 1], pad: 'valid' },
  { name: 'same', filter: [3, 3], strides: [1, 1], pad: 'same' },
  { name: 'same, strides 2', filter: [3, 2], strides: [2, 2], pad: 'same' },
  { name: 'pad 1, ceil', filter: [2, 2], strides: [2, 2], pad: 1, rounding: 'ceil' },
  {
    name: 'explicit',
    filter: [2, 3],
    strides: [1, 2],
    pad: [
      [0, 0],
      [1, 0],
      [1, 2],
      [0, 0],
    ],
  },
];

const windowOf = (c: PoolCase): RefWindow => ({
  strides: c.strides,
  dilations: [1, 1],
  pad: c.pad as RefPad,
  ...(c.rounding ? { rounding: c.rounding } : {}),
});

export function poolSuite(ctx: SuiteContext): void {
  describe('pooling', () => {
    describe('forward', () => {
      it('maxPool and avgPool 2×2, stride 2, on a 4×4 image', () => {
        const x = iota(ctx, [1, 4, 4, 1]);
        expectClose(maxPool(x, 2, 2, 'valid'), [6, 8, 14, 16], { shape: [1, 2, 2, 1] });
        expectClose(avgPool(x, 2, 2, 'valid'), [3.5, 5.5, 11.5, 13.5], { shape: [1, 2, 2, 1] });
        expectClose(x.maxPool(2, 2, 'valid'), [6, 8, 14, 16]);
        expectClose(x.avgPool([2, 2], [2, 2], 'valid'), [3.5, 5.5, 11.5, 13.5]);
      });

      it("'same' avgPool divides by the count of real (unpadded) elements", () => {
        const y = avgPool(iota(ctx, [1, 3, 3, 1]), 3, 1, 'same');
        // corner windows hold 4 real elements, edges 6, the centre 9
        expectClose(y, [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7], { shape: [1, 3, 3, 1] });
      });

      it("'same' maxPool never picks the padding (all-negative input)", () => {
        const x = iota(ctx, [1, 3, 3, 1], -1);
        expectClose(maxPool(x, 2, 1, 'same'), [-1, -2, -3, -4, -5, -6, -7, -8, -9]);
      });

      it('rank-3 input, int32 maxPool, float64', () => {
        expectClose(maxPool(iota(ctx, [4, 4, 1]), 2, 2, 'valid'), [6, 8, 14, 16], {
          shape: [2, 2, 1],
        });
        const xi = ctx.t([1, 5, 3, 2], [1, 2, 2, 1], 'int32');
        const yi = maxPool(xi, 2, 1, 'valid');
        expect(yi.dtype).toBe('int32');
        expectClose(yi, [5]);
        const y64 = avgPool(ctx.t([1, 2, 3, 4], [1, 2, 2, 1], 'float64'), 2, 1, 'valid');
        expect(y64.dtype).toBe('float64');
        expectClose(y64, [2.5]);
      });

      for (const c of POOL_CASES) {
        it(`maxPool and avgPool against a direct reference: ${c.name}`, () => {
          const x = ctx.rand([2, 5, 7, 3], 70);
          expectRef(
            maxPool(x, c.filter, c.strides, c.pad, c.rounding),
            refPool(refOf(x), c.filter, windowOf(c), 'max'),
          );
          expectRef(
            avgPool(x, c.filter, c.strides, c.pad, c.rounding),
            refPool(refOf(x), c.filter, windowOf(c), 'avg'),
          );
        });
      }

      it('maxPool3d and avgPool3d (NDHWC and NCDHW) against a direct reference', () => {
        const x = ctx.rand([2, 3, 4, 5, 2], 71);
        const xc = ctx.t(refToChannelsFirst(refOf(x)).data, [2, 2, 3, 4, 5]);
        const cases: [number[], number[], PadSpec][] = [
          [[2, 2, 2], [1, 1, 1], 'valid'],
          [[2, 3, 2], [2, 1, 2], 'same'],
          [[1, 2, 2], [1, 2, 2], 'valid'],
        ];
        for (const [f, s, pad] of cases) {
          const win: RefWindow = { strides: s, dilations: [1, 1, 1], pad: pad as RefPad };
          const f3 = f as [number, number, number];
          const s3 = s as [number, number, number];
          const refMax = refPool(refOf(x), f, win, 'max');
          const refAvg = refPool(refOf(x), f, win, 'avg');
          expectRef(maxPool3d(x, f3, s3, pad), refMax);
          expectRef(avgPool3d(x, f3, s3, pad), refAvg);
          expectRef(maxPool3d(xc, f3, s3, pad, undefined, 'NCDHW'), refToChannelsFirst(refMax));
          expectRef(avgPool3d(xc, f3, s3, pad, undefined, 'NCDHW'), refToChannelsFirst(refAvg));
        }
      });
    });

    describe('gradients', () => {
      it('maxPool routes each gradient to the (first) max of its window', () => {
        const f = (x: Tensor) => maxPool(x, 2, 1, 'valid');
        expectClose(
          grad(f)(iota(ctx, [1, 3, 3, 1]), ctx.t([1, 1, 1, 1], [1, 2, 2, 1])),
          [0, 0, 0, 0, 1, 1, 0, 1, 1],
        );
        expectClose(
          grad(f)(iota(ctx, [1, 3, 3, 1]), ctx.t([1, 2, 3, 4], [1, 2, 2, 1])),
          [0, 0, 0, 0, 1, 2, 0, 3, 4],
        );
        // ties: the first element of each window wins
        expectClose(
          grad(f)(
            ctx.t(new Array<number>(9).fill(1), [1, 3, 3, 1]),
            ctx.t([1, 1, 1, 1], [1, 2, 2, 1]),
          ),
          [1, 1, 0, 1, 1, 0, 0, 0, 0],
        );
      });

      it("'same' avgPool's gradient spreads dy / (count of real elements)", () => {
        const x = iota(ctx, [1, 3, 3, 1]);
        const dx = grad((t: Tensor) => avgPool(t, 3, 1, 'same'))(
          x,
          ctx.t(new Array<number>(9).fill(1), [1, 3, 3, 1]),
        );
        const count = (i: number) => (i === 1 ? 3 : 2); // real rows (or columns) of a window centred at i
        const want: number[] = [];
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) {
            let s = 0;
            for (let oi = 0; oi < 3; oi++)
              for (let oj = 0; oj < 3; oj++)
                if (Math.abs(oi - i) <= 1 && Math.abs(oj - j) <= 1)
                  s += 1 / (count(oi) * count(oj));
            want.push(s);
          }
        }
        expectClose(dx, want);
      });

      for (const c of POOL_CASES) {
        it(`maxPool and avgPool gradchecks: ${c.name}`, () => {
          expectGradCheck(
            (x) => maxPool(x, c.filter, c.strides, c.pad, c.rounding),
            [ctx.rand([2, 4, 5, 2], 72)],
          );
          expectGradCheck(
            (x) => avgPool(x, c.filter, c.strides, c.pad, c.rounding),
            [ctx.rand([2, 4, 5, 2], 73)],
          );
        });
      }

      it('maxPool3d and avgPool3d gradchecks', () => {
        expectGradCheck((x) => maxPool3d(x, 2, 1, 'same'), [ctx.rand([1, 3, 3, 3, 2], 74)]);
        expectGradCheck(
          (x) => avgPool3d(x, [2, 2, 1], [2, 1, 1], 'same'),
          [ctx.rand([1, 3, 3, 3, 2], 75)],
        );
        expectGradCheck(
          (x) => avgPool3d(x, 2, 1, 'valid', undefined, 'NCDHW'),
          [ctx.rand([1, 2, 3, 3, 3], 76)],
        );
      });

      it('second order: maxPool and avgPool (and through a nonlinearity)', () => {
        expectSecondOrder((x) => maxPool(x, 2, 1, 'same'), [ctx.rand([1, 3, 3, 2], 77)]);
        expectSecondOrder((x) => avgPool(x, 2, 1, 'same'), [ctx.rand([1, 3, 3, 2], 78)]);
        expectSecondOrder((x) => maxPool3d(x, 2, 1, 'valid'), [ctx.rand([1, 2, 3, 3, 1], 79)]);
        expectSecondOrder((x) => avgPool3d(x, 2, 1, 'same'), [ctx.rand([1, 2, 2, 3, 1], 80)]);
        expectSecondOrder(
          (x) => {
            const y = maxPool(x, 2, 2, 'valid');
            return y.mul(y).sum();
          },
          [ctx.rand([1, 4, 4, 1], 81)],
        );
      });
    });
  });
}
