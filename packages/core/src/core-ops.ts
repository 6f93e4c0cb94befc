import { DTypeError, ShapeError, fmtShape } from './errors.js';
import type { OpDef } from './op.js';
import { shapesEqual } from './shape.js';

/**
 * The few ops the tape itself needs. Every backend implements `AddN`;
 * `Identity` and `StopGradient` alias their input and need no kernel.
 */
export const IdentityOp: OpDef = {
  name: 'Identity',
  inputNames: ['x'],
  aliasInput: 0,
  inferShape: ([x]) => x!.shape,
  grad: (dy) => [dy],
};

export const StopGradientOp: OpDef = {
  name: 'StopGradient',
  inputNames: ['x'],
  aliasInput: 0,
  nondifferentiable: true,
  inferShape: ([x]) => x!.shape,
};

/** Sum of same-shape, same-dtype tensors (gradient accumulation). */
export const AddNOp: OpDef = {
  name: 'AddN',
  inferShape(inputs) {
    if (inputs.length === 0) throw new ShapeError('addN: needs at least one tensor');
    const first = inputs[0]!;
    inputs.forEach((t, i) => {
      if (!shapesEqual(t.shape, first.shape)) {
        throw new ShapeError(
          `addN: all tensors must have the same shape; tensors[0] is ${fmtShape(first.shape)}, tensors[${i}] is ${fmtShape(t.shape)}`,
        );
      }
      if (t.dtype !== first.dtype) {
        throw new DTypeError(
          `addN: all tensors must have the same dtype; tensors[0] is ${first.dtype}, tensors[${i}] is ${t.dtype}`,
        );
      }
    });
    return first.shape;
  },
  grad: (dy, ctx) => ctx.inputs.map(() => dy),
};

export const CORE_OPS: readonly OpDef[] = [IdentityOp, StopGradientOp, AddNOp];
