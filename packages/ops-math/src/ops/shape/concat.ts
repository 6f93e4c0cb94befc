import type { OpDef, Tensor } from '@tapegrad/core';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  engineOf,
  fmtShape,
  normalizeAxis,
  upcastType,
} from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { cast, run, runMulti, toTensor } from '../../util.js';

export interface ConcatAttrs {
  /** Non-negative axis. */
  axis: number;
}

export const ConcatOp: OpDef<ConcatAttrs> = {
  name: 'Concat',
  inferShape(inputs, { axis }) {
    if (inputs.length === 0) throw new ShapeError('concat: needs at least one tensor');
    const first = inputs[0]!;
    const rank = first.shape.length;
    if (rank === 0)
      throw new ShapeError(
        'concat: tensors[0] is a scalar (rank 0); scalars cannot be concatenated (use stack)',
      );
    const ax = normalizeAxis('concat', axis, rank);
    let total = 0;
    inputs.forEach((t, i) => {
      const ok =
        t.shape.length === rank && t.shape.every((d, j) => j === ax || d === first.shape[j]);
      if (!ok) {
        throw new ShapeError(
          `concat: tensors[${i}] has shape ${fmtShape(t.shape)}, incompatible with tensors[0] ${fmtShape(first.shape)} ` +
            `along axis ${ax} (all tensors need rank ${rank} and the same size in every dimension except ${ax})`,
        );
      }
      if (t.dtype !== first.dtype) {
        throw new DTypeError(
          `concat: tensors[${i}] is ${t.dtype} but tensors[0] is ${first.dtype}; all tensors need the same dtype`,
        );
      }
      total += t.shape[ax]!;
    });
    return first.shape.map((d, j) => (j === ax ? total : d));
  },
  grad: (dy, { inputs, attrs: { axis } }) => {
    const sizes = inputs.map((t) => t.shape[axis]!);
    return inputs.length === 1 ? [dy] : runMulti(dy.engine, 'Split', [dy], { axis, sizes });
  },
};

/** Converts a list of tensors (or values) to tensors of one common dtype. */
export function toTensorList(op: string, tensors: readonly Arg[], arg = 'tensors'): Tensor[] {
  if (!Array.isArray(tensors)) {
    throw new ArgumentError(
      `${op}: ${arg} must be an array of tensors, got ${tensors === null ? 'null' : typeof tensors}`,
    );
  }
  if (tensors.length === 0)
    throw new ArgumentError(`${op}: ${arg} must contain at least one tensor`);
  const engine = engineOf(tensors);
  const list = tensors.map((t: Arg, i) => toTensor(engine, t, `${arg}[${i}]`, op));
  const dtype = list.map((t) => t.dtype).reduce(upcastType);
  return list.map((t) => cast(t, dtype));
}

/**
 * Concatenates tensors along `axis` (default 0); dtypes are upcast to a common one.
 *
 * @example
 * ```ts
 * concat([tensor([1, 2]), tensor([3])]).print(); // [1, 2, 3]
 * concat([tensor([[1], [2]]), tensor([[3], [4]])], 1).print(); // [[1, 3], [2, 4]]
 * ```
 */
export function concat(tensors: readonly Arg[], axis = 0): Tensor {
  const list = toTensorList('concat', tensors);
  const engine = list[0]!.engine;
  if (list.length === 1) {
    // Validates like the op does (rank, axis), then returns a copy, as tfjs does.
    ConcatOp.inferShape([list[0]!], { axis });
    return run(engine, 'Identity', [list[0]!]);
  }
  return run(engine, 'Concat', list, { axis: normalizeAxis('concat', axis, list[0]!.rank) });
}

/**
 * Method form (tfjs): `x.concat(y, axis)` or `x.concat([y, z], axis)`.
 *
 * @example
 * ```ts
 * tensor([1, 2]).concat(tensor([3, 4])).print(); // [1, 2, 3, 4]
 * ```
 */
export function concatMethod(x: Tensor, others: Tensor | readonly Tensor[], axis = 0): Tensor {
  return concat(
    [x, ...(Array.isArray(others) ? (others as readonly Tensor[]) : [others as Tensor])],
    axis,
  );
}
