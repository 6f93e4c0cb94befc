import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { assertNumberAttr, elementwiseUnary, runUnary } from './common.js';
import { greater } from './greater.js';
import { mul } from './mul.js';
import { where } from './where.js';

// leakyRelu'(x) = 1 for x > 0, alpha otherwise.
export const LeakyReluOp: OpDef<{ alpha: number }> = elementwiseUnary<{ alpha: number }>(
  'LeakyRelu',
  {
    dtypes: 'numeric',
    grad: (dy, { inputs: [x], attrs }) => [where(greater(x!, 0), dy, mul(dy, attrs.alpha))],
  },
);

/**
 * x for x > 0, alpha·x otherwise (tfjs default alpha = 0.2; int32 stays int32, bool is cast to int32).
 *
 * @example
 * ```ts
 * leakyRelu(tensor([-2, 3]), 0.1).print(); // [-0.2, 3]
 * ```
 */
export function leakyRelu(x: Arg, alpha = 0.2): Tensor {
  assertNumberAttr('leakyRelu', 'alpha', alpha);
  return runUnary('leakyRelu', 'LeakyRelu', x, 'numeric', { alpha });
}
