import type { OpDef, Tensor } from '@tapegrad/core';
import { ArgumentError } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { assertNumberAttr, elementwiseUnary, runUnary } from './common.js';
import { greaterEqual } from './greater-equal.js';
import { lessEqual } from './less-equal.js';
import { logicalAnd } from './logical-and.js';
import { where } from './where.js';

interface ClipAttrs {
  min: number;
  max: number;
}

// The gradient passes where min <= x <= max (bounds included, as tfjs) and is 0 elsewhere.
export const ClipByValueOp: OpDef<ClipAttrs> = elementwiseUnary<ClipAttrs>('ClipByValue', {
  dtypes: 'numeric',
  grad: (dy, { inputs: [x], attrs }) => {
    const { min, max } = attrs;
    return [where(logicalAnd(greaterEqual(x!, min), lessEqual(x!, max)), dy, 0)];
  },
});

/**
 * Clamps x to [clipValueMin, clipValueMax] (NaN stays NaN; int32 stays int32, bool is cast to int32).
 *
 * @example
 * ```ts
 * clipByValue(tensor([-2, 0.5, 3]), -1, 1).print(); // [-1, 0.5, 1]
 * ```
 */
export function clipByValue(x: Arg, clipValueMin: number, clipValueMax: number): Tensor {
  assertNumberAttr('clipByValue', 'clipValueMin', clipValueMin);
  assertNumberAttr('clipByValue', 'clipValueMax', clipValueMax);
  if (!(clipValueMin <= clipValueMax)) {
    throw new ArgumentError(
      `clipByValue: clipValueMin (${clipValueMin}) must be less than or equal to clipValueMax (${clipValueMax})`,
    );
  }
  return runUnary('clipByValue', 'ClipByValue', x, 'numeric', {
    min: clipValueMin,
    max: clipValueMax,
  });
}
