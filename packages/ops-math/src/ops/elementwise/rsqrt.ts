import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { div } from './div.js';
import { mul } from './mul.js';

// d(x^-1/2)/dx = -x^-3/2 / 2 = -y / (2x).
export const RsqrtOp = elementwiseUnary('Rsqrt', {
  grad: (dy, { inputs: [x], outputs: [y] }) => [div(mul(dy, y!), mul(x!, -2))],
});

/**
 * 1/√x (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * rsqrt(tensor([4, 16])).print(); // [0.5, 0.25]
 * ```
 */
export function rsqrt(x: Arg): Tensor {
  return runUnary('rsqrt', 'Rsqrt', x, 'float');
}
