import type { OpDef, Tensor } from '@tapegrad/core';
import { sizeFromShape } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { cast, run } from '../../util.js';
import type { ReduceAttrs } from './common.js';
import { expandReduced, reduceArgs, reduceOp } from './common.js';

/** Splits sorted axes into runs of consecutive axes: [0,1,3] -> [[0,1],[3]]. */
function contiguousRuns(axes: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const a of axes) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === a - 1) last.push(a);
    else runs.push([a]);
  }
  return runs;
}

/**
 * For every element, the product of the other elements of its reduction group:
 * Π_{j≠i} x_j, computed without division (so exact with zeros) as the product of an
 * exclusive cumprod and an exclusive reverse cumprod over the flattened group.
 * Non-contiguous axes factor: over groups A×B, Π_{(a,b)≠(a0,b0)} = Π_{b≠b0} x_{a0 b} · Π_{a≠a0} Π_b x_{ab}.
 */
export function prodExcept(x: Tensor, axes: readonly number[]): Tensor {
  const e = x.engine;
  const runs = contiguousRuns(axes);
  const last = runs[runs.length - 1]!;
  const shape = x.shape;
  const first = last[0]!;
  const end = last[last.length - 1]! + 1;
  const grouped = [
    sizeFromShape(shape.slice(0, first)),
    sizeFromShape(shape.slice(first, end)),
    sizeFromShape(shape.slice(end)),
  ];
  const xr = run(e, 'Reshape', [x], { shape: grouped });
  const left = run(e, 'Cumprod', [xr], { axis: 1, exclusive: true, reverse: false });
  const right = run(e, 'Cumprod', [xr], { axis: 1, exclusive: true, reverse: true });
  const within = run(e, 'Reshape', [run(e, 'Mul', [left, right])], { shape: [...shape] });
  if (runs.length === 1) return within;
  const rest = axes.filter((a) => !last.includes(a));
  const groupProducts = run(e, 'Prod', [x], { axes: last, keepDims: true });
  return run(e, 'Mul', [within, prodExcept(groupProducts, rest)]);
}

// d/dx_i Π x = Π_{j≠i} x_j: exact with zeros, and differentiable again (see cumprod's gradient).
export const ProdOp: OpDef<ReduceAttrs> = reduceOp('Prod', 'prod', {
  // Product of bools is computed as int32, as in tfjs.
  inferDtype: ([x]) => (x!.dtype === 'bool' ? 'int32' : x!.dtype),
  grad: (dy, { inputs: [x], attrs }) => {
    const dyx = expandReduced(dy, x!.shape, attrs.axes);
    if (attrs.axes.length === 0) return [dyx];
    return [run(x!.engine, 'Mul', [dyx, prodExcept(x!, attrs.axes)])];
  },
});

/**
 * Product over `axis` (all axes by default; negative axes count from the end).
 *
 * @example
 * ```ts
 * prod(tensor([1, 2, 3, 4])).print(); // 24
 * ```
 */
export function prod(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  const r = reduceArgs('prod', x, axis);
  const t = r.t.dtype === 'bool' ? cast(r.t, 'int32') : r.t;
  return run(r.engine, 'Prod', [t], { axes: r.axes, keepDims });
}
