import type { OpDef, Tensor } from '@tapegrad/core';
import { DTypeError, ShapeError, engineOf, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';
import { assertInt, toIndexTensor } from './common.js';

export interface UnsortedSegmentSumAttrs {
  numSegments: number;
}

/**
 * out[s, ...] = sum of x[k..., ...] over the positions k where segmentIds[k...] == s.
 * segmentIds' shape is a prefix of x's; ids outside [0, numSegments) are an error raised by the kernel.
 */
export const UnsortedSegmentSumOp: OpDef<UnsortedSegmentSumAttrs> = {
  name: 'UnsortedSegmentSum',
  inputNames: ['x', 'segmentIds'],
  inferShape([x, ids], { numSegments }) {
    if (ids!.dtype !== 'int32') {
      throw new DTypeError(
        `unsortedSegmentSum: segmentIds must be int32, got ${ids!.dtype} (shape ${fmtShape(ids!.shape)})`,
      );
    }
    assertInt('unsortedSegmentSum', 'numSegments', numSegments, 0);
    const xs = x!.shape;
    const is = ids!.shape;
    if (is.length > xs.length || is.some((d, i) => d !== xs[i])) {
      throw new ShapeError(
        `unsortedSegmentSum: the shape of segmentIds ${fmtShape(is)} must be a prefix of the shape of x ${fmtShape(xs)}`,
      );
    }
    if (x!.dtype === 'bool') {
      throw new DTypeError(
        'unsortedSegmentSum: x must be numeric (float32, float64 or int32), got bool; cast it first',
      );
    }
    return [numSegments, ...xs.slice(is.length)];
  },
  grad: (dy, { inputs: [, ids] }) => [
    run(dy.engine, 'Gather', [dy, ids!], { axis: 0, batchDims: 0 }),
    null,
  ],
};

/**
 * Sums the slices of x that share a segment id (tfjs/TF unsortedSegmentSum). segmentIds (int32)
 * has the shape of x's leading dimensions (usually [x.shape[0]]); every id must be in [0, numSegments).
 *
 * @example
 * ```ts
 * unsortedSegmentSum(tensor([1, 2, 3, 4]), [0, 1, 0, 1], 2).print(); // [4, 6]
 * ```
 */
export function unsortedSegmentSum(x: Arg, segmentIds: Arg, numSegments: number): Tensor {
  const engine = engineOf(x, segmentIds);
  const t = toTensor(engine, x, 'x', 'unsortedSegmentSum');
  const ids = toIndexTensor(engine, segmentIds, 'segmentIds', 'unsortedSegmentSum');
  assertInt('unsortedSegmentSum', 'numSegments', numSegments, 0);
  return run(engine, 'UnsortedSegmentSum', [t, ids], { numSegments });
}
