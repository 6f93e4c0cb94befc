import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { greater } from './greater.js';
import { lessEqual } from './less-equal.js';
import { logicalAnd } from './logical-and.js';
import { where } from './where.js';

// Gradient passes where 0 < x <= 6 (as tfjs).
export const Relu6Op = elementwiseUnary('Relu6', {
  dtypes: 'numeric',
  grad: (dy, { inputs: [x] }) => [where(logicalAnd(greater(x!, 0), lessEqual(x!, 6)), dy, 0)],
});

/**
 * min(max(x, 0), 6) (int32 stays int32; bool is cast to int32).
 *
 * @example
 * ```ts
 * relu6(tensor([-1, 3, 8])).print(); // [0, 3, 6]
 * ```
 */
export function relu6(x: Arg): Tensor {
  return runUnary('relu6', 'Relu6', x, 'numeric');
}
