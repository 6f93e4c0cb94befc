import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { composed, elementwiseUnary, runUnary } from './common.js';
import { isInf } from './is-inf.js';
import { isNaN } from './is-nan.js';
import { logicalNot } from './logical-not.js';
import { logicalOr } from './logical-or.js';

// Composite: NOT (isNaN(x) OR isInf(x)).
export const IsFiniteOp = elementwiseUnary('IsFinite', {
  dtypes: 'any',
  inferDtype: () => 'bool',
  nondifferentiable: true,
  composite: ([x]) => composed([x!], () => logicalNot(logicalOr(isNaN(x!), isInf(x!)))),
});

/**
 * Whether each element is finite (neither NaN nor ±Infinity): a bool tensor.
 *
 * @example
 * ```ts
 * isFinite(tensor([1, Infinity, NaN])).print(); // [true, false, false]
 * ```
 */
export function isFinite(x: Arg): Tensor {
  return runUnary('isFinite', 'IsFinite', x, 'any');
}
