import type { Tensor } from '@tapegrad/core';
import { ShapeError, engineOf, fmtShape, shapesEqual } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { floatArg } from '../common.js';

/** Converts labels and predictions of a loss and requires equal shapes (as tfjs). */
export function lossOperands(
  op: string,
  labels: Arg,
  predictions: Arg,
  names: [string, string] = ['labels', 'predictions'],
): [Tensor, Tensor] {
  engineOf(labels, predictions);
  const l = floatArg(labels, names[0], op);
  const p = floatArg(predictions, names[1], op);
  assertLossShapes(op, l, p, names);
  return [l, p];
}

export function assertLossShapes(op: string, a: Tensor, b: Tensor, names: [string, string]): void {
  if (!shapesEqual(a.shape, b.shape)) {
    throw new ShapeError(
      `${op}: ${names[0]} ${fmtShape(a.shape)} and ${names[1]} ${fmtShape(b.shape)} must have the same shape`,
    );
  }
}
