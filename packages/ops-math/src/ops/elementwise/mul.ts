import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';

export const MulOp = elementwiseBinary('Mul', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(mul(dy, b!), a!.shape) : null,
    needsInputGrad[1] ? reduceToShape(mul(dy, a!), b!.shape) : null,
  ],
});

/**
 * a * b, elementwise with broadcasting (operands are upcast to one dtype; bool is cast to int32).
 *
 * @example
 * ```ts
 * mul(tensor([1, 2, 3]), tensor([4, 5, 6])).print(); // [4, 10, 18]
 * tensor([1, 2]).mul(3).print(); // [3, 6]
 * ```
 */
export function mul(a: Arg, b: Arg): Tensor {
  return runBinary('mul', 'Mul', a, b, 'numeric');
}
