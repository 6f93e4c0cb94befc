/** (d) The elementwise chain sum(tanh(x*x + 0.5*x) * sigmoid(x)) on 1M floats, forward and with its gradient. */
import { randomArray } from '../harness.js';
import { jax, jxArray, jxData, maybeJit, np, sumSq, tf, tfTensor, tg, tgTensor } from '../libs.js';
import { add, mul, sigmoid, sum, tanh } from 'tapegrad';
import type { Workload } from '../workload.js';

const N = 1 << 20;
/**
 * The check sums 2²⁰ float32 terms: tapegrad (float64 accumulation), tfjs-cpu and PyTorch
 * (pairwise) agree to ~1e-9, but tfjs-wasm and jax-js accumulate in float32 and land
 * 6.3e-4 (forward) / 4.3e-4 (with gradient) away, so the tolerance here is 1e-3.
 */
const SUM_RTOL = 1e-3;

const tgChain = (x: tg.Tensor): tg.Tensor =>
  sum(mul(tanh(add(mul(x, x), mul(x, 0.5))), sigmoid(x)));
const tfChain = (x: tf.Tensor): tf.Scalar =>
  tf.sum(tf.mul(tf.tanh(tf.add(tf.mul(x, x), tf.mul(x, 0.5))), tf.sigmoid(x)));

// jax-js takes ownership of arguments: x is used four times, so three `.ref`s.
const jxChain = (x: jax.Array): jax.Array =>
  np.sum(
    np.multiply(np.tanh(np.add(np.multiply(x.ref, x.ref), x.ref.mul(0.5))), jax.nn.sigmoid(x)),
  );

export function elementwiseWorkloads(): Workload[] {
  const x = randomArray(N, 31, -2, 2);
  const label = 'sum(tanh(x*x+0.5*x)*sigmoid(x)), 1M';
  return [
    {
      group: 'elementwise',
      name: `${label} fwd`,
      torch: 'chain_fwd',
      rtol: SUM_RTOL,
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
        jax: (jit) => {
          const X = jxArray(x, [N]);
          const f = maybeJit(jxChain, jit);
          const once = () => jxData(f.fn(X.ref))[0]!;
          return {
            run: () => void once(),
            check: once,
            dispose: () => {
              f.dispose();
              X.dispose();
            },
          };
        },
      },
    },
    {
      group: 'elementwise',
      name: `${label} fwd+grad`,
      torch: 'chain_grad',
      rtol: SUM_RTOL,
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
        jax: (jit) => {
          const X = jxArray(x, [N]);
          const f = maybeJit(jax.valueAndGrad(jxChain), jit);
          const once = () => {
            const [value, grad] = f.fn(X.ref);
            return jxData(value)[0]! + sumSq(jxData(grad));
          };
          return {
            run: () => void once(),
            check: once,
            dispose: () => {
              f.dispose();
              X.dispose();
            },
          };
        },
      },
    },
  ];
}
