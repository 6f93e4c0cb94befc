import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary, zeroGrad } from './common.js';

// Piecewise constant: zero gradient.
export const RoundOp = elementwiseUnary('Round', {
  dtypes: 'numeric',
  grad: zeroGrad,
});

/**
 * Rounds to the nearest integer, halves to even (banker's rounding, as tfjs; int32 stays int32).
 *
 * @example
 * ```ts
 * round(tensor([1.4, 2.5, 3.5])).print(); // [1, 2, 4]
 * ```
 */
export function round(x: Arg): Tensor {
  return runUnary('round', 'Round', x, 'numeric');
}
