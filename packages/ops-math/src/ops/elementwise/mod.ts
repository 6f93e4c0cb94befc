import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { div } from './div.js';
import { floor } from './floor.js';
import { mul } from './mul.js';
import { neg } from './neg.js';

// mod(a, b) = a - b·floor(a/b): ∂/∂a = 1, ∂/∂b = -floor(a/b) (as tfjs).
export const ModOp = elementwiseBinary('Mod', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(dy, a!.shape) : null,
    needsInputGrad[1] ? reduceToShape(mul(dy, neg(floor(div(a!, b!)))), b!.shape) : null,
  ],
});

/**
 * Remainder of floor division, with broadcasting: the result has the sign of b, as in
 * tfjs and Python (mod(-7, 3) = 2, mod(7, -3) = -2). int32 by zero gives 0, floats NaN.
 *
 * @example
 * ```ts
 * mod(tensor([7, -7]), tensor([3, 3])).print(); // [1, 2]
 * ```
 */
export function mod(a: Arg, b: Arg): Tensor {
  return runBinary('mod', 'Mod', a, b, 'numeric');
}
