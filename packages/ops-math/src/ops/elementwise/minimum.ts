import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { lessEqual } from './less-equal.js';
import { where } from './where.js';

// The gradient goes to a where a <= b (ties included, as tfjs) and to b elsewhere;
// the mask has the broadcast output shape, and each part is summed back to its input's shape.
export const MinimumOp = elementwiseBinary('Minimum', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => {
    const toA = lessEqual(a!, b!);
    return [
      needsInputGrad[0] ? reduceToShape(where(toA, dy, 0), a!.shape) : null,
      needsInputGrad[1] ? reduceToShape(where(toA, 0, dy), b!.shape) : null,
    ];
  },
});

/**
 * The smaller of a and b, elementwise with broadcasting (NaN if either is NaN; bool is cast to int32).
 *
 * @example
 * ```ts
 * minimum(tensor([1, 5]), tensor([3, 2])).print(); // [1, 2]
 * ```
 */
export function minimum(a: Arg, b: Arg): Tensor {
  return runBinary('minimum', 'Minimum', a, b, 'numeric');
}
