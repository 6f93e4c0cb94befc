import type { Tensor } from '@tapegrad/core';
import { reduceToShape, run } from '../../util.js';
import { elementwiseBinary } from './common.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/**
 * SigmoidGrad(dy, y) = dy·y·(1 − y): sigmoid's backward from its output y, in one op (one pass
 * instead of three). Gradients: d/d(dy) = y(1 − y) (SigmoidGrad of the new seed),
 * d/dy = dy·(1 − 2y).
 */
export const SigmoidGradOp = elementwiseBinary('SigmoidGrad', {
  dtypes: 'float',
  names: ['dy', 'y'],
  grad: (ddx, { inputs: [dy, y], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(sigmoidGrad(ddx, y!), dy!.shape) : null,
    needsInputGrad[1] ? reduceToShape(mul(ddx, mul(dy!, sub(1, mul(y!, 2)))), y!.shape) : null,
  ],
  composite: ([dy, y]) => mul(dy!, mul(y!, sub(1, y!))),
});

/** sigmoid's backward from its output y: dy·y·(1 − y) (float tensors; used by sigmoid's gradient). */
export function sigmoidGrad(dy: Tensor, y: Tensor): Tensor {
  return run(dy.engine, 'SigmoidGrad', [dy, y]);
}
