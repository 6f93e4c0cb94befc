/** The two seed examples of tapegrad, with the numbers they must give. */
import * as tg from 'tapegrad';
import { expectClose, fmt } from './check.js';

/**
 * (i) w = [2, 3], X = [-1, -2], Y = w * X, cost = Y[1] * Y; one gradient-descent
 * step with learning rate 1 gives w = [-4, -25].
 *
 * cost is not a scalar: as in TF (and `minimize`), its gradient is that of its sum,
 * cost₀ + cost₁ = w₁x₁·w₀x₀ + (w₁x₁)², so ∂/∂w = [w₁x₁x₀, x₁w₀x₀ + 2w₁x₁²] = [6, 28].
 */
export function seedGradientStep(): void {
  console.log('(i) one gradient-descent step on cost = Y[1] * Y, Y = w * X');
  const w = tg.variable([2, 3], true, 'seed_w');
  const X = tg.tensor([-1, -2]);
  const lr = 1;
  try {
    tg.tidy(() => {
      const Y = tg.mul(w, X);
      const Y1 = tg.slice(Y, [1], [1]); // Y[1], kept as a 1-element tensor: broadcasts against Y
      const cost = tg.mul(Y1, Y);
      const [dw] = tg.gradients(cost, [w]); // sums the non-scalar cost, as TF does
      console.log(`  w = ${fmt(w.dataSync())}, X = ${fmt(X.dataSync())}`);
      console.log(
        `  Y = w * X = ${fmt(Y.dataSync())}, Y[1] = ${fmt(Y1.dataSync())}, cost = Y[1] * Y = ${fmt(cost.dataSync())}`,
      );
      expectClose('d sum(cost) / dw', dw!.dataSync(), [6, 28]);
      tg.noGrad(() => w.assign(tg.sub(w, tg.mul(dw!, lr))));
    });
    expectClose('w after one step with lr = 1', w.dataSync(), [-4, -25]);
  } finally {
    tg.dispose([w, X]);
  }

  // The same step with an optimizer: minimize() of a non-scalar cost minimizes its sum.
  const w2 = tg.variable([2, 3], true, 'seed_w2');
  const X2 = tg.tensor([-1, -2]);
  try {
    const sgd = tg.train.sgd(lr);
    sgd.minimize(
      () => {
        const Y = tg.mul(w2, X2);
        return tg.mul(tg.slice(Y, [1], [1]), Y);
      },
      false,
      [w2],
    );
    sgd.dispose();
    expectClose('w after train.sgd(1).minimize(cost)', w2.dataSync(), [-4, -25]);
  } finally {
    tg.dispose([w2, X2]);
  }
}

/** (ii) f(x, y) = x²y + y + 2 at (3, 4): f = 42, ∂f/∂x = 2xy = 24, ∂f/∂y = x² + 1 = 10. */
export function seedPartials(): void {
  console.log('(ii) f(x, y) = x²y + y + 2 at (x, y) = (3, 4)');
  const f = (x: tg.Tensor, y: tg.Tensor): tg.Tensor =>
    tg.add(tg.add(tg.mul(tg.mul(x, x), y), y), 2);
  tg.tidy(() => {
    // Functional (tfjs / JAX style).
    const x = tg.scalar(3);
    const y = tg.scalar(4);
    const { value, grads } = tg.valueAndGrads(f)([x, y]);
    expectClose('f(3, 4)', value.dataSync(), [42]);
    expectClose(
      '[∂f/∂x, ∂f/∂y] with valueAndGrads',
      [grads[0]!.dataSync()[0]!, grads[1]!.dataSync()[0]!],
      [24, 10],
    );

    // Imperative (PyTorch style): leaves that require grad, backward(), .grad.
    const xi = tg.scalar(3).requiresGrad_();
    const yi = tg.scalar(4).requiresGrad_();
    f(xi, yi).backward();
    expectClose(
      '[x.grad, y.grad] with backward()',
      [xi.grad!.dataSync()[0]!, yi.grad!.dataSync()[0]!],
      [24, 10],
    );
  });
}
