import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sub } from './sub.js';

// ∂(a - b)²/∂a = 2(a - b) = -∂(a - b)²/∂b; computed at the output shape, then summed back.
export const SquaredDifferenceOp = elementwiseBinary('SquaredDifference', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => {
    const g = mul(dy, mul(sub(a!, b!), 2));
    return [
      needsInputGrad[0] ? reduceToShape(g, a!.shape) : null,
      needsInputGrad[1] ? reduceToShape(neg(g), b!.shape) : null,
    ];
  },
});

/**
 * (a - b)², elementwise with broadcasting (bool is cast to int32).
 *
 * @example
 * ```ts
 * squaredDifference(tensor([1, 5]), tensor([3, 2])).print(); // [4, 9]
 * ```
 */
export function squaredDifference(a: Arg, b: Arg): Tensor {
  return runBinary('squaredDifference', 'SquaredDifference', a, b, 'numeric');
}
