import type { Tensor } from '@tapegrad/core';
import { ArgumentError, DTypeError, ShapeError, grads } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import { mul } from '../ops/elementwise/mul.js';
import { sum } from '../ops/reduction/sum.js';
import {
  clone,
  concat,
  expandDims,
  gather,
  gatherND,
  oneHot,
  pad,
  reshape,
  reverse,
  scatterND,
  slice,
  split,
  squeeze,
  stack,
  stridedSlice,
  tensorScatterUpdate,
  tile,
  transpose,
  unsortedSegmentSum,
  unstack,
} from '../ops/shape/index.js';
import type { SuiteContext } from './helpers.js';
import { expectClose, expectGradients } from './helpers.js';

/** 0, 1, ..., n-1 as a float tensor of `shape`. */
function iota(ctx: SuiteContext, shape: number[], dtype: 'float32' | 'int32' = 'float32'): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return ctx.t(
    Array.from({ length: n }, (_, i) => i),
    shape,
    dtype,
  );
}

/** An int32 index tensor [0]. */
const idx1 = (ctx: SuiteContext): Tensor => ctx.t([0], undefined, 'int32');

/** f(x) * f(x): makes the second derivative of a linear op non-trivial. */
const squared =
  (f: (x: Tensor) => Tensor) =>
  (x: Tensor): Tensor => {
    const y = f(x);
    return mul(y, y);
  };

/** Asserts that `fn` throws `type` with a message matching every pattern. */
function expectError(
  fn: () => unknown,
  type: new (...args: never[]) => Error,
  ...patterns: (string | RegExp)[]
): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error').toBeInstanceOf(type);
  for (const p of patterns) expect((caught as Error).message).toMatch(p);
}

