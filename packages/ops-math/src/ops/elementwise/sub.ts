import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { neg } from './neg.js';

export const SubOp = elementwiseBinary('Sub', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(dy, a!.shape) : null,
    needsInputGrad[1] ? reduceToShape(neg(dy), b!.shape) : null,
  ],
});

/**
 * a - b, with broadcasting (operands are upcast to one dtype; bool is cast to int32).
 *
 * @example
 * ```ts
 * sub(tensor([5, 7]), tensor([1, 2])).print(); // [4, 5]
 * tensor([[1, 2], [3, 4]]).sub(tensor([1, 1])).print(); // [[0, 1], [2, 3]]
 * ```
 */
export function sub(a: Arg, b: Arg): Tensor {
  return runBinary('sub', 'Sub', a, b, 'numeric');
}
