import type { OpDef, Tensor } from '@tapegrad/core';
import { ArgumentError, ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import { isArray, toData } from './common.js';

export interface PadAttrs {
  /** [before, after] for every dimension (non-negative). */
  paddings: [number, number][];
  constantValue: number;
}

function fmtPaddings(p: readonly (readonly number[])[]): string {
  return `[${p.map((q) => `[${q.join(',')}]`).join(',')}]`;
}

export const PadOp: OpDef<PadAttrs> = {
  name: 'Pad',
  inputNames: ['x'],
  inferShape([x], { paddings }) {
    const shape = x!.shape;
    if (!Array.isArray(paddings) || paddings.length !== shape.length) {
      throw new ShapeError(
        `pad: paddings must have one [before, after] pair per dimension of x ${fmtShape(shape)} (${shape.length} pairs), got ${
          Array.isArray(paddings) ? fmtPaddings(paddings) : String(paddings)
        }`,
      );
    }
    paddings.forEach((p, i) => {
      if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0)) {
        throw new ShapeError(
          `pad: paddings ${fmtPaddings(paddings)} for x ${fmtShape(shape)}: entry ${i} must be a pair of non-negative integers [before, after]`,
        );
      }
    });
    return shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  },
  grad: (dy, { inputs: [x], attrs: { paddings } }) => [
    run(dy.engine, 'Slice', [dy], { begin: paddings.map((p) => p[0]), size: [...x!.shape] }),
  ],
};

/**
 * Pads x with `constantValue` (default 0): paddings[i] = [before, after] for dimension i.
 *
 * @example
 * ```ts
 * pad(tensor([[1, 2]]), [[1, 0], [0, 1]]).print(); // [[0, 0, 0], [1, 2, 0]]
 * ```
 */
export function pad(
  x: Arg,
  paddings: readonly (readonly [number, number] | readonly number[])[],
  constantValue = 0,
): Tensor {
  const [engine, t] = toData(x, 'pad');
  if (typeof constantValue !== 'number') {
    throw new ArgumentError(`pad: constantValue must be a number, got ${typeof constantValue}`);
  }
  const p = isArray(paddings) ? paddings.map((q) => (isArray(q) ? [...q] : q)) : paddings;
  return run(engine, 'Pad', [t], { paddings: p, constantValue });
}
