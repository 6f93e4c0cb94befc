/** (d) The elementwise chain sum(tanh(x*x + 0.5*x) * sigmoid(x)) on 1M floats, forward and with its gradient. */
import { randomArray } from '../harness.js';
import { sumSq, tf, tfTensor, tg, tgTensor } from '../libs.js';
import { add, mul, sigmoid, sum, tanh } from 'tapegrad';
import type { Workload } from '../workload.js';

const N = 1 << 20;

const tgChain = (x: tg.Tensor): tg.Tensor =>
  sum(mul(tanh(add(mul(x, x), mul(x, 0.5))), sigmoid(x)));
const tfChain = (x: tf.Tensor): tf.Scalar =>
  tf.sum(tf.mul(tf.tanh(tf.add(tf.mul(x, x), tf.mul(x, 0.5))), tf.sigmoid(x)));

export function elementwiseWorkloads(): Workload[] {
  const x = randomArray(N, 31, -2, 2);
  const label = 'sum(tanh(x*x+0.5*x)*sigmoid(x)), 1M';
  return [
    {
      group: 'elementwise',
      name: `${label} fwd`,
      torch: 'chain_fwd',
      rtol: 1e-4,
      inputs: { x: { values: x, shape: [N] } },
      setup: {
        tapegrad: () => {
          const X = tgTensor(x, [N]);
          const once = () => tg.tidy(() => tgChain(X).dataSync()[0]!);
          return { run: () => void once(), check: once, dispose: () => X.dispose() };
        },
        tfjs: () => {
          const X = tfTensor(x, [N]);
          const once = () => tf.tidy(() => tfChain(X).dataSync()[0]!);
          return { run: () => void once(), check: once, dispose: () => X.dispose() };
        },
      },
    },
    {
      group: 'elementwise',
      name: `${label} fwd+grad`,
      torch: 'chain_grad',
      rtol: 1e-4,
      inputs: { x: { values: x, shape: [N] } },
      setup: {
        tapegrad: () => {
          const X = tgTensor(x, [N]);
          const f = tg.valueAndGrad(tgChain);
          const once = () =>
            tg.tidy(() => {
              const { value, grad } = f(X);
              return value.dataSync()[0]! + sumSq(grad.dataSync());
            });
          return { run: () => void once(), check: once, dispose: () => X.dispose() };
        },
        tfjs: () => {
          const X = tfTensor(x, [N]);
          const f = tf.valueAndGrad(tfChain);
          const once = () =>
            tf.tidy(() => {
              const { value, grad } = f(X);
              return value.dataSync()[0]! + sumSq(grad.dataSync());
            });
          return { run: () => void once(), check: once, dispose: () => X.dispose() };
        },
      },
    },
  ];
}
