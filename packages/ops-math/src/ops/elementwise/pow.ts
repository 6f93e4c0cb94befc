import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { equal } from './equal.js';
import { greater } from './greater.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { where } from './where.js';

/*
 * d(a^b)/da = b·a^(b-1). At b = 0 that is 0·a^-1, NaN at a = 0: the exponent b - 1 is
 * replaced by 1 there (giving 0·a = 0), so the gradient of a^0 is 0 everywhere.
 * d(a^b)/db = a^b·ln(a), used only where a > 0 and 0 elsewhere (as tfjs: a negative
 * base has no real logarithm). The log's argument is made safe (1 where a <= 0) so that
 * the unused branch is finite and second derivatives stay NaN-free.
 */
export const PowOp = elementwiseBinary('Pow', {
  names: ['base', 'exp'],
  grad: (dy, { inputs: [a, b], outputs: [y], needsInputGrad }) => {
    let da: Tensor | null = null;
    let db: Tensor | null = null;
    if (needsInputGrad[0]) {
      const exponent = where(equal(b!, 0), 1, sub(b!, 1));
      da = reduceToShape(mul(dy, mul(b!, pow(a!, exponent))), a!.shape);
    }
    if (needsInputGrad[1]) {
      const positive = greater(a!, 0);
      const logA = where(positive, log(where(positive, a!, 1)), 0);
      db = reduceToShape(mul(dy, mul(y!, logA)), b!.shape);
    }
    return [da, db];
  },
});

/**
 * base^exp, elementwise with broadcasting (tfjs order). A negative base with a non-integer
 * exponent gives NaN; int32^int32 stays int32.
 *
 * @example
 * ```ts
 * pow(tensor([2, 3]), tensor([3, 2])).print(); // [8, 9]
 * tensor([4, 9]).pow(0.5).print(); // [2, 3]
 * ```
 */
export function pow(base: Arg, exp: Arg): Tensor {
  return runBinary('pow', 'Pow', base, exp, 'numeric', undefined, ['base', 'exp']);
}
