import type { OpDef, Tensor } from '@tapegrad/core';
import { normalizeAxis } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { exp } from '../elementwise/exp.js';
import { log } from '../elementwise/log.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { sum } from '../reduction/sum.js';
import { max } from '../reduction/max.js';
import { alongAxisShape, floatArg } from './common.js';

export const LogSoftmaxOp: OpDef<{ axis: number }> = {
  name: 'LogSoftmax',
  inputNames: ['logits'],
  inferShape: alongAxisShape('logSoftmax'),
  // With y = x − logΣexp(x): dx = dy − softmax(x) · Σ_axis dy, and softmax(x) = exp(y).
  grad: (dy, { outputs: [y], attrs: { axis } }) => [sub(dy, mul(exp(y!), sum(dy, axis, true)))],
  composite: ([x], { axis }) => {
    const shifted = sub(x!, max(x!, axis, true));
    return sub(shifted, log(sum(exp(shifted), axis, true)));
  },
};

/**
 * log(softmax(logits)) along `axis` (default the last), computed stably.
 *
 * @example
 * ```ts
 * logSoftmax(tensor([0, 0])).print(); // [-0.6931, -0.6931]
 * ```
 */
export function logSoftmax(logits: Arg, axis = -1): Tensor {
  const x = floatArg(logits, 'logits', 'logSoftmax');
  return run(x.engine, 'LogSoftmax', [x], { axis: normalizeAxis('logSoftmax', axis, x.rank) });
}
