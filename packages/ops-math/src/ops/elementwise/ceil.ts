import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary, zeroGrad } from './common.js';

// Piecewise constant: zero gradient.
export const CeilOp = elementwiseUnary('Ceil', {
  dtypes: 'numeric',
  grad: zeroGrad,
});

/**
 * Smallest integer >= x (int32 stays int32; bool is cast to int32).
 *
 * @example
 * ```ts
 * ceil(tensor([1.2, -1.7])).print(); // [2, -1]
 * ```
 */
export function ceil(x: Arg): Tensor {
  return runUnary('ceil', 'Ceil', x, 'numeric');
}
