import type { OpDef, Tensor } from '@tapegrad/core';
import { normalizeAxis } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { div } from '../elementwise/div.js';
import { exp } from '../elementwise/exp.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { sum } from '../reduction/sum.js';
import { max } from '../reduction/max.js';
import { alongAxisShape, floatArg } from './common.js';

export const SoftmaxOp: OpDef<{ axis: number }> = {
  name: 'Softmax',
  inputNames: ['logits'],
  inferShape: alongAxisShape('softmax'),
  // With y = softmax(x): dx = y ⊙ (dy − Σ_axis dy ⊙ y). Written with ops, so it differentiates again.
  grad: (dy, { outputs: [y], attrs: { axis } }) => [mul(y!, sub(dy, sum(mul(dy, y!), axis, true)))],
  composite: ([x], { axis }) => {
    const e = exp(sub(x!, max(x!, axis, true)));
    return div(e, sum(e, axis, true));
  },
};

/**
 * Softmax along `dim` (default the last axis), numerically stable for large logits.
 *
 * @example
 * ```ts
 * softmax(tensor([0, Math.log(3)])).print(); // [0.25, 0.75]
 * ```
 */
export function softmax(logits: Arg, dim = -1): Tensor {
  const x = floatArg(logits, 'logits', 'softmax');
  return run(x.engine, 'Softmax', [x], { axis: normalizeAxis('softmax', dim, x.rank, 'dim') });
}
