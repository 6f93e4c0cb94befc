import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { div } from './div.js';
import { mul } from './mul.js';

// d√x/dx = 1/(2√x), written with the output y = √x.
export const SqrtOp = elementwiseUnary('Sqrt', {
  grad: (dy, { outputs: [y] }) => [div(dy, mul(y!, 2))],
});

/**
 * Square root (NaN for x < 0; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * sqrt(tensor([4, 2])).print(); // [2, 1.4142]
 * ```
 */
export function sqrt(x: Arg): Tensor {
  return runUnary('sqrt', 'Sqrt', x, 'float');
}
