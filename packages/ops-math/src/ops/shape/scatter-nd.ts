import type { InputSpec, OpDef, Shape, Tensor } from '@tapegrad/core';
import { DTypeError, ShapeError, engineOf, fmtShape, shapesEqual } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';
import { intList, toIndexTensor } from './common.js';

/**
 * The N-d indexing ops: indices has shape [...batch, K]; each row picks the slice
 * x[i0, ..., iK-1, ...] of a tensor of `shape`. Indices out of range are an error raised by the kernel.
 */
function checkIndices(op: string, indices: InputSpec, shape: Shape): number {
  if (indices.dtype !== 'int32') {
    throw new DTypeError(
      `${op}: indices must be int32, got ${indices.dtype} (shape ${fmtShape(indices.shape)})`,
    );
  }
  const K = indices.shape[indices.shape.length - 1];
  if (indices.shape.length === 0 || K === undefined || K > shape.length) {
    throw new ShapeError(
      `${op}: indices ${fmtShape(indices.shape)} must have rank >= 1 and a last dimension <= ${shape.length} (the rank of ${fmtShape(shape)})`,
    );
  }
  return K;
}

/** Shape of the updates (or gathered values) for `indices` into `shape`. */
function sliceShape(indices: Shape, shape: Shape, K: number): number[] {
  return [...indices.slice(0, -1), ...shape.slice(K)];
}

function checkUpdates(op: string, indices: Shape, updates: Shape, shape: Shape, K: number): void {
  const want = sliceShape(indices, shape, K);
  if (!shapesEqual(updates, want)) {
    throw new ShapeError(
      `${op}: updates have shape ${fmtShape(updates)}; with indices ${fmtShape(indices)} into shape ${fmtShape(shape)} they must have shape ${fmtShape(want)}`,
    );
  }
}

/** out[b...] = x[indices[b...]] (a slice of x per index row). */
export const GatherNdOp: OpDef = {
  name: 'GatherNd',
  inputNames: ['x', 'indices'],
  inferShape([x, indices]) {
    const K = checkIndices('gatherND', indices!, x!.shape);
    return sliceShape(indices!.shape, x!.shape, K);
  },
  inferDtype: ([x]) => x!.dtype,
  grad: (dy, { inputs: [x, indices] }) => [
    run(dy.engine, 'ScatterNd', [indices!, dy], { shape: [...x!.shape] }),
    null,
  ],
};

/** Zeros of `shape` with updates added at indices (duplicates add up). */
export const ScatterNdOp: OpDef<{ shape: number[] }> = {
  name: 'ScatterNd',
  inputNames: ['indices', 'updates'],
  inferShape([indices, updates], { shape }) {
    const K = checkIndices('scatterND', indices!, shape);
    checkUpdates('scatterND', indices!.shape, updates!.shape, shape, K);
    return [...shape];
  },
  inferDtype: ([, updates]) => updates!.dtype,
  grad: (dy, { inputs: [indices] }) => [null, run(dy.engine, 'GatherNd', [dy, indices!])],
};

/** A copy of `tensor` with the slices at indices replaced by updates. */
export const TensorScatterUpdateOp: OpDef = {
  name: 'TensorScatterUpdate',
  inputNames: ['tensor', 'indices', 'updates'],
  inferShape([tensor, indices, updates]) {
    const K = checkIndices('tensorScatterUpdate', indices!, tensor!.shape);
    checkUpdates('tensorScatterUpdate', indices!.shape, updates!.shape, tensor!.shape, K);
    if (updates!.dtype !== tensor!.dtype) {
      throw new DTypeError(
        `tensorScatterUpdate: updates are ${updates!.dtype} but tensor is ${tensor!.dtype}; they must match`,
      );
    }
    return tensor!.shape;
  },
  grad: (dy, { inputs: [, indices, updates], needsInputGrad }) => {
    const engine = dy.engine;
    return [
      // The replaced positions get no gradient; everything else passes through.
      needsInputGrad[0]
        ? run(engine, 'TensorScatterUpdate', [dy, indices!, engine.zeros(updates!.shape, dy.dtype)])
        : null,
      null,
      needsInputGrad[2] ? run(engine, 'GatherNd', [dy, indices!]) : null,
    ];
  },
};

/**
 * tfjs gatherND: gathers slices of x at the N-d `indices` (int32, last dimension indexes x's leading dims).
 *
 * @example
 * ```ts
 * gatherND(tensor([[1, 2], [3, 4]]), [[1, 0], [0, 1]]).print(); // [3, 2]
 * ```
 */
export function gatherND(x: Arg, indices: Arg): Tensor {
  const engine = engineOf(x, indices);
  const t = toTensor(engine, x, 'x', 'gatherND');
  return run(engine, 'GatherNd', [t, toIndexTensor(engine, indices, 'indices', 'gatherND')]);
}

/**
 * tfjs scatterND: a tensor of `shape`, zeros except the updates added at `indices`.
 *
 * @example
 * ```ts
 * scatterND([[0], [2]], tensor([5, 7]), [4]).print(); // [5, 0, 7, 0]
 * ```
 */
export function scatterND(indices: Arg, updates: Arg, shape: readonly number[]): Tensor {
  const engine = engineOf(indices, updates);
  const idx = toIndexTensor(engine, indices, 'indices', 'scatterND');
  const u = toTensor(engine, updates, 'updates', 'scatterND');
  const s = intList('scatterND', 'shape', shape);
  if (s.some((d) => d < 0))
    throw new ShapeError(`scatterND: shape ${fmtShape(s)} must contain non-negative integers`);
  return run(engine, 'ScatterNd', [idx, u], { shape: s });
}

/**
 * tfjs tensorScatterUpdate: `tensor` with the slices at `indices` replaced by `updates`.
 *
 * @example
 * ```ts
 * tensorScatterUpdate(tensor([1, 2, 3, 4]), [[1], [3]], tensor([9, 8])).print(); // [1, 9, 3, 8]
 * ```
 */
export function tensorScatterUpdate(tensor: Arg, indices: Arg, updates: Arg): Tensor {
  const engine = engineOf(tensor, indices, updates);
  const t = toTensor(engine, tensor, 'tensor', 'tensorScatterUpdate');
  const idx = toIndexTensor(engine, indices, 'indices', 'tensorScatterUpdate');
  const u = toTensor(
    engine,
    updates,
    'updates',
    'tensorScatterUpdate',
    typeof updates === 'number' ? t.dtype : undefined,
  );
  return run(engine, 'TensorScatterUpdate', [t, idx, u]);
}
