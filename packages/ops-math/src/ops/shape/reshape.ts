import type { OpDef, Shape, Tensor } from '@tapegrad/core';
import { ShapeError, engineOf, fmtShape, sizeFromShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';

/** Reshape shares the input's data: no kernel, no copy. */
export const ReshapeOp: OpDef<{ shape: number[] }> = {
  name: 'Reshape',
  inputNames: ['x'],
  aliasInput: 0,
  inferShape([x], { shape }) {
    if (sizeFromShape(shape) !== sizeFromShape(x!.shape)) {
      throw new ShapeError(
        `reshape: cannot reshape x of shape ${fmtShape(x!.shape)} (${sizeFromShape(x!.shape)} elements) to ${fmtShape(shape)} (${sizeFromShape(shape)} elements)`,
      );
    }
    return shape;
  },
  grad: (dy, { inputs: [x] }) => [reshape(dy, x!.shape)],
};

/** Resolves one -1 entry of a requested shape. */
export function inferReshape(op: string, shape: Shape, size: number): number[] {
  const out = [...shape];
  const unknown = out.indexOf(-1);
  if (
    out.some((d, i) => (d < 0 && i !== unknown) || !Number.isInteger(d)) ||
    out.lastIndexOf(-1) !== unknown
  ) {
    throw new ShapeError(
      `${op}: shape ${fmtShape(shape)} may contain non-negative integers and at most one -1`,
    );
  }
  if (unknown >= 0) {
    const known = sizeFromShape(out.filter((d) => d !== -1));
    if (known === 0 || size % known !== 0) {
      throw new ShapeError(`${op}: cannot infer the -1 in ${fmtShape(shape)} for ${size} elements`);
    }
    out[unknown] = size / known;
  }
  return out;
}

/**
 * Same data, new shape (one dimension may be -1).
 *
 * @example
 * ```ts
 * reshape(range(0, 6), [2, 3]).print(); // [[0, 1, 2], [3, 4, 5]]
 * tensor([[1, 2], [3, 4]]).reshape([-1]).print(); // [1, 2, 3, 4]
 * ```
 */
export function reshape(x: Arg, shape: Shape): Tensor {
  const engine = engineOf(x);
  const t = toTensor(engine, x, 'x', 'reshape');
  return run(engine, 'Reshape', [t], { shape: inferReshape('reshape', shape, t.size) });
}
