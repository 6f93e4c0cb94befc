import type { InputSpec, OpDef, Shape, Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape, normalizeAxis } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { runMulti } from '../../util.js';
import { describeValue, isArray, toData } from './common.js';

export interface SplitAttrs {
  /** Non-negative axis. */
  axis: number;
  /** Size of each piece along `axis` (they sum to the dimension). */
  sizes: number[];
}

function splitShapes([x]: readonly InputSpec[], { axis, sizes }: SplitAttrs): Shape[] {
  const shape = x!.shape;
  const ax = normalizeAxis('split', axis, shape.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (
    sizes.length === 0 ||
    sizes.some((s) => !Number.isInteger(s) || s < 0) ||
    total !== shape[ax]
  ) {
    throw new ShapeError(
      `split: sizes [${sizes.join(',')}] must be non-negative integers summing to dimension ${ax} of x ${fmtShape(shape)} (${shape[ax]})`,
    );
  }
  return sizes.map((s) => shape.map((d, i) => (i === ax ? s : d)));
}

/** Splits x along `axis` into pieces of the given sizes (one op, several outputs; its gradient is a concat). */
export const SplitOp: OpDef<SplitAttrs> = {
  name: 'Split',
  inputNames: ['x'],
  numOutputs: (_, { sizes }) => sizes.length,
  inferShape(inputs, attrs) {
    const shapes = splitShapes(inputs, attrs);
    // The engine expects a single shape for a single output.
    return shapes.length === 1 ? shapes[0]! : shapes;
  },
  grad: (_dy, { dys, attrs: { axis } }) => [
    runMulti(dys[0]!.engine, 'Concat', [...dys], { axis })[0]!,
  ],
  composite: ([x], { axis, sizes }) => {
    let offset = 0;
    return sizes.map((s) => {
      const begin = x!.shape.map((_, i) => (i === axis ? offset : 0));
      const size = x!.shape.map((d, i) => (i === axis ? s : d));
      offset += s;
      return runMulti(x!.engine, 'Slice', [x!], { begin, size })[0]!;
    });
  },
};

/**
 * Splits x along `axis` (default 0): into `numOrSizeSplits` equal pieces, or into pieces of the
 * given sizes (one of which may be -1, inferred). Returns an array of tensors.
 *
 * @example
 * ```ts
 * const [a, b, c] = split(range(0, 6), 3);
 * c!.print(); // [4, 5]
 * const [head, rest] = split(range(0, 6), [1, 5]);
 * rest!.print(); // [1, 2, 3, 4, 5]
 * ```
 */
export function split(x: Arg, numOrSizeSplits: number | readonly number[], axis = 0): Tensor[] {
  const [engine, t] = toData(x, 'split');
  if (t.rank === 0)
    throw new ShapeError('split: x is a scalar (rank 0); splitting needs at least one dimension');
  const ax = normalizeAxis('split', axis, t.rank);
  const dim = t.shape[ax]!;
  let sizes: number[];
  if (typeof numOrSizeSplits === 'number') {
    const n = numOrSizeSplits;
    if (!Number.isInteger(n) || n <= 0 || dim % n !== 0) {
      throw new ShapeError(
        `split: numOrSizeSplits ${n} must be a positive integer that divides dimension ${ax} of x ${fmtShape(t.shape)} (${dim})`,
      );
    }
    sizes = new Array<number>(n).fill(dim / n);
  } else {
    const list: unknown = numOrSizeSplits;
    if (
      !isArray(list) ||
      list.some((s) => typeof s !== 'number' || !Number.isInteger(s) || s < -1)
    ) {
      throw new ShapeError(
        `split: numOrSizeSplits must be a number or an array of non-negative integers (one may be -1), got ${describeValue(list)}`,
      );
    }
    sizes = [...(list as readonly number[])];
    const unknown = sizes.indexOf(-1);
    if (unknown >= 0) {
      const known = sizes.reduce((a, s) => (s === -1 ? a : a + s), 0);
      if (sizes.lastIndexOf(-1) !== unknown || known > dim) {
        throw new ShapeError(
          `split: sizes [${sizes.join(',')}] may contain one -1 and the others must not exceed dimension ${ax} of x ${fmtShape(t.shape)} (${dim})`,
        );
      }
      sizes[unknown] = dim - known;
    }
  }
  return runMulti(engine, 'Split', [t], { axis: ax, sizes });
}
