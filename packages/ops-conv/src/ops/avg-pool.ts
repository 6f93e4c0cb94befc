import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec } from '../geometry.js';
import type { PoolAttrs } from './pool-common.js';
import { AVG_POOL, forwardShape, poolPublic, runPool } from './pool-common.js';

/** Mean of each window's real (unpadded) elements; channels-last and batched. */
export const AvgPoolOp: OpDef<PoolAttrs> = {
  name: 'AvgPool',
  inputNames: ['x'],
  inferShape: forwardShape(AVG_POOL, false),
  grad: (dy, { inputs: [x], attrs }) => [
    runPool('AvgPoolGrad', [dy], attrs, { inputShape: [...x!.shape] }),
  ],
};

/**
 * 2-D average pooling (tfjs's avgPool): x [batch, height, width, channels] (or without the
 * batch dimension). Each window is averaged over its real elements only ('same' padding
 * divides by the count of unpadded elements, as TensorFlow does).
 *
 * @example
 * ```ts
 * const x = range(1, 10).reshape([1, 3, 3, 1]);
 * avgPool(x, 2, 1, 'valid').reshape([2, 2]).print(); // [[3, 4], [6, 7]]
 * ```
 */
export function avgPool(
  x: Arg,
  filterSize: number | readonly [number, number],
  strides: number | readonly [number, number],
  pad: PadSpec,
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  return poolPublic(AVG_POOL, x, filterSize, strides, pad, dimRoundingMode, 'NHWC');
}
