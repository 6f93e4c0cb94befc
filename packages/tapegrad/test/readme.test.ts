import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';

// The examples of the READMEs, kept runnable.
describe('README examples', () => {
  it('root README: the seed step gives w = [-4, -25] and d²/dx² x³ = 6x', () => {
    const f = (x: tg.Tensor, y: tg.Tensor) => x.square().mul(y).add(y).add(2);
    const [dfdx, dfdy] = tg.grads(f)([tg.scalar(3), tg.scalar(4)]);
    expect([dfdx!.dataSync()[0], dfdy!.dataSync()[0]]).toEqual([24, 10]);
    const w = tg.variable([2, 3]);
    const X = tg.tensor([-1, -2]);
    tg.tidy(() => {
      const Y = w.mul(X);
      const cost = Y.slice([1], [1]).mul(Y);
      cost.sum().backward();
      w.assign(w.sub(w.grad!));
    });
    expect(Array.from(w.dataSync())).toEqual([-4, -25]);
    const d2 = tg.grad((x) => tg.grad((y) => y.mul(y).mul(y))(x));
    expect(d2(tg.scalar(2)).dataSync()[0]).toBe(12);
  });

  it('tapegrad README: Adam fits a linear regression', () => {
    const w = tg.variable(tg.randomNormal([2, 1], 0, 1, 42));
    const x = tg.tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = tg.tensor([[1], [2], [3]]);
    const opt = tg.train.adam(0.1);
    for (let i = 0; i < 300; i++) opt.minimize(() => tg.losses.meanSquaredError(y, x.matMul(w)));
    const loss = tg.losses.meanSquaredError(y, x.matMul(w)).dataSync()[0]!;
    expect(loss).toBeLessThan(1e-3);
  });
});
