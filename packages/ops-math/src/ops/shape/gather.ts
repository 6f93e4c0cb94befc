import type { OpDef, Tensor } from '@tapegrad/core';
import { DTypeError, ShapeError, engineOf, fmtShape, sizeFromShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';
import { maybeReshape, maybeTranspose, toIndexTensor } from './common.js';

export interface GatherAttrs {
  /** Non-negative axis of x to gather along. */
  axis: number;
  /** Non-negative number of leading batch dimensions shared by x and indices. */
  batchDims: number;
}

/**
 * out[b..., m..., j..., i...] = x[b..., m..., indices[b..., j...], i...], where b are the
 * batchDims leading dimensions, m the dimensions of x before `axis`, i those after it.
 * Indices outside [0, x.shape[axis]) are an error raised by the kernel.
 */
export const GatherOp: OpDef<GatherAttrs> = {
  name: 'Gather',
  inputNames: ['x', 'indices'],
  inferShape([x, indices], { axis, batchDims }) {
    if (indices!.dtype !== 'int32') {
      throw new DTypeError(
        `gather: indices must be int32, got ${indices!.dtype} (shape ${fmtShape(indices!.shape)})`,
      );
    }
    const xs = x!.shape;
    const is = indices!.shape;
    if (!Number.isInteger(axis) || axis < 0 || axis >= xs.length) {
      throw new ShapeError(
        `gather: axis ${axis} is out of range for x ${fmtShape(xs)} (valid: ${-xs.length}..${xs.length - 1})`,
      );
    }
    if (
      !Number.isInteger(batchDims) ||
      batchDims < 0 ||
      batchDims > is.length ||
      batchDims > axis
    ) {
      throw new ShapeError(
        `gather: batchDims ${batchDims} is invalid for x ${fmtShape(xs)}, indices ${fmtShape(is)} and axis ${axis} ` +
          `(valid: 0 <= batchDims <= min(axis, rank of indices))`,
      );
    }
    for (let i = 0; i < batchDims; i++) {
      if (xs[i] !== is[i]) {
        throw new ShapeError(
          `gather: with batchDims ${batchDims}, the leading dimensions of x ${fmtShape(xs)} and indices ${fmtShape(is)} must match (dimension ${i}: ${xs[i]} vs ${is[i]})`,
        );
      }
    }
    return [...xs.slice(0, axis), ...is.slice(batchDims), ...xs.slice(axis + 1)];
  },
  inferDtype: ([x]) => x!.dtype,
  grad: (dy, { inputs: [x, indices], attrs }) => [gatherGrad(dy, x!.shape, indices!, attrs), null],
};

/**
 * Gradient of gather: scatter-adds dy back into x's shape with unsortedSegmentSum.
 * dy [b, m, j, i] is moved to [b, j, m, i] and flattened to rows (b, j); the segment of row
 * (b, j) is b_flat * N + indices[b, j]; the [B*N, m, i] sums go back to x's layout.
 */
function gatherGrad(
  dy: Tensor,
  xShape: readonly number[],
  indices: Tensor,
  { axis, batchDims }: GatherAttrs,
): Tensor {
  const engine = dy.engine;
  const nB = batchDims;
  const nM = axis - batchDims;
  const nJ = indices.rank - batchDims;
  const nI = xShape.length - axis - 1;
  const range = (from: number, n: number) => Array.from({ length: n }, (_, k) => from + k);
  // dy layout: [b (nB), m (nM), j (nJ), i (nI)] -> [b, j, m, i]
  const perm = [
    ...range(0, nB),
    ...range(nB + nM, nJ),
    ...range(nB, nM),
    ...range(nB + nM + nJ, nI),
  ];
  const moved = maybeTranspose(dy, perm);
  const batchShape = xShape.slice(0, nB);
  const B = sizeFromShape(batchShape);
  const J = sizeFromShape(indices.shape.slice(nB));
  const N = xShape[axis]!;
  const rest = [...xShape.slice(nB, axis), ...xShape.slice(axis + 1)];
  const rows = maybeReshape(moved, [B * J, ...rest]);
  let ids = maybeReshape(indices, [B, J]);
  if (B > 1) {
    const offsets = Int32Array.from({ length: B }, (_, b) => b * N);
    ids = run(engine, 'Add', [ids, engine.makeTensor(offsets, [B, 1], 'int32', 'gather')]);
  }
  ids = maybeReshape(ids, [B * J]);
  const summed = run(engine, 'UnsortedSegmentSum', [rows, ids], { numSegments: B * N });
  // [B*N, m, i] -> [b, N, m, i] -> [b, m, N, i]
  const grouped = maybeReshape(summed, [...batchShape, N, ...rest]);
  const back = [...range(0, nB), ...range(nB + 1, nM), nB, ...range(nB + 1 + nM, nI)];
  return maybeTranspose(grouped, back);
}

/**
 * Gathers slices of x along `axis` (default 0) at `indices` (int32). With `batchDims`, the
 * leading batchDims dimensions of x and indices are batch dimensions gathered pairwise.
 *
 * @example
 * ```ts
 * gather(tensor([10, 20, 30]), [2, 0]).print(); // [30, 10]
 * tensor([[1, 2], [3, 4]]).gather([1], 1).print(); // [[2], [4]]
 * ```
 */
export function gather(x: Arg, indices: Arg, axis = 0, batchDims = 0): Tensor {
  const engine = engineOf(x, indices);
  const t = toTensor(engine, x, 'x', 'gather');
  const idx = toIndexTensor(engine, indices, 'indices', 'gather');
  const rank = t.rank;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(
      `gather: axis ${axis} is out of range for x ${fmtShape(t.shape)} (valid: ${-rank}..${rank - 1})`,
    );
  }
  const b = Number.isInteger(batchDims) && batchDims < 0 ? batchDims + idx.rank : batchDims;
  return run(engine, 'Gather', [t, idx], { axis: axis < 0 ? axis + rank : axis, batchDims: b });
}
