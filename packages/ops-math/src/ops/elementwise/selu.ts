import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { composed, elementwiseUnary, runUnary } from './common.js';
import { add } from './add.js';
import { expm1 } from './expm1.js';
import { greater } from './greater.js';
import { mul } from './mul.js';
import { where } from './where.js';

/** Constants of selu (Klambauer et al. 2017), as tfjs. */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

/*
 * Composite: scale·x for x > 0, scale·alpha·(e^x - 1) otherwise.
 * selu'(x) = scale for x > 0, scale·alpha·e^x = y + scale·alpha otherwise.
 */
export const SeluOp = elementwiseUnary('Selu', {
  grad: (dy, { inputs: [x], outputs: [y] }) => [
    mul(dy, where(greater(x!, 0), SELU_SCALE, add(y!, SELU_SCALE * SELU_ALPHA))),
  ],
  composite: ([x]) =>
    composed([x!], () => mul(where(greater(x!, 0), x!, mul(expm1(x!), SELU_ALPHA)), SELU_SCALE)),
});

/**
 * Scaled exponential linear unit (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * selu(tensor([-1, 1])).print(); // [-1.1113, 1.0507]
 * ```
 */
export function selu(x: Arg): Tensor {
  return runUnary('selu', 'Selu', x, 'float');
}
