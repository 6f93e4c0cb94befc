import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { add } from './add.js';
import { greater } from './greater.js';
import { mul } from './mul.js';
import { where } from './where.js';

// elu'(x) = 1 for x > 0, e^x = y + 1 otherwise.
export const EluOp = elementwiseUnary('Elu', {
  grad: (dy, { inputs: [x], outputs: [y] }) => [where(greater(x!, 0), dy, mul(dy, add(y!, 1)))],
});

/**
 * Exponential linear unit: x for x > 0, e^x - 1 otherwise (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * elu(tensor([-1, 2])).print(); // [-0.6321, 2]
 * ```
 */
export function elu(x: Arg): Tensor {
  return runUnary('elu', 'Elu', x, 'float');
}
