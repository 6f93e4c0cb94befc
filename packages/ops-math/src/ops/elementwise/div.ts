import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOp, binaryOperands, reduceToShape, run } from '../../util.js';
import { mul } from './mul.js';
import { neg } from './neg.js';

// d(a/b)/da = 1/b; d(a/b)/db = -a/b².
export const DivOp = binaryOp('Div', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(div(dy, b!), a!.shape) : null,
    needsInputGrad[1] ? reduceToShape(neg(div(mul(dy, a!), mul(b!, b!))), b!.shape) : null,
  ],
});

/** a / b, elementwise with broadcasting (integer division truncates toward zero for int32). */
export function div(a: Arg, b: Arg): Tensor {
  const [engine, x, y] = binaryOperands('div', a, b);
  return run(engine, 'Div', [x, y]);
}
