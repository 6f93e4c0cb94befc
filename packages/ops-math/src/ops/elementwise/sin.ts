import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { cos } from './cos.js';
import { mul } from './mul.js';

export const SinOp = elementwiseUnary('Sin', {
  grad: (dy, { inputs: [x] }) => [mul(dy, cos(x!))],
});

/**
 * Sine (radians; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * sin(tensor([0, Math.PI / 2])).print(); // [0, 1]
 * ```
 */
export function sin(x: Arg): Tensor {
  return runUnary('sin', 'Sin', x, 'float');
}
