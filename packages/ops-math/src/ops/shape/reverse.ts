import type { OpDef, Tensor } from '@tapegrad/core';
import { ShapeError, fmtShape, normalizeAxes } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { toData } from './common.js';

export interface ReverseAttrs {
  /** Sorted, non-negative, distinct axes to reverse. */
  axes: number[];
}

export const ReverseOp: OpDef<ReverseAttrs> = {
  name: 'Reverse',
  inputNames: ['x'],
  inferShape([x], { axes }) {
    const rank = x!.shape.length;
    if (
      axes.some((a) => !Number.isInteger(a) || a < 0 || a >= rank) ||
      new Set(axes).size !== axes.length
    ) {
      throw new ShapeError(
        `reverse: axes [${axes.join(',')}] must be distinct axes of x ${fmtShape(x!.shape)} (valid: 0..${rank - 1})`,
      );
    }
    return x!.shape;
  },
  grad: (dy, { attrs: { axes } }) => [run(dy.engine, 'Reverse', [dy], { axes })],
};

/**
 * Reverses x along `axis` (an axis or a list; default all axes). Negative axes count from the end.
 *
 * @example
 * ```ts
 * reverse(tensor([1, 2, 3])).print(); // [3, 2, 1]
 * tensor([[1, 2], [3, 4]]).reverse(1).print(); // [[2, 1], [4, 3]]
 * ```
 */
export function reverse(x: Arg, axis?: number | readonly number[]): Tensor {
  const [engine, t] = toData(x, 'reverse');
  const axes = normalizeAxes('reverse', axis, t.rank);
  return run(engine, 'Reverse', [t], { axes });
}
