/** (b) Forward + backward of sum(relu(X·W + b)), gradients w.r.t. W and b. */
import { randomArray } from '../harness.js';
import { jax, jxArray, jxData, maybeJit, np, sumSq, tf, tfTensor, tg, tgTensor } from '../libs.js';
import { add, matMul, relu, sum } from 'tapegrad';
import type { Workload } from '../workload.js';

const BATCH = 128;
const IN = 784;
const OUT = 256;

export function denseGradWorkloads(): Workload[] {
  const x = randomArray(BATCH * IN, 11, 0, 1);
  const w = randomArray(IN * OUT, 12, -0.05, 0.05);
  const bias = randomArray(OUT, 13, -0.1, 0.1);
  // Forward 2·B·I·O, backward dW = Xᵀ·dY another 2·B·I·O (+ elementwise, ignored).
  const flops = 4 * BATCH * IN * OUT;
  return [
    {
      group: 'dense grad',
      name: `sum(relu(X·W+b)) fwd+bwd, X ${BATCH}x${IN}, W ${IN}x${OUT}`,
      flops,
      torch: 'dense_grad',
      rtol: 1e-4,
      inputs: {
        x: { values: x, shape: [BATCH, IN] },
        w: { values: w, shape: [IN, OUT] },
        b: { values: bias, shape: [OUT] },
      },
      setup: {
        tapegrad: () => {
          const X = tgTensor(x, [BATCH, IN]);
          const W = tgTensor(w, [IN, OUT]);
          const b = tgTensor(bias, [OUT]);
          const f = tg.valueAndGrads((W_: tg.Tensor, b_: tg.Tensor) =>
            sum(relu(add(matMul(X, W_), b_))),
          );
          const once = () =>
            tg.tidy(() => {
              const { value, grads } = f([W, b]);
              return (
                value.dataSync()[0]! + sumSq(grads[0]!.dataSync()) + sumSq(grads[1]!.dataSync())
              );
            });
          return { run: () => void once(), check: once, dispose: () => tg.dispose([X, W, b]) };
        },
        tfjs: () => {
          const X = tfTensor(x, [BATCH, IN]);
          const W = tfTensor(w, [IN, OUT]);
          const b = tfTensor(bias, [OUT]);
          const f = tf.valueAndGrads((W_: tf.Tensor, b_: tf.Tensor) =>
            tf.sum(tf.relu(tf.add(tf.matMul(X, W_), b_))),
          );
          const once = () =>
            tf.tidy(() => {
              const { value, grads } = f([W, b]);
              return (
                value.dataSync()[0]! + sumSq(grads[0]!.dataSync()) + sumSq(grads[1]!.dataSync())
              );
            });
          return { run: () => void once(), check: once, dispose: () => tf.dispose([X, W, b]) };
        },
        jax: (jit) => {
          const X = jxArray(x, [BATCH, IN]);
          const W = jxArray(w, [IN, OUT]);
          const b = jxArray(bias, [OUT]);
          const f = maybeJit(
            jax.valueAndGrad(
              (W_: jax.Array, b_: jax.Array, X_: jax.Array) =>
                np.sum(jax.nn.relu(np.add(np.matmul(X_, W_), b_))),
              { argnums: [0, 1] },
            ),
            jit,
          );
          const once = () => {
            const [value, [dW, db]] = f.fn(W.ref, b.ref, X.ref);
            return jxData(value)[0]! + sumSq(jxData(dW)) + sumSq(jxData(db));
          };
          return {
            run: () => void once(),
            check: once,
            dispose: () => {
              f.dispose();
              jax.tree.dispose([X, W, b]);
            },
          };
        },
      },
    },
  ];
}
