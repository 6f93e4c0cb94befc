import type { OpDef } from '@tapegrad/core';
import { ShapeError, Tensor, engineOf, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { binaryOperands, reduceToShape, toTensor } from '../../util.js';
import { assertDtypeClass, assertSameDtype, runReleasing, unaryOperand } from './common.js';

/** NumPy broadcasting of the three operands of where, naming all three on failure. */
function broadcast3(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const di = s[s.length - rank + i] ?? 1;
      if (di !== 1 && d !== 1 && di !== d) {
        throw new ShapeError(
          `where: shapes of condition ${fmtShape(shapes[0]!)}, a ${fmtShape(shapes[1]!)} and b ${fmtShape(shapes[2]!)} ` +
            `cannot be broadcast together (dimension ${i - rank}; sizes must match or be 1)`,
        );
      }
      if (di !== 1) d = di;
    }
    out[i] = d;
  }
  return out;
}

// The gradient goes to a where the condition holds and to b elsewhere (the condition gets none);
// each part is summed back to its input's shape.
export const WhereOp: OpDef = {
  name: 'Where',
  inputNames: ['condition', 'a', 'b'],
  inferShape(inputs) {
    const [c, a, b] = inputs;
    assertDtypeClass('where', 'condition', c!.dtype, 'bool');
    assertSameDtype('where', [a!, b!], ['a', 'b']);
    return broadcast3([c!.shape, a!.shape, b!.shape]);
  },
  inferDtype: ([, a]) => a!.dtype,
  grad: (dy, { inputs: [c, a, b], needsInputGrad }) => [
    null,
    needsInputGrad[1] ? reduceToShape(where(c!, dy, 0), a!.shape) : null,
    needsInputGrad[2] ? reduceToShape(where(c!, 0, dy), b!.shape) : null,
  ],
};

/**
 * Picks a where condition is true and b elsewhere. All three broadcast (NumPy rules);
 * condition must be bool; a and b are upcast to one dtype.
 *
 * @example
 * ```ts
 * where(tensor([true, false]), tensor([1, 2]), tensor([10, 20])).print(); // [1, 20]
 * ```
 */
export function where(condition: Arg, a: Arg, b: Arg): Tensor {
  const engine = engineOf(condition, a, b);
  const c = unaryOperand(engine, 'where', condition, 'bool', 'condition');
  let first: Arg | undefined;
  let x: Tensor;
  let y: Tensor;
  try {
    // With two plain values, the first takes the condition's engine (binaryOperands finds it from there).
    first = a instanceof Tensor || b instanceof Tensor ? a : toTensor(engine, a, 'a', 'where');
    [, x, y] = binaryOperands('where', first, b);
  } catch (e) {
    if (c !== condition) c.dispose();
    if (first !== a && first instanceof Tensor) first.dispose();
    throw e;
  }
  if (first !== a && x !== first && first instanceof Tensor) first.dispose();
  return runReleasing(engine, 'Where', [c, x, y], [condition, a, b]);
}

/**
 * The method form follows tfjs: `a.where(condition, b)` is `where(condition, a, b)`.
 *
 * @example
 * ```ts
 * const a = tensor([1, 2]);
 * a.where(tensor([true, false]), tensor([10, 20])).print(); // [1, 20]
 * ```
 */
export function whereMethod(a: Tensor, condition: Arg, b: Arg): Tensor {
  return where(condition, a, b);
}
