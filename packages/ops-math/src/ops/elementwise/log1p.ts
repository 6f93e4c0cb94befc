import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { add } from './add.js';
import { div } from './div.js';

export const Log1pOp = elementwiseUnary('Log1p', {
  grad: (dy, { inputs: [x] }) => [div(dy, add(x!, 1))],
});

/**
 * log(1 + x), accurate for small x (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * log1p(tensor([0, 1e-7])).print(); // [0, 1e-7]
 * ```
 */
export function log1p(x: Arg): Tensor {
  return runUnary('log1p', 'Log1p', x, 'float');
}
