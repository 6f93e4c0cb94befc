import type { OpDef } from '@tapegrad/core';
import { zerosLike } from '@tapegrad/core';
import type { PoolAttrs } from './pool-common.js';
import { MAX_POOL_3D, maxGradGradShape, runPool } from './pool-common.js';

/**
 * Gradient of MaxPool3DGrad with respect to dy: reads g (x's shape) at the argmax position of
 * every window of x, giving the pool's output shape. Its own gradient is MaxPool3DGrad.
 */
export const MaxPool3DGradGradOp: OpDef<PoolAttrs> = {
  name: 'MaxPool3DGradGrad',
  inputNames: ['x', 'g'],
  inferShape: maxGradGradShape(MAX_POOL_3D),
  grad: (dz, { inputs: [x], attrs, needsInputGrad: [needX, needG] }) => [
    needX ? zerosLike(x!) : null,
    needG ? runPool('MaxPool3DGrad', [x!, dz], attrs) : null,
  ],
};
