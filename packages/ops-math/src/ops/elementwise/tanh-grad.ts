import type { Tensor } from '@tapegrad/core';
import { reduceToShape, run } from '../../util.js';
import { elementwiseBinary } from './common.js';
import { mul } from './mul.js';
import { square } from './square.js';
import { sub } from './sub.js';

/**
 * TanhGrad(dy, y) = dy·(1 − y²): tanh's backward from its output y, in one op (one pass instead
 * of square, subtract and multiply). Gradients: d/d(dy) = 1 − y² (TanhGrad of the new seed),
 * d/dy = −2·y·dy.
 */
export const TanhGradOp = elementwiseBinary('TanhGrad', {
  dtypes: 'float',
  names: ['dy', 'y'],
  grad: (ddx, { inputs: [dy, y], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(tanhGrad(ddx, y!), dy!.shape) : null,
    needsInputGrad[1] ? reduceToShape(mul(ddx, mul(dy!, mul(y!, -2))), y!.shape) : null,
  ],
  composite: ([dy, y]) => mul(dy!, sub(1, square(y!))),
});

/** tanh's backward from its output y: dy·(1 − y²) (float tensors; used by tanh's gradient). */
export function tanhGrad(dy: Tensor, y: Tensor): Tensor {
  return run(dy.engine, 'TanhGrad', [dy, y]);
}
