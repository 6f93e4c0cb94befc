import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';

export const AddOp = elementwiseBinary('Add', {
  grad: (dy, { inputs: [a, b] }) => [reduceToShape(dy, a!.shape), reduceToShape(dy, b!.shape)],
});

/** a + b, with broadcasting (operands are upcast to one dtype; bool is cast to int32). */
export function add(a: Arg, b: Arg): Tensor {
  return runBinary('add', 'Add', a, b, 'numeric');
}
