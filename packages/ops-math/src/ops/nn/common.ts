import type { InputSpec, Tensor } from '@tapegrad/core';
import { engineOf, normalizeAxes, normalizeAxis } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { assertFloat, cast, run, toTensor } from '../../util.js';
import { div } from '../elementwise/div.js';
import { sum } from '../reduction/sum.js';

/** Shape rule of ops normalizing along one axis (softmax, logSoftmax). */
export function alongAxisShape(op: string) {
  return ([x]: readonly InputSpec[], { axis }: { axis: number }) => {
    assertFloat(op, 'logits', x!.dtype);
    normalizeAxis(op, axis, x!.shape.length, 'dim');
    return x!.shape;
  };
}

/** A float tensor from an argument (int32/bool cast to float32, as tfjs does for these ops). */
export function floatArg(x: Arg, arg: string, op: string): Tensor {
  const engine = engineOf(x);
  const t = toTensor(engine, x, arg, op);
  return t.dtype === 'float32' || t.dtype === 'float64' ? t : cast(t, 'float32');
}

/** Mean over `axis` (all axes by default). */
export function meanOver(x: Tensor, axis?: number | number[] | null, keepDims = false): Tensor {
  const axes = normalizeAxes('mean', axis, x.rank);
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return div(sum(x, axes, keepDims), count);
}

/** Max over one axis keeping it (numerical stabilization of softmax compositions). */
export function maxKeep(x: Tensor, axis: number): Tensor {
  return run(x.engine, 'Max', [x], { axes: [axis], keepDims: true });
}
