import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { sigmoidGrad } from './sigmoid-grad.js';

// σ' = σ(1 - σ), written with the output (so the second derivative is σ(1 - σ)(1 - 2σ)).
export const SigmoidOp = elementwiseUnary('Sigmoid', {
  grad: (dy, { outputs: [y] }) => [sigmoidGrad(dy, y!)],
});

/**
 * Logistic function 1/(1 + e^-x), computed without overflow (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * sigmoid(tensor([0, 2])).print(); // [0.5, 0.8808]
 * ```
 */
export function sigmoid(x: Arg): Tensor {
  return runUnary('sigmoid', 'Sigmoid', x, 'float');
}
