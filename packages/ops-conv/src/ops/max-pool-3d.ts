import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec } from '../geometry.js';
import type { PoolAttrs } from './pool-common.js';
import { MAX_POOL_3D, forwardShape, poolPublic, runPool } from './pool-common.js';

/** Max over each window of real (unpadded) elements; channels-last and batched. */
export const MaxPool3DOp: OpDef<PoolAttrs> = {
  name: 'MaxPool3D',
  inputNames: ['x'],
  inferShape: forwardShape(MAX_POOL_3D, true),
  // dy flows to the (first) position of each window's max.
  grad: (dy, { inputs: [x], attrs }) => [runPool('MaxPool3DGrad', [x!, dy], attrs)],
};

/**
 * 3-D max pooling (tfjs's maxPool3d): x [batch, depth, height, width, channels] (NCDHW with `dataFormat`).
 *
 * @example
 * ```ts
 * maxPool3d(range(1, 9).reshape([1, 2, 2, 2, 1]), 2, 1, 'valid').print(); // [[[[[8]]]]]
 * ```
 */
export function maxPool3d(
  x: Arg,
  filterSize: number | readonly [number, number, number] = [1, 1, 1],
  strides: number | readonly [number, number, number] = [1, 1, 1],
  pad: PadSpec = 'valid',
  dimRoundingMode?: DimRoundingMode,
  dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC',
): Tensor {
  return poolPublic(MAX_POOL_3D, x, filterSize, strides, pad, dimRoundingMode, dataFormat);
}
