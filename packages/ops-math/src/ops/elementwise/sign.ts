import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary, zeroGrad } from './common.js';

// Piecewise constant: zero gradient.
export const SignOp = elementwiseUnary('Sign', {
  dtypes: 'numeric',
  grad: zeroGrad,
});

/**
 * -1, 0 or 1 by the sign of x (NaN stays NaN; int32 stays int32; bool is cast to int32).
 *
 * @example
 * ```ts
 * sign(tensor([-3, 0, 2])).print(); // [-1, 0, 1]
 * ```
 */
export function sign(x: Arg): Tensor {
  return runUnary('sign', 'Sign', x, 'numeric');
}
