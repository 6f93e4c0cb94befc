import type { Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape, normalizeAxis, shapesEqual } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, runMulti } from '../../util.js';
import { toData } from './common.js';
import { toTensorList } from './concat.js';

/**
 * Stacks same-shape tensors along a new `axis` (default 0): expandDims of each, then one concat.
 *
 * @example
 * ```ts
 * stack([tensor([1, 2]), tensor([3, 4])]).print(); // [[1, 2], [3, 4]]
 * stack([tensor([1, 2]), tensor([3, 4])], 1).print(); // [[1, 3], [2, 4]]
 * ```
 */
export function stack(tensors: readonly Arg[], axis = 0): Tensor {
  const list = toTensorList('stack', tensors);
  const first = list[0]!;
  const rank = first.rank;
  list.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(
        `stack: tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has ${fmtShape(first.shape)}; all tensors must have the same shape`,
      );
    }
  });
  if (!Number.isInteger(axis) || axis < -(rank + 1) || axis > rank) {
    throw new ShapeError(
      `stack: axis ${axis} is out of range for tensors of rank ${rank} (valid: ${-(rank + 1)}..${rank})`,
    );
  }
  const ax = axis < 0 ? axis + rank + 1 : axis;
  const shape = [...first.shape];
  shape.splice(ax, 0, 1);
  const expanded = list.map((t) => run(t.engine, 'Reshape', [t], { shape }));
  if (expanded.length === 1) return expanded[0]!;
  return run(first.engine, 'Concat', expanded, { axis: ax });
}

/**
 * Method form (tfjs): `x.stack(y, axis)` or `x.stack([y, z], axis)`.
 *
 * @example
 * ```ts
 * tensor([1, 2]).stack(tensor([3, 4])).print(); // [[1, 2], [3, 4]]
 * ```
 */
export function stackMethod(x: Tensor, others: Tensor | readonly Tensor[], axis = 0): Tensor {
  return stack(
    [x, ...(Array.isArray(others) ? (others as readonly Tensor[]) : [others as Tensor])],
    axis,
  );
}

/**
 * Splits x along `axis` (default 0) into its slices, removing that dimension.
 *
 * @example
 * ```ts
 * const [first, second] = unstack(tensor([[1, 2], [3, 4]]));
 * second!.print(); // [3, 4]
 * ```
 */
export function unstack(x: Arg, axis = 0): Tensor[] {
  const [engine, t] = toData(x, 'unstack');
  if (t.rank === 0)
    throw new ShapeError(
      'unstack: x is a scalar (rank 0); unstacking needs at least one dimension',
    );
  const ax = normalizeAxis('unstack', axis, t.rank);
  const n = t.shape[ax]!;
  if (n === 0) return [];
  const outShape = t.shape.filter((_, i) => i !== ax);
  const pieces = runMulti(engine, 'Split', [t], { axis: ax, sizes: new Array<number>(n).fill(1) });
  return pieces.map((p) => run(engine, 'Reshape', [p], { shape: outShape }));
}
