import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';

export const NegOp = elementwiseUnary('Neg', { dtypes: 'numeric', grad: (dy) => [neg(dy)] });

/**
 * -x (int32 stays int32; bool is cast to int32).
 *
 * @example
 * ```ts
 * neg(tensor([1, -2])).print(); // [-1, 2]
 * ```
 */
export function neg(x: Arg): Tensor {
  return runUnary('neg', 'Neg', x, 'numeric');
}
