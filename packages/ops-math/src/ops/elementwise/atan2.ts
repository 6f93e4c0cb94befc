import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { reduceToShape } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';
import { add } from './add.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { square } from './square.js';

// ∂atan2(a, b)/∂a = b/(a² + b²); ∂atan2(a, b)/∂b = -a/(a² + b²).
export const Atan2Op = elementwiseBinary('Atan2', {
  dtypes: 'float',
  grad: (dy, { inputs: [a, b], needsInputGrad }) => {
    const scaled = div(dy, add(square(a!), square(b!)));
    return [
      needsInputGrad[0] ? reduceToShape(mul(scaled, b!), a!.shape) : null,
      needsInputGrad[1] ? reduceToShape(neg(mul(scaled, a!)), b!.shape) : null,
    ];
  },
});

/**
 * The angle of the point (b, a): atan(a/b) in the right quadrant, with broadcasting (int32/bool are cast to float32).
 *
 * @example
 * ```ts
 * atan2(tensor([1, 1]), tensor([1, -1])).print(); // [0.7854, 2.3562]
 * ```
 */
export function atan2(a: Arg, b: Arg): Tensor {
  return runBinary('atan2', 'Atan2', a, b, 'float');
}
