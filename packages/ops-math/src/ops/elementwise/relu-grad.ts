import type { Tensor } from '@tapegrad/core';
import { reduceToShape, run } from '../../util.js';
import { elementwiseBinary, zerosFor } from './common.js';
import { greater } from './greater.js';
import { where } from './where.js';

/**
 * ReluGrad(dy, x) = dy where x > 0, else 0: relu's backward in one op (one pass instead of a
 * comparison and a select). Linear in dy, so its gradient is itself with the new seed; for x it
 * is 0 (piecewise constant).
 */
export const ReluGradOp = elementwiseBinary('ReluGrad', {
  names: ['dy', 'x'],
  grad: (ddx, { inputs: [dy, x], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(reluGrad(ddx, x!), dy!.shape) : null,
    needsInputGrad[1] ? zerosFor(x!) : null,
  ],
  composite: ([dy, x]) => where(greater(x!, 0), dy!, 0),
});

/** relu's backward: dy where x > 0, else 0 (tensors of one numeric dtype; used by relu's gradient). */
export function reluGrad(dy: Tensor, x: Tensor): Tensor {
  return run(dy.engine, 'ReluGrad', [dy, x]);
}
