import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { greaterEqual } from './greater-equal.js';
import { where } from './where.js';

// The gradient goes to a where a >= b (ties included, as tfjs) and to b elsewhere;
// the mask has the broadcast output shape, and each part is summed back to its input's shape.
export const MaximumOp = elementwiseBinary('Maximum', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => {
    const toA = greaterEqual(a!, b!);
    return [
      needsInputGrad[0] ? reduceToShape(where(toA, dy, 0), a!.shape) : null,
      needsInputGrad[1] ? reduceToShape(where(toA, 0, dy), b!.shape) : null,
    ];
  },
});

/**
 * The larger of a and b, elementwise with broadcasting (NaN if either is NaN; bool is cast to int32).
 *
 * @example
 * ```ts
 * maximum(tensor([1, 5]), tensor([3, 2])).print(); // [3, 5]
 * ```
 */
export function maximum(a: Arg, b: Arg): Tensor {
  return runBinary('maximum', 'Maximum', a, b, 'numeric');
}
