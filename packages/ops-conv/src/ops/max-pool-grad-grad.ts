import type { OpDef } from '@tapegrad/core';
import { zerosLike } from '@tapegrad/core';
import type { PoolAttrs } from './pool-common.js';
import { MAX_POOL, maxGradGradShape, runPool } from './pool-common.js';

/**
 * Gradient of MaxPoolGrad with respect to dy: reads g (x's shape) at the argmax position of
 * every window of x, giving the pool's output shape. Its own gradient is MaxPoolGrad.
 */
export const MaxPoolGradGradOp: OpDef<PoolAttrs> = {
  name: 'MaxPoolGradGrad',
  inputNames: ['x', 'g'],
  inferShape: maxGradGradShape(MAX_POOL),
  grad: (dz, { inputs: [x], attrs, needsInputGrad: [needX, needG] }) => [
    needX ? zerosLike(x!) : null,
    needG ? runPool('MaxPoolGrad', [x!, dz], attrs) : null,
  ],
};
