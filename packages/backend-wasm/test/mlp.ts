import type { Engine, Variable } from '@tapegrad/core';
import { Random, createTensor } from '@tapegrad/core';
import { add, losses, matMul, mul, relu, sub } from '@tapegrad/ops-math';

/**
 * A one-hidden-layer MLP (inputs → hidden → 10 classes) trained by plain SGD on one fixed
 * batch: the training loop of the memory and thread tests. Weights are uniform in
 * ±`weightScale`, inputs in ±1; `step()` runs one step and returns its loss.
 */
export function mlpTraining(
  engine: Engine,
  {
    inputs,
    hidden,
    batch,
    weightScale,
  }: { inputs: number; hidden: number; batch: number; weightScale: number },
): { step: () => number; params: Variable[] } {
  const t = (shape: number[], seed: number, scale: number) => {
    const rng = new Random(seed);
    const n = shape.reduce((a, b) => a * b, 1);
    return createTensor(
      engine,
      Array.from({ length: n }, () => scale * (2 * rng.uniform() - 1)),
      shape,
    );
  };
  const w1 = engine.variable(t([inputs, hidden], 1, weightScale), true, 'w1');
  const b1 = engine.variable(t([hidden], 2, weightScale), true, 'b1');
  const w2 = engine.variable(t([hidden, 10], 3, weightScale), true, 'w2');
  const x = t([batch, inputs], 4, 1);
  const labels = createTensor(
    engine,
    Array.from({ length: batch }, (_, i) =>
      Array.from({ length: 10 }, (_, k) => (k === i % 10 ? 1 : 0)),
    ),
  );
  const params = [w1, b1, w2];
  const step = () =>
    engine.tidy(() => {
      const loss = losses.softmaxCrossEntropy(labels, matMul(relu(add(matMul(x, w1), b1)), w2));
      loss.backward();
      for (const p of params) {
        p.assign(sub(p, mul(p.grad!, 0.1)));
        p.grad = null;
      }
      return loss.dataSync()[0]!;
    });
  return { step, params };
}
