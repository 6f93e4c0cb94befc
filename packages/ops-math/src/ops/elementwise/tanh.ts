import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { tanhGrad } from './tanh-grad.js';

// d(tanh x)/dx = 1 - tanh²x, written with the output (so the second derivative is -2y(1 - y²)).
export const TanhOp = elementwiseUnary('Tanh', {
  grad: (dy, { outputs: [y] }) => [tanhGrad(dy, y!)],
});

/**
 * Hyperbolic tangent (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * tanh(tensor([0, 1])).print(); // [0, 0.7616]
 * ```
 */
export function tanh(x: Arg): Tensor {
  return runUnary('tanh', 'Tanh', x, 'float');
}