/** Conformance tests of the shape ops. */
export function shapeSuite(ctx: SuiteContext): void {
  describe('shape', () => {
    describe('transpose', () => {
      it('reverses the dimensions by default (matrix transpose)', () => {
        const x = ctx.t([
          [1, 2, 3],
          [4, 5, 6],
        ]);
        expectClose(
          transpose(x),
          [
            [1, 4],
            [2, 5],
            [3, 6],
          ],
          { shape: [3, 2] },
        );
        expectClose(x.transpose(), [1, 4, 2, 5, 3, 6]);
      });
      it('permutes rank 3 and 4 tensors, with negative perm entries', () => {
        const x = iota(ctx, [2, 3, 2]);
        // out[i][j][k] = x[j][k][i]
        expectClose(transpose(x, [2, 0, 1]), [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11], {
          shape: [2, 2, 3],
        });
        expectClose(transpose(x, [-1, 0, 1]), [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11], {
          shape: [2, 2, 3],
        });
        const y = iota(ctx, [1, 2, 1, 3]);
        expectClose(transpose(y, [0, 3, 2, 1]), [0, 3, 1, 4, 2, 5], { shape: [1, 3, 1, 2] });
      });
      it('keeps int32 and bool dtypes; rank 0 and empty tensors', () => {
        const i = transpose(
          ctx.t(
            [
              [1, 2],
              [3, 4],
            ],
            undefined,
            'int32',
          ),
        );
        expect(i.dtype).toBe('int32');
        expectClose(i, [1, 3, 2, 4]);
        const b = transpose(ctx.t([[true, false, false]]));
        expect(b.dtype).toBe('bool');
        expectClose(b, [1, 0, 0], { shape: [3, 1] });
        expectClose(transpose(ctx.t(5)), [5], { shape: [] });
        expectClose(transpose(ctx.t([], [0, 2])), [], { shape: [2, 0] });
      });
      it('gradients (first and second order)', () => {
        expectGradients(
          squared((x) => transpose(x, [1, 2, 0])),
          [ctx.rand([2, 3, 2], 1)],
        );
      });
      it('rejects a perm that is not a permutation', () => {
        const x = ctx.t([[1, 2]]);
        expectError(() => transpose(x, [0, 0]), ShapeError, 'transpose', 'perm [0,0]', '[1,2]');
        expectError(() => transpose(x, [0]), ShapeError, 'not a permutation');
        expectError(() => transpose(x, [0, 2]), ShapeError, 'valid');
        expectClose(x, [1, 2], { shape: [1, 2] });
      });
    });

    describe('slice', () => {
      it('rank 1 with numbers, size -1 and default size', () => {
        const x = ctx.t([1, 2, 3, 4, 5]);
        expectClose(slice(x, 1, 2), [2, 3], { shape: [2] });
        expectClose(slice(x, 2, -1), [3, 4, 5]);
        expectClose(slice(x, 3), [4, 5]);
        expectClose(x.slice([1], [3]), [2, 3, 4]);
        expectClose(slice(x, 5, 0), [], { shape: [0] });
      });
      it('rank 2 and 3, begin shorter than the rank', () => {
        const x = iota(ctx, [3, 4]);
        expectClose(slice(x, [1, 1], [2, 2]), [5, 6, 9, 10], { shape: [2, 2] });
        expectClose(slice(x, [1, 0], [1, -1]), [4, 5, 6, 7], { shape: [1, 4] });
        expectClose(slice(x, [2]), [8, 9, 10, 11], { shape: [1, 4] });
        const y = iota(ctx, [2, 2, 3]);
        expectClose(slice(y, [0, 1, 1], [2, 1, 2]), [4, 5, 10, 11], { shape: [2, 1, 2] });
      });
      it('int32 and bool', () => {
        const i = slice(ctx.t([7, 8, 9], undefined, 'int32'), 1);
        expect(i.dtype).toBe('int32');
        expectClose(i, [8, 9]);
        const b = slice(ctx.t([true, false, true]), 1, 1);
        expect(b.dtype).toBe('bool');
        expectClose(b, [0]);
      });
      it('gradients (first and second order)', () => {
        expectGradients(
          squared((x) => slice(x, [1, 0, 1], [1, 2, -1])),
          [ctx.rand([2, 3, 3], 2)],
        );
      });
      it('rejects out-of-bounds slices and leaves x intact', () => {
        const x = ctx.t([[1, 2, 3]]);
        expectError(
          () => slice(x, [0, 2], [1, 2]),
          ShapeError,
          'slice',
          'out of bounds',
          '[1,3]',
          'dimension 1',
        );
        expectError(() => slice(x, [0, -1]), ShapeError, 'slice');
        expectError(() => slice(x, [0, 0, 0]), ShapeError, 'more entries');
        expectError(() => slice(ctx.t(1), 0), ShapeError, 'scalar');
        expectClose(x, [1, 2, 3], { shape: [1, 3] });
      });
    });

    describe('stridedSlice', () => {
      const x6 = () => ctx.t([0, 1, 2, 3, 4, 5]);
      it('positive strides, negative indices, clamping', () => {
        expectClose(stridedSlice(ctx.t([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), [1], [8], [3]), [1, 4, 7], {
          shape: [3],
        });
        expectClose(stridedSlice(x6(), [-3], [6]), [3, 4, 5]);
        expectClose(stridedSlice(x6(), [1], [100], [2]), [1, 3, 5]);
        expectClose(stridedSlice(x6(), [4], [2]), [], { shape: [0] });
      });
      it('negative strides and begin/end masks', () => {
        expectClose(stridedSlice(x6(), [5], [0], [-2]), [5, 3, 1]);
        expectClose(stridedSlice(x6(), [0], [0], [-1], 1, 1), [5, 4, 3, 2, 1, 0]);
        expectClose(stridedSlice(x6(), [-2], [0], [-1], 0, 1), [4, 3, 2, 1, 0]);
        expectClose(stridedSlice(x6(), [0], [2], [1], 1, 0), [0, 1]);
      });
      it('rank 2 with shrinkAxisMask and newAxisMask', () => {
        const x = iota(ctx, [3, 4]);
        // x[1, 0:4:2]
        expectClose(stridedSlice(x, [1, 0], [2, 4], [1, 2], 0, 0, 0, 0, 1), [4, 6], { shape: [2] });
        // x[newaxis, 0:1] (the rest implied)
        expectClose(stridedSlice(x, [0, 0], [1, 1], [1, 1], 0, 0, 0, 1), [0, 1, 2, 3], {
          shape: [1, 1, 4],
        });
        // x[-1, ::-1]
        expectClose(stridedSlice(x, [-1, 0], [0, 0], [1, -1], 2, 2, 0, 0, 1), [11, 10, 9, 8], {
          shape: [4],
        });
        expectClose(x.stridedSlice([0, 1], [3, 4], [2, 2]), [1, 3, 9, 11], { shape: [2, 2] });
      });
      it('ellipsisMask (rank 3) and int32/bool dtypes', () => {
        const x = iota(ctx, [2, 3, 4]);
        // x[..., 1:3]
        const y = stridedSlice(x, [0, 1], [0, 3], [1, 1], 0, 0, 1);
        expect([...y.shape]).toEqual([2, 3, 2]);
        expectClose(slice(y, [1, 2, 0], [1, 1, 2]), [21, 22]);
        // x[1, ..., newaxis, ::-2]
        const z = stridedSlice(x, [1, 0, 0, 0], [2, 0, 0, 0], [1, 1, 1, -2], 8, 8, 2, 4, 1);
        expectClose(z, [15, 13, 19, 17, 23, 21], { shape: [3, 1, 2] });
        const i = stridedSlice(ctx.t([1, 2, 3, 4], undefined, 'int32'), [3], [0], [-2]);
        expect(i.dtype).toBe('int32');
        expectClose(i, [4, 2]);
        const b = stridedSlice(ctx.t([true, false, true]), [0], [3], [2]);
        expect(b.dtype).toBe('bool');
        expectClose(b, [1, 1]);
      });
      it('gradients (first and second order), including negative strides, shrink and new axes', () => {
        expectGradients(
          squared((x) => stridedSlice(x, [0, -1], [5, 0], [2, -2], 0, 2)),
          [ctx.rand([5, 4], 3)],
        );
        expectGradients(
          squared((x) => stridedSlice(x, [1, 0, 0], [2, 0, 3], [1, 1, 3], 0, 0, 0, 2, 1)),
          [ctx.rand([2, 3, 5], 4)],
        );
      });
      it('rejects zero strides, out-of-range shrinks and bad masks', () => {
        const x = iota(ctx, [3, 4]);
        expectError(
          () => stridedSlice(x, [0], [1], [0]),
          ArgumentError,
          'stridedSlice',
          'strides',
          'non-zero',
        );
        expectError(
          () => stridedSlice(x, [5], [6], [1], 0, 0, 0, 0, 1),
          ShapeError,
          'shrinkAxisMask',
          '[3,4]',
          'valid',
        );
        expectError(
          () => stridedSlice(x, [0, 0, 0], [1, 1, 1]),
          ShapeError,
          'more dimensions',
          '[3,4]',
        );
        expectError(
          () => stridedSlice(x, [0, 0], [1, 1], [1, 1], 0, 0, 3),
          ArgumentError,
          'ellipsis',
        );
        expectError(() => stridedSlice(x, [0, 0], [1]), ArgumentError, 'same length');
        expectClose(x, iota(ctx, [3, 4]).dataSync());
      });
    });

    describe('concat', () => {
      it('rank 1, rank 2 along both axes, negative axis, method form', () => {
        expectClose(concat([ctx.t([1, 2]), ctx.t([3]), ctx.t([4, 5])]), [1, 2, 3, 4, 5], {
          shape: [5],
        });
        const a = ctx.t([
          [1, 2],
          [3, 4],
        ]);
        const b = ctx.t([[5, 6]]);
        expectClose(concat([a, b]), [1, 2, 3, 4, 5, 6], { shape: [3, 2] });
        const c = ctx.t([[7], [8]]);
        expectClose(concat([a, c], 1), [1, 2, 7, 3, 4, 8], { shape: [2, 3] });
        expectClose(concat([a, c], -1), [1, 2, 7, 3, 4, 8], { shape: [2, 3] });
        expectClose(a.concat(b), [1, 2, 3, 4, 5, 6], { shape: [3, 2] });
        expectClose(a.concat([c, c], 1), [1, 2, 7, 7, 3, 4, 8, 8], { shape: [2, 4] });
      });
      it('rank 3, int32 and bool, upcasting, one tensor, empty pieces', () => {
        const x = iota(ctx, [2, 1, 2]);
        expectClose(concat([x, x], 1), [0, 1, 0, 1, 2, 3, 2, 3], { shape: [2, 2, 2] });
        const i = concat([ctx.t([1], undefined, 'int32'), ctx.t([2, 3], undefined, 'int32')]);
        expect(i.dtype).toBe('int32');
        expectClose(i, [1, 2, 3]);
        const bl = concat([ctx.t([true]), ctx.t([false, true])]);
        expect(bl.dtype).toBe('bool');
        expectClose(bl, [1, 0, 1]);
        const up = concat([ctx.t([1], undefined, 'int32'), ctx.t([2.5])]);
        expect(up.dtype).toBe('float32');
        expectClose(up, [1, 2.5]);
        expectClose(concat([ctx.t([1, 2])]), [1, 2]);
        expectClose(concat([ctx.t([], [0, 2]), ctx.t([[1, 2]])]), [1, 2], { shape: [1, 2] });
      });
      it('gradients (first and second order)', () => {
        expectGradients(
          (a, b) => mul(concat([a, b, a], 1), concat([b, a, b], 1)),
          [ctx.rand([2, 2], 5), ctx.rand([2, 2], 6)],
        );
        expectGradients(
          squared((x) => concat([x, x], 0)),
          [ctx.rand([3], 7)],
        );
      });
      it('names the offending tensor and shapes', () => {
        const a = ctx.t([[1, 2]]);
        const b = ctx.t([[1, 2, 3]]);
        expectError(
          () => concat([a, a, b], 0),
          ShapeError,
          'concat',
          'tensors[2]',
          '[1,3]',
          '[1,2]',
          'axis 0',
        );
        expectError(() => concat([a, ctx.t([1, 2])]), ShapeError, 'tensors[1]', 'rank 2');
        expectError(() => concat([a, a], 2), ShapeError, 'axis 2', 'valid: -2..1');
        expectError(() => concat([ctx.t(1), ctx.t(2)]), ShapeError, 'scalar');
        expectError(() => concat([]), ArgumentError, 'at least one');
        expectClose(a, [1, 2], { shape: [1, 2] });
      });
    });

    describe('stack / unstack', () => {
      it('stack along a new axis (0, 1, -1), method form, int32', () => {
        const a = ctx.t([1, 2]);
        const b = ctx.t([3, 4]);
        expectClose(stack([a, b]), [1, 2, 3, 4], { shape: [2, 2] });
        expectClose(stack([a, b], 1), [1, 3, 2, 4], { shape: [2, 2] });
        expectClose(stack([a, b], -1), [1, 3, 2, 4], { shape: [2, 2] });
        expectClose(a.stack(b), [1, 2, 3, 4], { shape: [2, 2] });
        expectClose(stack([ctx.t(1), ctx.t(2), ctx.t(3)]), [1, 2, 3], { shape: [3] });
        const i = stack([ctx.t([1], undefined, 'int32'), ctx.t([2], undefined, 'int32')]);
        expect(i.dtype).toBe('int32');
        expectClose(i, [1, 2], { shape: [2, 1] });
      });
      it('unstack along axes 0, 1 and -1', () => {
        const x = iota(ctx, [2, 3]);
        const rows = unstack(x);
        expect(rows.length).toBe(2);
        expectClose(rows[1]!, [3, 4, 5], { shape: [3] });
        const cols = x.unstack(1);
        expect(cols.length).toBe(3);
        expectClose(cols[2]!, [2, 5], { shape: [2] });
        expectClose(unstack(x, -1)[0]!, [0, 3]);
        const bools = unstack(ctx.t([true, false]));
        expect(bools[1]!.dtype).toBe('bool');
        expectClose(bools[1]!, [0], { shape: [] });
      });
      it('gradients (first and second order)', () => {
        expectGradients(
          (a, b) => mul(stack([a, b], 1), stack([b, a], 1)),
          [ctx.rand([2, 3], 8), ctx.rand([2, 3], 9)],
        );
        expectGradients(
          (x) => {
            const [p, q, r] = unstack(x, 1);
            return mul(mul(p!, q!), r!);
          },
          [ctx.rand([2, 3, 2], 10)],
        );
      });
      it('errors name the tensor and shapes', () => {
        expectError(
          () => stack([ctx.t([1, 2]), ctx.t([1, 2, 3])]),
          ShapeError,
          'stack',
          'tensors[1]',
          '[3]',
          '[2]',
        );
        expectError(() => stack([ctx.t([1, 2])], 2), ShapeError, 'axis 2', 'valid: -2..1');
        expectError(() => unstack(ctx.t([1, 2]), 1), ShapeError, 'unstack', 'axis 1');
      });
    });

    describe('split', () => {
      it('equal pieces, sizes with -1, along axis 1', () => {
        const parts = split(ctx.t([1, 2, 3, 4, 5, 6]), 3);
        expect(parts.length).toBe(3);
        expectClose(parts[2]!, [5, 6], { shape: [2] });
        const [a, b] = split(ctx.t([1, 2, 3, 4, 5, 6]), [1, -1]);
        expectClose(a!, [1]);
        expectClose(b!, [2, 3, 4, 5, 6]);
        const x = iota(ctx, [2, 4]);
        const [c, d] = x.split([3, 1], 1);
        expectClose(c!, [0, 1, 2, 4, 5, 6], { shape: [2, 3] });
        expectClose(d!, [3, 7], { shape: [2, 1] });
        const [only] = split(ctx.t([1, 2], undefined, 'int32'), 1);
        expect(only!.dtype).toBe('int32');
        expectClose(only!, [1, 2]);
      });
      it('gradients (first and second order), also when a piece is unused', () => {
        expectGradients(
          (x) => {
            const [a, b] = split(x, 2, 1);
            return mul(a!, b!);
          },
          [ctx.rand([2, 4], 11)],
        );
        expectGradients(
          squared((x) => split(x, [1, 2, 1])[1]!),
          [ctx.rand([4, 2], 12)],
        );
      });
      it('rejects sizes that do not add up', () => {
        const x = ctx.t([1, 2, 3, 4, 5]);
        expectError(() => split(x, 2), ShapeError, 'split', 'divides', '[5]');
        expectError(() => split(x, [1, 2]), ShapeError, 'sum', '[5]');
        expectError(() => split(x, [-1, -1]), ShapeError, 'one -1');
        expectError(() => split(x, 1, 1), ShapeError, 'axis 1');
      });
    });

    describe('gather', () => {
      it('axis 0 on rank 1 and 2, indices of rank 0 and 2, repeated indices', () => {
        expectClose(gather(ctx.t([10, 20, 30]), [2, 0, 2]), [30, 10, 30], { shape: [3] });
        const x = iota(ctx, [3, 2]);
        expectClose(gather(x, ctx.t([2, 0], undefined, 'int32')), [4, 5, 0, 1], { shape: [2, 2] });
        expectClose(gather(x, 1), [2, 3], { shape: [2] });
        expectClose(
          gather(x, [
            [0, 1],
            [1, 1],
          ]),
          [0, 1, 2, 3, 2, 3, 2, 3],
          { shape: [2, 2, 2] },
        );
        expectClose(x.gather([1]), [2, 3], { shape: [1, 2] });
      });
      it('axis 1 and -1, rank 3, int32 and bool', () => {
        const x = iota(ctx, [2, 3]);
        expectClose(gather(x, [2, 0], 1), [2, 0, 5, 3], { shape: [2, 2] });
        expectClose(gather(x, [1], -1), [1, 4], { shape: [2, 1] });
        const y = iota(ctx, [2, 3, 2]);
        expectClose(gather(y, [0, 2], 1), [0, 1, 4, 5, 6, 7, 10, 11], { shape: [2, 2, 2] });
        const i = gather(ctx.t([5, 6, 7], undefined, 'int32'), [1]);
        expect(i.dtype).toBe('int32');
        expectClose(i, [6]);
        const b = gather(ctx.t([true, false]), [1, 0]);
        expect(b.dtype).toBe('bool');
        expectClose(b, [0, 1]);
        expectClose(gather(x, ctx.t([], [0], 'int32')), [], { shape: [0, 3] });
      });
      it('batchDims', () => {
        const x = iota(ctx, [2, 3]);
        // out[b, j] = x[b, idx[b, j]]
        expectClose(
          gather(
            x,
            [
              [2, 0],
              [1, 1],
            ],
            1,
            1,
          ),
          [2, 0, 4, 4],
          { shape: [2, 2] },
        );
        const y = iota(ctx, [2, 2, 3]);
        // batch 1, axis 2: out[b, m, j] = y[b, m, idx[b, j]]
        expectClose(gather(y, [[0], [2]], 2, 1), [0, 3, 8, 11], { shape: [2, 2, 1] });
      });
      it('gradients (first and second order): axis 0, axis 1 with repeats, batchDims', () => {
        const idx = ctx.t(
          [
            [2, 0],
            [2, 2],
          ],
          undefined,
          'int32',
        );
        expectGradients(
          squared((x) => gather(x, idx)),
          [ctx.rand([3, 2], 13)],
        );
        expectGradients(
          squared((x) => gather(x, [1, 1, 0], 1)),
          [ctx.rand([2, 3, 2], 14)],
        );
        expectGradients(
          squared((x) =>
            gather(
              x,
              [
                [0, 0],
                [2, 1],
              ],
              2,
              1,
            ),
          ),
          [ctx.rand([2, 2, 3, 2], 15)],
        );
      });
      it('rejects out-of-range and non-integer indices', () => {
        const x = ctx.t([1, 2, 3]);
        expectError(
          () => gather(x, [0, 3]),
          ArgumentError,
          'gather',
          '3',
          'out of range',
          'valid: 0..2',
          '[3]',
        );
        expectError(() => gather(x, [-1]), ArgumentError, 'out of range');
        expectError(
          () => gather(x, ctx.t([0.5])),
          DTypeError,
          'gather',
          'indices',
          'int32',
          'float32',
        );
        expectError(() => gather(x, [1.5]), DTypeError, 'integers');
        expectError(() => gather(x, [0], 1), ShapeError, 'axis 1', '[3]');
        expectError(
          () => gather(iota(ctx, [2, 3]), [[0], [1], [0]], 1, 1),
          ShapeError,
          'batchDims',
          'dimension 0',
        );
        expectClose(x, [1, 2, 3]);
      });
    });

    describe('unsortedSegmentSum', () => {
      it('sums rows by segment (rank 1, rank 2, int32, empty segments)', () => {
        expectClose(unsortedSegmentSum(ctx.t([1, 2, 3, 4]), [0, 1, 0, 1], 2), [4, 6], {
          shape: [2],
        });
        const x = iota(ctx, [3, 2]);
        expectClose(unsortedSegmentSum(x, [2, 0, 2], 4), [2, 3, 0, 0, 4, 6, 0, 0], {
          shape: [4, 2],
        });
        const i = unsortedSegmentSum(
          ctx.t([1, 2, 3], undefined, 'int32'),
          ctx.t([1, 1, 0], undefined, 'int32'),
          2,
        );
        expect(i.dtype).toBe('int32');
        expectClose(i, [3, 3]);
        expectClose(x.unsortedSegmentSum([0, 0, 0], 1), [6, 9], { shape: [1, 2] });
      });
      it('gradients (first and second order)', () => {
        expectGradients(
          squared((x) => unsortedSegmentSum(x, [1, 0, 1, 1], 3)),
          [ctx.rand([4, 2], 16)],
        );
      });
      it('rejects out-of-range ids and bad shapes', () => {
        const x = ctx.t([1, 2, 3]);
        expectError(
          () => unsortedSegmentSum(x, [0, 3, 1], 3),
          ArgumentError,
          'unsortedSegmentSum',
          'out of range',
          'numSegments 3',
        );
        expectError(() => unsortedSegmentSum(x, [0, 1], 3), ShapeError, 'prefix', '[2]', '[3]');
        expectError(() => unsortedSegmentSum(x, ctx.t([0, 1, 2]), 3), DTypeError, 'int32');
        expectError(() => unsortedSegmentSum(x, [0, 1, 2], -1), ArgumentError, 'numSegments');
        expectClose(x, [1, 2, 3]);
      });
    });

    describe('pad', () => {
      it('rank 1, 2 and 3 with a constant; int32 and bool', () => {
        expectClose(pad(ctx.t([1, 2]), [[1, 2]]), [0, 1, 2, 0, 0], { shape: [5] });
        expectClose(
          pad(
            ctx.t([
              [1, 2],
              [3, 4],
            ]),
            [
              [1, 0],
              [0, 1],
            ],
            9,
          ),
          [9, 9, 9, 1, 2, 9, 3, 4, 9],
          { shape: [3, 3] },
        );
        expectClose(
          pad(iota(ctx, [1, 1, 2]), [
            [0, 0],
            [1, 0],
            [0, 0],
          ]),
          [0, 0, 0, 1],
          { shape: [1, 2, 2] },
        );
        const i = pad(ctx.t([5], undefined, 'int32'), [[1, 1]], -1);
        expect(i.dtype).toBe('int32');
        expectClose(i, [-1, 5, -1]);
        const b = ctx.t([true]).pad([[0, 1]]);
        expect(b.dtype).toBe('bool');
        expectClose(b, [1, 0]);
        expectClose(pad(ctx.t([], [0]), [[1, 1]], 3), [3, 3]);
      });
      it('gradients (first and second order)', () => {
        expectGradients(
          squared((x) =>
            pad(
              x,
              [
                [1, 2],
                [0, 1],
              ],
              0.5,
            ),
          ),
          [ctx.rand([2, 3], 17)],
        );
      });
      it('rejects negative or malformed paddings', () => {
        const x = ctx.t([[1, 2]]);
        expectError(
          () =>
            pad(x, [
              [0, 0],
              [-1, 0],
            ]),
          ShapeError,
          'pad',
          'non-negative',
          '[1,2]',
          'entry 1',
        );
        expectError(
          () => pad(x, [[0, 0]]),
          ShapeError,
          'pad',
          'one [before, after] pair per dimension',
        );
        expectClose(x, [1, 2]);
      });
    });

    describe('tile', () => {
      it('rank 1, 2 and 3; int32 and bool; zero reps', () => {
        expectClose(tile(ctx.t([1, 2]), [3]), [1, 2, 1, 2, 1, 2]);
        expectClose(
          tile(
            ctx.t([
              [1, 2],
              [3, 4],
            ]),
            [2, 1],
          ),
          [1, 2, 3, 4, 1, 2, 3, 4],
          { shape: [4, 2] },
        );
        expectClose(
          tile(
            ctx.t([
              [1, 2],
              [3, 4],
            ]),
            [1, 2],
          ),
          [1, 2, 1, 2, 3, 4, 3, 4],
          { shape: [2, 4] },
        );
        expectClose(tile(iota(ctx, [1, 2, 1]), [2, 1, 2]), [0, 0, 1, 1, 0, 0, 1, 1], {
          shape: [2, 2, 2],
        });
        const i = ctx.t([7], undefined, 'int32').tile([2]);
        expect(i.dtype).toBe('int32');
        expectClose(i, [7, 7]);
        const b = tile(ctx.t([true, false]), [2]);
        expect(b.dtype).toBe('bool');
        expectClose(b, [1, 0, 1, 0]);
        expectClose(tile(ctx.t([1, 2]), [0]), [], { shape: [0] });
      });
      it('gradients (first and second order)', () => {
        expectGradients(
          squared((x) => tile(x, [2, 1, 3])),
          [ctx.rand([2, 2, 1], 18)],
        );
      });
      it('rejects reps of the wrong length or sign', () => {
        expectError(() => tile(ctx.t([[1, 2]]), [2]), ShapeError, 'tile', 'reps', '2 entries');
        expectError(() => tile(ctx.t([1, 2]), [-1]), ShapeError, 'tile', 'non-negative', '[2]');
      });
    });

    describe('reverse', () => {
      it('all axes, one axis, several axes, negative axes; int32 and bool', () => {
        expectClose(reverse(ctx.t([1, 2, 3])), [3, 2, 1]);
        const x = iota(ctx, [2, 3]);
        expectClose(reverse(x), [5, 4, 3, 2, 1, 0], { shape: [2, 3] });
        expectClose(reverse(x, 0), [3, 4, 5, 0, 1, 2]);
        expectClose(x.reverse(-1), [2, 1, 0, 5, 4, 3]);
        expectClose(reverse(iota(ctx, [2, 2, 2]), [0, 2]), [5, 4, 7, 6, 1, 0, 3, 2]);
        const i = reverse(ctx.t([1, 2], undefined, 'int32'));
        expect(i.dtype).toBe('int32');
        expectClose(i, [2, 1]);
        expectClose(reverse(ctx.t([true, false])), [0, 1]);
        expectClose(reverse(ctx.t(4)), [4], { shape: [] });
      });
      it('gradients (first and second order)', () => {
        expectGradients(
          squared((x) => reverse(x, [0, 2])),
          [ctx.rand([2, 3, 2], 19)],
        );
      });
      it('rejects bad axes', () => {
        expectError(() => reverse(ctx.t([1, 2]), 1), ShapeError, 'reverse', 'axis 1', 'rank 1');
        expectError(() => reverse(ctx.t([[1, 2]]), [0, -2]), ShapeError, 'same axis twice');
      });
    });

    describe('expandDims / squeeze / reshape / clone', () => {
      it('expandDims at 0, the end and negative axes (aliasing, no copy)', () => {
        const x = ctx.t([[1, 2, 3]]);
        expect([...expandDims(x).shape]).toEqual([1, 1, 3]);
        expect([...expandDims(x, 2).shape]).toEqual([1, 3, 1]);
        expect([...x.expandDims(-1).shape]).toEqual([1, 3, 1]);
        expect([...expandDims(x, -3).shape]).toEqual([1, 1, 3]);
        expectClose(expandDims(ctx.t(5)), [5], { shape: [1] });
        const before = ctx.engine.memory().numDataBuffers;
        const y = expandDims(x, 1);
        expect(ctx.engine.memory().numDataBuffers).toBe(before);
        expectClose(y, [1, 2, 3], { shape: [1, 1, 3] });
        expect(expandDims(ctx.t([true]), 0).dtype).toBe('bool');
      });
      it('squeeze all size-1 dimensions or the given ones', () => {
        const x = iota(ctx, [1, 3, 1, 2]);
        expectClose(squeeze(x), [0, 1, 2, 3, 4, 5], { shape: [3, 2] });
        expect([...squeeze(x, [2]).shape]).toEqual([1, 3, 2]);
        expect([...x.squeeze([0, -2]).shape]).toEqual([3, 2]);
        expect([...squeeze(ctx.t([[7]], undefined, 'int32')).shape]).toEqual([]);
      });
      it('clone has the same values and passes gradients', () => {
        const x = ctx.t([1, 2], undefined, 'int32');
        const c = clone(x);
        expect(c).not.toBe(x);
        expect(c.dtype).toBe('int32');
        expectClose(c, [1, 2]);
        expectClose(ctx.t([3]).clone(), [3]);
        expectGradients(
          squared((v) => clone(v)),
          [ctx.rand([3], 20)],
        );
      });
      it('gradients of expandDims, squeeze and reshape (first and second order)', () => {
        expectGradients(
          (x) => mul(expandDims(x, 1), squeeze(reshape(x, [2, 1, 3]), 1)),
          [ctx.rand([2, 3], 21)],
        );
      });
      it('errors: bad axes and squeezing a non-1 dimension', () => {
        expectError(
          () => expandDims(ctx.t([1, 2]), 3),
          ShapeError,
          'expandDims',
          'axis 3',
          'valid: -2..1',
        );
        expectError(
          () => squeeze(ctx.t([[1, 2]]), 1),
          ShapeError,
          'squeeze',
          'axis 1',
          '[1,2]',
          'size is 2',
        );
        expectError(() => squeeze(ctx.t([[1, 2]]), 2), ShapeError, 'squeeze', 'out of range');
      });
    });

    describe('oneHot', () => {
      it('int32 by default; custom values and dtype; out-of-range indices give off rows', () => {
        const y = oneHot(ctx.t([0, 2, 1], undefined, 'int32'), 3);
        expect(y.dtype).toBe('int32');
        expectClose(y, [1, 0, 0, 0, 0, 1, 0, 1, 0], { shape: [3, 3] });
        const z = oneHot(ctx.t([[1], [5]], undefined, 'int32'), 2, 5, -1, 'float32');
        expect(z.dtype).toBe('float32');
        expectClose(z, [-1, 5, -1, -1], { shape: [2, 1, 2] });
        expectClose(ctx.t([-1, 0], undefined, 'int32').oneHot(2), [0, 0, 1, 0]);
        expectClose(oneHot(ctx.t(1, undefined, 'int32'), 3), [0, 1, 0], { shape: [3] });
        expect(oneHot(idx1(ctx), 2, 1, 0, 'bool').dtype).toBe('bool');
      });
      it('carries no gradient and rejects float indices', () => {
        const idx = ctx.t([0, 1], undefined, 'int32');
        const x = ctx.t([1, 2]).requiresGrad_();
        const y = mul(x, oneHot(idx, 2, 1, 0, 'float32'));
        expect(y.requiresGrad).toBe(true);
        expectError(() => oneHot(ctx.t([0.5, 1]), 2), DTypeError, 'oneHot', 'int32', 'float32');
        expectError(() => oneHot(idx, -1), ArgumentError, 'oneHot', 'depth');
      });
    });

    describe('gatherND / scatterND / tensorScatterUpdate', () => {
      it('gatherND picks elements and slices; scatterND adds duplicates; tensorScatterUpdate replaces', () => {
        const x = iota(ctx, [2, 3]);
        expectClose(
          gatherND(
            x,
            ctx.t(
              [
                [1, 2],
                [0, 1],
              ],
              undefined,
              'int32',
            ),
          ),
          [5, 1],
          { shape: [2] },
        );
        expectClose(gatherND(x, ctx.t([[1]], undefined, 'int32')), [3, 4, 5], { shape: [1, 3] });
        const idx = ctx.t([[1], [3], [1]], undefined, 'int32');
        expectClose(scatterND(idx, ctx.t([1, 2, 3]), [4]), [0, 4, 0, 2], { shape: [4] });
        const rows = scatterND(
          ctx.t([[0]], undefined, 'int32'),
          ctx.t([[1, 2]], undefined, 'int32'),
          [2, 2],
        );
        expect(rows.dtype).toBe('int32');
        expectClose(rows, [1, 2, 0, 0]);
        expectClose(
          tensorScatterUpdate(
            x,
            ctx.t(
              [
                [0, 0],
                [1, 1],
              ],
              undefined,
              'int32',
            ),
            ctx.t([9, 8]),
          ),
          [9, 1, 2, 3, 8, 5],
        );
        expectClose(x, [0, 1, 2, 3, 4, 5]);
        const b = tensorScatterUpdate(
          ctx.t([true, true]),
          ctx.t([[1]], undefined, 'int32'),
          ctx.t([false]),
        );
        expect(b.dtype).toBe('bool');
        expectClose(b, [1, 0]);
      });
      it('gradients (first and second order)', () => {
        const idx = ctx.t(
          [
            [1, 0],
            [0, 2],
            [1, 0],
          ],
          undefined,
          'int32',
        );
        expectGradients(
          squared((x) => gatherND(x, idx)),
          [ctx.rand([2, 3], 22)],
        );
        expectGradients(
          squared((u) => scatterND(idx, u, [2, 3])),
          [ctx.rand([3], 23)],
        );
        const rowIdx = ctx.t([[1]], undefined, 'int32');
        expectGradients(
          (t, u) => {
            const y = tensorScatterUpdate(t, rowIdx, u);
            return mul(y, y);
          },
          [ctx.rand([3, 2], 24), ctx.rand([1, 2], 25)],
        );
      });
      it('rejects out-of-range indices and mismatched updates', () => {
        const x = iota(ctx, [2, 3]);
        expectError(
          () => gatherND(x, ctx.t([[0, 3]], undefined, 'int32')),
          ArgumentError,
          'gatherND',
          'out of range',
          'valid: 0..2',
        );
        expectError(
          () => gatherND(x, ctx.t([[0, 0, 0]], undefined, 'int32')),
          ShapeError,
          'gatherND',
          '[1,3]',
          '[2,3]',
        );
        expectError(
          () => scatterND(ctx.t([[0]], undefined, 'int32'), ctx.t([1, 2]), [3]),
          ShapeError,
          'scatterND',
          'updates',
          '[2]',
          '[1]',
        );
        expectError(
          () => tensorScatterUpdate(x, ctx.t([[-1]], undefined, 'int32'), ctx.t([[1, 2, 3]])),
          ArgumentError,
          'out of range',
        );
        expectClose(x, [0, 1, 2, 3, 4, 5]);
      });
    });

    describe('memory', () => {
      it('forward and backward of the shape ops inside tidy leave no tensors or buffers behind', () => {
        const x = ctx.rand([2, 3, 4], 26);
        const idx = ctx.t([2, 0, 2], undefined, 'int32');
        const f = (v: Tensor): Tensor => {
          const a = stridedSlice(v, [0, -1, 0], [2, 0, 4], [1, -1, 2], 0, 2);
          const [p, q] = split(transpose(a, [2, 0, 1]), 2);
          const s = stack([...unstack(p!, 1), ...unstack(q!, 1)]);
          const g = gather(
            tile(
              reverse(
                pad(s, [
                  [0, 0],
                  [1, 1],
                  [0, 0],
                ]),
                1,
              ),
              [1, 1, 2],
            ),
            idx,
            2,
            0,
          );
          return mul(g, concat([g, g], 0).slice([0], [g.shape[0]!]));
        };
        ctx.engine.tidy(() => f(x).dispose());
        const before = ctx.engine.memory();
        ctx.engine.tidy(() => {
          const [dx] = grads((v) => sum(f(v)))([x]);
          expect([...dx!.shape]).toEqual([2, 3, 4]);
        });
        const after = ctx.engine.memory();
        expect(after.numTensors).toBe(before.numTensors);
        expect(after.numDataBuffers).toBe(before.numDataBuffers);
        expect(after.numSavedTensors).toBe(before.numSavedTensors);
      });
    });
  });
}
