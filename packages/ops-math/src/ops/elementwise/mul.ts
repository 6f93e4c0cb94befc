import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOp, binaryOperands, reduceToShape, run } from '../../util.js';

export const MulOp = binaryOp('Mul', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(mul(dy, b!), a!.shape) : null,
    needsInputGrad[1] ? reduceToShape(mul(dy, a!), b!.shape) : null,
  ],
});

/** a * b, elementwise with broadcasting. */
export function mul(a: Arg, b: Arg): Tensor {
  const [engine, x, y] = binaryOperands('mul', a, b);
  return run(engine, 'Mul', [x, y]);
}
