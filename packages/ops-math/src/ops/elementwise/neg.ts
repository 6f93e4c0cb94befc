import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor, unaryOp } from '../../util.js';
import { engineOf } from '@tapegrad/core';

export const NegOp = unaryOp('Neg', { floatOnly: false, grad: (dy) => [neg(dy)] });

/** -x. */
export function neg(x: Arg): Tensor {
  const engine = engineOf(x);
  return run(engine, 'Neg', [toTensor(engine, x, 'x', 'neg')]);
}
