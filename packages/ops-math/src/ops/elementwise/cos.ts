import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary } from './common.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sin } from './sin.js';

export const CosOp = elementwiseUnary('Cos', {
  grad: (dy, { inputs: [x] }) => [neg(mul(dy, sin(x!)))],
});

/**
 * Cosine (radians; int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * cos(tensor([0, Math.PI])).print(); // [1, -1]
 * ```
 */
export function cos(x: Arg): Tensor {
  return runUnary('cos', 'Cos', x, 'float');
}
