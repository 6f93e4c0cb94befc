import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { composed, elementwiseBinary, runBinary } from './common.js';
import { div } from './div.js';
import { equal } from './equal.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { where } from './where.js';

/*
 * Composite: a / b where b != 0, else 0. The denominator is made safe (1 where b = 0)
 * before dividing, so the unused branch never holds Inf/NaN. Gradients are written with
 * divNoNan itself (0 where b = 0): ∂/∂a = 1/b, ∂/∂b = -a/b² = -((a·dy)/b)/b.
 */
export const DivNoNanOp = elementwiseBinary('DivNoNan', {
  grad: (dy, { inputs: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? reduceToShape(divNoNan(dy, b!), a!.shape) : null,
    needsInputGrad[1]
      ? reduceToShape(neg(divNoNan(divNoNan(mul(dy, a!), b!), b!)), b!.shape)
      : null,
  ],
  composite: ([a, b]) =>
    composed([a!, b!], () => {
      const zero = equal(b!, 0);
      return where(zero, 0, div(a!, where(zero, 1, b!)));
    }),
});

/**
 * a / b, but 0 where b is 0 (even for a = 0 or NaN/Inf a), with broadcasting. int32 divides by floor, as div.
 *
 * @example
 * ```ts
 * divNoNan(tensor([1, 2]), tensor([0, 4])).print(); // [0, 0.5]
 * ```
 */
export function divNoNan(a: Arg, b: Arg): Tensor {
  return runBinary('divNoNan', 'DivNoNan', a, b, 'numeric');
}
