import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary, zeroGrad } from './common.js';

// Piecewise constant: zero gradient.
export const FloorOp = elementwiseUnary('Floor', {
  dtypes: 'numeric',
  grad: zeroGrad,
});

/**
 * Largest integer <= x (int32 stays int32; bool is cast to int32).
 *
 * @example
 * ```ts
 * floor(tensor([1.7, -1.2])).print(); // [1, -2]
 * ```
 */
export function floor(x: Arg): Tensor {
  return runUnary('floor', 'Floor', x, 'numeric');
}
