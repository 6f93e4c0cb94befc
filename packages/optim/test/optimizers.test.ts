import type { Tensor, Variable } from '@tapegrad/core';
import { memory, tensor, tidy, use, variable } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { math, mul, slice, square, sub, sum } from '@tapegrad/ops-math';
import { beforeAll, describe, expect, it } from 'vitest';
import { train, type Optimizer } from '../src/index.js';

beforeAll(() => {
  use(math);
  use(cpu());
});

// A quadratic with distinct curvatures: f(w) = Σ a·(w − c)², ∇f = 2a·(w − c).
const A = [1, 4, 0.25];
const C = [1, -2, 3];
const W0 = [0.5, 0.5, -1];
const quadratic = (w: Tensor) => sum(mul(tensor(A), square(sub(w, tensor(C)))));
const gradient = (w: number[]) => w.map((x, i) => 2 * A[i]! * (x - C[i]!));

/** torch.optim's update rules, written out in float64 JavaScript for one parameter vector. */
type Reference = (w: number[], g: number[], t: number) => number[];

function reference(name: string, lr: number, opts: Record<string, number | boolean>): Reference {
  const n = W0.length;
  const zeros = () => new Array<number>(n).fill(0);
  const [m, v, u, b] = [zeros(), zeros(), zeros(), zeros()];
  const accum = new Array<number>(n).fill((opts.init as number) ?? 0.1);
  return (w, g, t) =>
    w.map((x, i) => {
      const gi = g[i]!;
      switch (name) {
        case 'sgd':
          return x - lr * gi;
        case 'momentum': {
          b[i] = (opts.momentum as number) * b[i]! + gi;
          const d = opts.nesterov ? gi + (opts.momentum as number) * b[i] : b[i];
          return x - lr * d;
        }
        case 'adam':
        case 'adamw': {
          const [b1, b2, eps] = [0.9, 0.999, 1e-8];
          const decayed = name === 'adamw' ? x * (1 - lr * (opts.wd as number)) : x;
          m[i] = b1 * m[i]! + (1 - b1) * gi;
          v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
          return decayed - (lr * (m[i] / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
        }
        case 'rmsprop': {
          const rho = 0.9;
          v[i] = rho * v[i]! + (1 - rho) * gi * gi;
          let avg = v[i];
          if (opts.centered) {
            m[i] = rho * m[i]! + (1 - rho) * gi;
            avg -= m[i] ** 2;
          }
          const denom = Math.sqrt(avg) + 1e-8;
          if ((opts.momentum as number) > 0) {
            b[i] = (opts.momentum as number) * b[i]! + gi / denom;
            return x - lr * b[i];
          }
          return x - (lr * gi) / denom;
        }
        case 'adagrad':
          accum[i]! += gi * gi;
          return x - (lr * gi) / (Math.sqrt(accum[i]!) + 1e-10);
        case 'adadelta': {
          const [rho, eps] = [0.95, 1e-6];
          v[i] = rho * v[i]! + (1 - rho) * gi * gi;
          const delta = (Math.sqrt(u[i]! + eps) / Math.sqrt(v[i] + eps)) * gi;
          u[i] = rho * u[i]! + (1 - rho) * delta * delta;
          return x - lr * delta;
        }
        case 'adamax': {
          const [b1, b2, eps] = [0.9, 0.999, 1e-8];
          m[i] = b1 * m[i]! + (1 - b1) * gi;
          u[i] = Math.max(b2 * u[i]!, Math.abs(gi) + eps);
          return x - (lr / (1 - b1 ** t)) * (m[i] / u[i]);
        }
        default:
          throw new Error(name);
      }
    });
}

const cases: [string, () => Optimizer, Reference][] = [
  ['sgd', () => train.sgd(0.1), reference('sgd', 0.1, {})],
  ['momentum', () => train.momentum(0.05, 0.9), reference('momentum', 0.05, { momentum: 0.9 })],
  [
    'momentum (nesterov)',
    () => train.momentum(0.05, 0.9, true),
    reference('momentum', 0.05, { momentum: 0.9, nesterov: true }),
  ],
  ['adam', () => train.adam(0.1), reference('adam', 0.1, {})],
  ['adamw', () => train.adamw(0.1, 0.9, 0.999, 1e-8, 0.1), reference('adamw', 0.1, { wd: 0.1 })],
  ['rmsprop', () => train.rmsprop(0.01), reference('rmsprop', 0.01, { momentum: 0 })],
  [
    'rmsprop (centered, momentum)',
    () => train.rmsprop(0.01, 0.9, 0.5, 1e-8, true),
    reference('rmsprop', 0.01, { momentum: 0.5, centered: true }),
  ],
  ['adagrad', () => train.adagrad(0.5, 0.1), reference('adagrad', 0.5, { init: 0.1 })],
  ['adadelta', () => train.adadelta(1), reference('adadelta', 1, {})],
  ['adamax', () => train.adamax(0.1), reference('adamax', 0.1, {})],
];

describe('optimizers reproduce torch.optim trajectories on a quadratic', () => {
  for (const [name, make, ref] of cases) {
    it(`${name}: minimize() for 6 steps`, () => {
      const opt = make();
      const w = variable(W0, true, `w_${name}`);
      let expected = [...W0];
      for (let t = 1; t <= 6; t++) {
        opt.minimize(() => quadratic(w));
        expected = ref(expected, gradient(expected), t);
        Array.from(w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 5));
      }
      expect(opt.iterations).toBe(6);
      w.dispose();
      opt.dispose();
    });
  }

  it('imperative step()/zeroGrad() applies the same update as minimize()', () => {
    const a = variable(W0, true, 'imperative_a');
    const b = variable(W0, true, 'imperative_b');
    const optA = train.adam(0.1);
    const optB = train.adam(0.1);
    for (let t = 0; t < 3; t++) {
      optA.minimize(() => quadratic(a), false, [a]);
      tidy(() => quadratic(b).backward());
      optB.step([b]);
      optB.zeroGrad([b]);
      expect(b.grad).toBeNull();
    }
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  });
});

describe('optimizer API', () => {
  it('the seed: train.sgd(1).minimize of the vector cost Y[1]·Y gives w = [-4, -25]', () => {
    const w = variable([2, 3], true, 'seed_w');
    const X = tensor([-1, -2]);
    train.sgd(1).minimize(() => {
      const Y = mul(w, X);
      return mul(slice(Y, [1], [1]), Y);
    });
    expect(Array.from(w.dataSync())).toEqual([-4, -25]);
  });

  it('minimize returns the cost when asked; memory stays flat across steps', () => {
    const w = variable([1, 1, 1], true, 'flat_w');
    const opt = train.adam(0.01);
    opt.minimize(() => quadratic(w), false, [w]); // creates the slots
    const before = memory();
    for (let i = 0; i < 20; i++) opt.minimize(() => quadratic(w), false, [w]);
    expect(memory()).toEqual(before);
    const cost = opt.minimize(() => quadratic(w), true, [w])!;
    expect(cost.shape).toEqual([]);
    cost.dispose();
  });

  it('getWeights/setWeights round-trip the state so training resumes identically', () => {
    const w1 = variable(W0, true, 'resume_w');
    const opt1 = train.adam(0.1);
    for (let i = 0; i < 3; i++) opt1.minimize(() => quadratic(w1), false, [w1]);
    const state = opt1.getWeights();
    expect(state.map((s) => s.name)).toEqual(['iterations', 'resume_w/m', 'resume_w/v']);
    const opt2 = train.adam(0.1);
    opt2.setWeights(state);
    const snapshot = Array.from(w1.dataSync());
    opt1.minimize(() => quadratic(w1), false, [w1]);
    const after1 = Array.from(w1.dataSync());
    w1.assign(tensor(snapshot));
    opt2.minimize(() => quadratic(w1), false, [w1]);
    expect(Array.from(w1.dataSync())).toEqual(after1);
  });

  it('bad hyper-parameters and unknown variables are clear errors', () => {
    expect(() => train.sgd(-1)).toThrow(/learning rate must be a non-negative number/);
    expect(() => train.adam(0.1, 1.5)).toThrow(/adam: beta1 must be in \[0, 1\), got 1.5/);
    expect(() => train.sgd(0.1).applyGradients({ nope: tensor([1]) })).toThrow(
      /no variable named 'nope'/,
    );
    const v: Variable = variable([1, 2], true, 'shape_v');
    expect(() => train.sgd(0.1).applyGradients({ shape_v: tensor([1, 2, 3]) })).toThrow(
      /gradient for 'shape_v' has shape \[3\], the variable \[2\]/,
    );
    expect(Array.from(v.dataSync())).toEqual([1, 2]);
  });

  it('a learning rate can be a function of the step', () => {
    const w = variable([0], true, 'sched_w');
    const opt = train.sgd((t) => (t === 0 ? 1 : 0.5));
    opt.minimize(() => sum(mul(w, tensor([1]))), false, [w]); // g = 1, lr 1
    opt.minimize(() => sum(mul(w, tensor([1]))), false, [w]); // g = 1, lr 0.5
    expect(Array.from(w.dataSync())).toEqual([-1.5]);
  });
});
