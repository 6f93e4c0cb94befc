import type { OpDef } from '@tapegrad/core';
import { zerosLike } from '@tapegrad/core';
import type { PoolAttrs } from './pool-common.js';
import { MAX_POOL_3D, maxGradShape, runPool } from './pool-common.js';

/**
 * Gradient of maxPool3d: adds each dy element to the position of its window's max in x (the
 * first one on ties; windows are recomputed from x). Linear in dy, piecewise constant in x.
 */
export const MaxPool3DGradOp: OpDef<PoolAttrs> = {
  name: 'MaxPool3DGrad',
  inputNames: ['x', 'dy'],
  inferShape: maxGradShape(MAX_POOL_3D),
  // d/ddy gathers dz at the same argmax positions; d/dx is zero almost everywhere.
  grad: (dz, { inputs: [x], attrs, needsInputGrad: [needX, needDy] }) => [
    needX ? zerosLike(x!) : null,
    needDy ? runPool('MaxPool3DGradGrad', [x!, dz], attrs) : null,
  ],
};
