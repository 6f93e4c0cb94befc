import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { toData } from './common.js';

/**
 * A new tensor with x's values (tensors are immutable, so it shares x's data). Gradients pass through.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * const y = clone(x); // same values, its own lifetime
 * x.dispose();
 * y.print(); // [1, 2]
 * ```
 */
export function clone(x: Arg): Tensor {
  const [engine, t] = toData(x, 'clone');
  return run(engine, 'Identity', [t]);
}
