import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { div } from './div.js';

export const LogOp = elementwiseUnary('Log', {
  grad: (dy, { inputs: [x] }) => [div(dy, x!)],
});

/**
 * Natural logarithm (NaN for x < 0, -Infinity at 0; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * log(tensor([1, Math.E])).print(); // [0, 1]
 * ```
 */
export function log(x: Arg): Tensor {
  return runUnary('log', 'Log', x, 'float');
}
