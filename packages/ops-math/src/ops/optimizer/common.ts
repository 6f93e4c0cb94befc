import type { InputSpec, Shape } from '@tapegrad/core';
import { ArgumentError, DTypeError, ShapeError, fmtShape, shapesEqual } from '@tapegrad/core';
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

/** What an optimizer hyperparameter may be: a finite number >= 0, a decay in [0, 1), a step number. */
export type HyperKind = 'nonNegative' | 'decay' | 'step';

const VALID: Record<HyperKind, [string, (v: number) => boolean]> = {
  nonNegative: ['a finite number >= 0', (v) => v >= 0 && v < Infinity],
  decay: ['in [0, 1)', (v) => v >= 0 && v < 1],
  step: ['an integer >= 1', (v) => Number.isInteger(v) && v >= 1],
};

/** Validates hyperparameters by kind; throws an ArgumentError naming the op, the attribute and the valid range. */
export function checkHyperparameters(
  op: string,
  attrs: object,
  kinds: Readonly<Record<string, HyperKind>>,
): void {
  for (const [name, kind] of Object.entries(kinds)) {
    const value = (attrs as Record<string, unknown>)[name];
    const [valid, ok] = VALID[kind];
    if (!(typeof value === 'number' && ok(value)))
      throw new ArgumentError(`${op}: ${name} must be ${valid}, got ${String(value)}`);
  }
}
