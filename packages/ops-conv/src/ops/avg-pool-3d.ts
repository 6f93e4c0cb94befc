import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec } from '../geometry.js';
import type { PoolAttrs } from './pool-common.js';
import { AVG_POOL_3D, forwardShape, poolPublic, runPool } from './pool-common.js';

/** Mean of each window's real (unpadded) elements; channels-last and batched. */
export const AvgPool3DOp: OpDef<PoolAttrs> = {
  name: 'AvgPool3D',
  inputNames: ['x'],
  inferShape: forwardShape(AVG_POOL_3D, false),
  grad: (dy, { inputs: [x], attrs }) => [
    runPool('AvgPool3DGrad', [dy], attrs, { inputShape: [...x!.shape] }),
  ],
};

/**
 * 3-D average pooling (tfjs's avgPool3d) over the real elements of each window.
 *
 * @example
 * ```ts
 * avgPool3d(range(1, 9).reshape([1, 2, 2, 2, 1]), 2, 1, 'valid').print(); // [[[[[4.5]]]]]
 * ```
 */
export function avgPool3d(
  x: Arg,
  filterSize: number | readonly [number, number, number] = [1, 1, 1],
  strides: number | readonly [number, number, number] = [1, 1, 1],
  pad: PadSpec = 'valid',
  dimRoundingMode?: DimRoundingMode,
  dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC',
): Tensor {
  return poolPublic(AVG_POOL_3D, x, filterSize, strides, pad, dimRoundingMode, dataFormat);
}
