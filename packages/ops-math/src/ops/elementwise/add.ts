import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';

export const AddOp = elementwiseBinary('Add', {
  grad: (dy, { inputs: [a, b] }) => [reduceToShape(dy, a!.shape), reduceToShape(dy, b!.shape)],
});

/**
 * a + b, with broadcasting (operands are upcast to one dtype; bool is cast to int32).
 *
 * @example
 * ```ts
 * add(tensor([1, 2]), tensor([3, 4])).print(); // [4, 6]
 * tensor([[1], [2]]).add(10).print(); // [[11], [12]]
 * ```
 */
export function add(a: Arg, b: Arg): Tensor {
  return runBinary('add', 'Add', a, b, 'numeric');
}
