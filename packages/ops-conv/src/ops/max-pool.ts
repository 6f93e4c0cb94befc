import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec } from '../geometry.js';
import type { PoolAttrs } from './pool-common.js';
import { MAX_POOL, forwardShape, poolPublic, runPool } from './pool-common.js';

/** Max over each window of real (unpadded) elements; channels-last and batched. */
export const MaxPoolOp: OpDef<PoolAttrs> = {
  name: 'MaxPool',
  inputNames: ['x'],
  inferShape: forwardShape(MAX_POOL, true),
  // dy flows to the (first) position of each window's max.
  grad: (dy, { inputs: [x], attrs }) => [runPool('MaxPoolGrad', [x!, dy], attrs)],
};

/**
 * 2-D max pooling (tfjs's maxPool): x [batch, height, width, channels] (or without the batch
 * dimension); `pad` 'valid', 'same', a number or explicit padding (padding never wins the max).
 *
 * @example
 * ```ts
 * const x = range(1, 10).reshape([1, 3, 3, 1]);
 * maxPool(x, 2, 1, 'valid').reshape([2, 2]).print(); // [[5, 6], [8, 9]]
 * ```
 */
export function maxPool(
  x: Arg,
  filterSize: number | readonly [number, number],
  strides: number | readonly [number, number],
  pad: PadSpec,
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  return poolPublic(MAX_POOL, x, filterSize, strides, pad, dimRoundingMode, 'NHWC');
}
