import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOp, binaryOperands, reduceToShape, run } from '../../util.js';
import { neg } from './neg.js';

export const SubOp = binaryOp('Sub', {
  grad: (dy, { inputs: [a, b] }) => [reduceToShape(dy, a!.shape), reduceToShape(neg(dy), b!.shape)],
});

/** a - b, with broadcasting. */
export function sub(a: Arg, b: Arg): Tensor {
  const [engine, x, y] = binaryOperands('sub', a, b);
  return run(engine, 'Sub', [x, y]);
}
