import type { InputSpec, Shape } from '@tapegrad/core';
import { DTypeError, ShapeError, fmtShape, shapesEqual } from '@tapegrad/core';
import { assertFloat } from '../../util.js';

/**
 * Shape rule of the optimizer updates: every input has the parameter's (the first input's)
 * shape and float dtype, without broadcasting. Returns that shape.
 */
export function parameterShape(
  op: string,
  names: readonly string[],
  inputs: readonly InputSpec[],
): Shape {
  const p = inputs[0]!;
  assertFloat(op, names[0]!, p.dtype);
  inputs.forEach((x, i) => {
    if (!shapesEqual(x.shape, p.shape)) {
      throw new ShapeError(
        `${op}: ${names[i]} has shape ${fmtShape(x.shape)} but ${names[0]} has ${fmtShape(p.shape)}; ` +
          `every input of an optimizer update has the parameter's shape (no broadcasting)`,
      );
    }
    if (x.dtype !== p.dtype) {
      throw new DTypeError(
        `${op}: ${names[i]} is ${x.dtype} but ${names[0]} is ${p.dtype}; every input of an optimizer update has the parameter's dtype`,
      );
    }
  });
  return p.shape;
}
