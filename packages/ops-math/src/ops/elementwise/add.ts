import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOp, binaryOperands, reduceToShape, run } from '../../util.js';

export const AddOp = binaryOp('Add', {
  grad: (dy, { inputs: [a, b] }) => [reduceToShape(dy, a!.shape), reduceToShape(dy, b!.shape)],
});

/** a + b, with broadcasting. */
export function add(a: Arg, b: Arg): Tensor {
  const [engine, x, y] = binaryOperands('add', a, b);
  return run(engine, 'Add', [x, y]);
}
