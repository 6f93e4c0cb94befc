import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { reluGrad } from './relu-grad.js';

// relu'(x) = 1 for x > 0, else 0 (0 at the kink, as tfjs).
export const ReluOp = elementwiseUnary('Relu', {
  dtypes: 'numeric',
  grad: (dy, { inputs: [x] }) => [reluGrad(dy, x!)],
});

/**
 * max(x, 0) (NaN stays NaN; int32 stays int32; bool is cast to int32).
 *
 * @example
 * ```ts
 * relu(tensor([-1, 0, 2])).print(); // [0, 0, 2]
 * ```
 */
export function relu(x: Arg): Tensor {
  return runUnary('relu', 'Relu', x, 'numeric');
}
