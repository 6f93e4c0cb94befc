import type { OpDef, Tensor } from '@tapegrad/core';
import { ArgumentError, engineOf } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { runMulti, toTensor } from '../../util.js';
import { add } from '../elementwise/add.js';
import { div } from '../elementwise/div.js';
import { mul } from '../elementwise/mul.js';
import { sqrt } from '../elementwise/sqrt.js';
import { square } from '../elementwise/square.js';
import { sub } from '../elementwise/sub.js';
import { checkHyperparameters, parameterShape } from './common.js';

/** Attributes of RMSPropUpdate: torch.optim.RMSprop's alpha (`decay`), momentum, ε and `centered`. */
export interface RMSPropUpdateAttrs {
  lr: number;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

/**
 * The state inputs (and outputs, after the parameter) of an RMSPropUpdate with these attributes.
 *
 * @example
 * ```ts
 * console.log(rmspropState({ centered: true, momentum: 0.9 })); // ['squareAvg', 'gradAvg', 'buf']
 * ```
 */
export function rmspropState(attrs: Pick<RMSPropUpdateAttrs, 'centered' | 'momentum'>): string[] {
  return [
    'squareAvg',
    ...(attrs.centered ? ['gradAvg'] : []),
    ...(attrs.momentum > 0 ? ['buf'] : []),
  ];
}

/**
 * One RMSprop step as one op (torch.optim.RMSprop): s ← ρ·s + (1−ρ)·g²; centered:
 * ḡ ← ρ·ḡ + (1−ρ)·g and d = √(s − ḡ²) + ε, else d = √s + ε; with momentum μ > 0:
 * b ← μ·b + g/d, p ← p − lr·b, else p ← p − lr·g/d. Inputs [param, grad, squareAvg,
 * gradAvg (centered), buf (momentum)]; outputs the new parameter and state in that order.
 * No gradient.
 */
export const RMSPropUpdateOp: OpDef<RMSPropUpdateAttrs> = {
  name: 'RMSPropUpdate',
  numOutputs: (_, attrs) => 1 + rmspropState(attrs).length,
  nondifferentiable: true,
  inferShape(inputs, attrs) {
    checkHyperparameters('rmspropUpdate', attrs, {
      lr: 'nonNegative',
      decay: 'decay',
      momentum: 'nonNegative',
      epsilon: 'nonNegative',
    });
    if (typeof attrs.centered !== 'boolean') {
      throw new ArgumentError(
        `rmspropUpdate: centered must be true or false, got ${String(attrs.centered)}`,
      );
    }
    const names = ['param', 'grad', ...rmspropState(attrs)];
    if (inputs.length !== names.length) {
      throw new ArgumentError(
        `rmspropUpdate: expected ${names.length} inputs (${names.join(', ')}) for centered=${attrs.centered}, ` +
          `momentum=${attrs.momentum}; got ${inputs.length}`,
      );
    }
    const shape = parameterShape('rmspropUpdate', names, inputs);
    return names.slice(1).map(() => shape);
  },
  composite: ([p, g, ...state], { lr, decay, momentum, epsilon, centered }) => {
    const s = add(mul(state[0]!, decay), mul(square(g!), 1 - decay));
    const gAvg = centered ? add(mul(state[1]!, decay), mul(g!, 1 - decay)) : null;
    const denom = add(sqrt(gAvg ? sub(s, square(gAvg)) : s), epsilon);
    const out = [s, ...(gAvg ? [gAvg] : [])];
    if (momentum > 0) {
      const buf = add(mul(state[state.length - 1]!, momentum), div(g!, denom));
      return [sub(p!, mul(buf, lr)), ...out, buf];
    }
    return [sub(p!, mul(div(g!, denom), lr)), ...out];
  },
};

/** Options of `rmspropUpdate`; defaults as RMSPropOptimizer (decay 0.9, tfjs's), torch's ε. */
export interface RMSPropUpdateOptions {
  lr: number;
  decay?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/**
 * One fused RMSprop step (torch.optim.RMSprop): from the parameter, its gradient and the
 * state (`squareAvg`; `gradAvg` when centered; `buf` with momentum > 0), returns the new
 * parameter and state in one pass. Not differentiable. `RMSPropOptimizer` (@tapegrad/optim)
 * uses it.
 *
 * @example
 * ```ts
 * const s = rmspropUpdate(tensor([1, 2]), [2, -4], { squareAvg: [0, 0] }, { lr: 0.01 });
 * s.squareAvg.print(); // [0.4, 1.6]
 * s.param.print(); // [0.9684, 2.0316]
 * ```
 */
export function rmspropUpdate(
  param: Arg,
  grad: Arg,
  state: { squareAvg: Arg; gradAvg?: Arg; buf?: Arg },
  options: RMSPropUpdateOptions,
): { param: Tensor; squareAvg: Tensor; gradAvg?: Tensor; buf?: Tensor } {
  const engine = engineOf(param, grad, state.squareAvg, state.gradAvg, state.buf);
  const p = toTensor(engine, param, 'param', 'rmspropUpdate');
  const attrs: RMSPropUpdateAttrs = {
    lr: options.lr,
    decay: options.decay ?? 0.9,
    momentum: options.momentum ?? 0,
    epsilon: options.epsilon ?? 1e-8,
    centered: options.centered ?? false,
  };
  const names = rmspropState(attrs) as ('squareAvg' | 'gradAvg' | 'buf')[];
  const inputs = [p, toTensor(engine, grad, 'grad', 'rmspropUpdate', p.dtype)];
  for (const name of names) {
    if (state[name] === undefined) {
      throw new ArgumentError(
        `rmspropUpdate: state.${name} is required with centered=${attrs.centered}, momentum=${attrs.momentum}`,
      );
    }
    inputs.push(toTensor(engine, state[name], name, 'rmspropUpdate', p.dtype));
  }
  const [p1, ...rest] = runMulti(engine, 'RMSPropUpdate', inputs, { ...attrs });
  return { param: p1!, ...Object.fromEntries(names.map((name, i) => [name, rest[i]!])) } as {
    param: Tensor;
    squareAvg: Tensor;
    gradAvg?: Tensor;
    buf?: Tensor;
  };
}
