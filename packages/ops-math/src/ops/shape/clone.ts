import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { toData } from './common.js';

/** A new tensor with x's values (tensors are immutable, so it shares x's data). Gradients pass through. */
export function clone(x: Arg): Tensor {
  const [engine, t] = toData(x, 'clone');
  return run(engine, 'Identity', [t]);
}
