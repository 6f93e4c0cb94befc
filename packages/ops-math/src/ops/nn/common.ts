import type { InputSpec, Tensor } from '@tapegrad/core';
import { engineOf, normalizeAxis } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { assertFloat, cast, toTensor } from '../../util.js';

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
