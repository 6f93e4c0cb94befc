import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { greater } from './greater.js';
import { mul } from './mul.js';
import { where } from './where.js';

// prelu(x, α) = x for x > 0, α·x otherwise: ∂/∂x = 1 or α, ∂/∂α = 0 or x (α broadcasts,
// so its gradient is summed back to α's shape).
export const PreluOp = elementwiseBinary('Prelu', {
  names: ['x', 'alpha'],
  grad: (dy, { inputs: [x, alpha], needsInputGrad }) => {
    const positive = greater(x!, 0);
    return [
      needsInputGrad[0] ? reduceToShape(where(positive, dy, mul(dy, alpha!)), x!.shape) : null,
      needsInputGrad[1] ? reduceToShape(where(positive, 0, mul(dy, x!)), alpha!.shape) : null,
    ];
  },
});

/**
 * Parametric ReLU: x for x > 0, alpha·x otherwise; alpha broadcasts against x (bool is cast to int32).
 *
 * @example
 * ```ts
 * prelu(tensor([-2, -2, 3]), tensor([0.1, 0.5, 0.5])).print(); // [-0.2, -1, 3]
 * ```
 */
export function prelu(x: Arg, alpha: Arg): Tensor {
  return runBinary('prelu', 'Prelu', x, alpha, 'numeric', undefined, ['x', 'alpha']);
}
