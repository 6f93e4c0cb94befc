import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { mul } from './mul.js';
import { neg } from './neg.js';

// d(a/b)/da = 1/b; d(a/b)/db = -a/b² (written as -(dy·a/b)/b).
export const DivOp = elementwiseBinary('Div', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(div(dy, b!), a!.shape) : null,
    needsInputGrad[1] ? reduceToShape(neg(div(div(mul(dy, a!), b!), b!)), b!.shape) : null,
  ],
});

/**
 * a / b, elementwise with broadcasting. As in tfjs, int32 / int32 is floor division
 * (-7 / 2 = -4) and stays int32; integer division by zero gives 0.
 *
 * @example
 * ```ts
 * div(tensor([6, 9]), tensor([2, 3])).print(); // [3, 3]
 * tensor([1, 2]).div(4).print(); // [0.25, 0.5]
 * ```
 */
export function div(a: Arg, b: Arg): Tensor {
  return runBinary('div', 'Div', a, b, 'numeric');
}
