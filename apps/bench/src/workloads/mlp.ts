/**
 * (c) One training step of an MLP 784-256-128-10 (relu), batch 128, softmax
 * cross-entropy, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8).
 *
 * Both sides use their library's optimizer the same way: `train.adam(...).minimize(loss,
 * true, varList)` (tapegrad's follows torch.optim.Adam's rule; tfjs's is tf.train.adam).
 */
import { oneHotArray, randomArray } from '../harness.js';
import { tf, tfTensor, tg, tgTensor } from '../libs.js';
import { add, losses, matMul, relu, train } from 'tapegrad';
import type { Workload } from '../workload.js';

const BATCH = 128;
const SIZES = [784, 256, 128, 10];
const LR = 1e-3;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

interface InitialParams {
  weights: { values: Float32Array; shape: number[] }[];
  biases: { values: Float32Array; shape: number[] }[];
}

/** Glorot-uniform weights, zero biases: identical starting points for every library. */
function initialParams(): InitialParams {
  const weights = [];
  const biases = [];
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const fanIn = SIZES[l]!;
    const fanOut = SIZES[l + 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    weights.push({
      values: randomArray(fanIn * fanOut, 100 + l, -limit, limit),
      shape: [fanIn, fanOut],
    });
    biases.push({ values: new Float32Array(fanOut), shape: [fanOut] });
  }
  return { weights, biases };
}

/** Variable names are unique per engine: one suffix per setup. */
let instance = 0;

export function mlpWorkloads(): Workload[] {
  const x = randomArray(BATCH * SIZES[0]!, 21, 0, 1);
  const labels = oneHotArray(BATCH, SIZES[SIZES.length - 1]!, 22);
  const init = initialParams();
  let macs = 0;
  for (let l = 0; l + 1 < SIZES.length; l++) macs += BATCH * SIZES[l]! * SIZES[l + 1]!;
  return [
    {
      group: 'mlp',
      name: `MLP ${SIZES.join('-')} train step (batch ${BATCH}, Adam)`,
      // check: the loss of the second step, so it tests the gradients and the first Adam update.
      // forward 2·MACs; backward ≈ 2× forward (dX and dW), first layer's dX skipped by good engines.
      flops: 6 * macs,
      torch: 'mlp_step',
      rtol: 1e-4,
      inputs: {
        x: { values: x, shape: [BATCH, SIZES[0]!] },
        labels: { values: labels, shape: [BATCH, SIZES[SIZES.length - 1]!] },
        ...Object.fromEntries(init.weights.map((w, i) => [`w${i}`, w])),
        ...Object.fromEntries(init.biases.map((b, i) => [`b${i}`, b])),
      },
      setup: {
        tapegrad: () => {
          const id = instance++;
          const X = tgTensor(x, [BATCH, SIZES[0]!]);
          const Y = tgTensor(labels, [BATCH, SIZES[SIZES.length - 1]!]);
          // Variables survive tidy; the temporaries they are made from do not.
          const ws = tg.tidy(() =>
            init.weights.map((w, i) =>
              tg.variable(tgTensor(w.values, w.shape), true, `bench_w${id}_${i}`),
            ),
          );
          const bs = tg.tidy(() =>
            init.biases.map((b, i) =>
              tg.variable(tgTensor(b.values, b.shape), true, `bench_b${id}_${i}`),
            ),
          );
          const params = [...ws, ...bs];
          const optimizer = train.adam(LR, BETA1, BETA2, EPS);
          const loss = (): tg.Tensor => {
            let h: tg.Tensor = X;
            ws.forEach((w, l) => {
              h = add(matMul(h, w), bs[l]!);
              if (l < ws.length - 1) h = relu(h);
            });
            return losses.softmaxCrossEntropy(Y, h);
          };
          const step = (): number =>
            tg.tidy(() => optimizer.minimize(loss, true, params)!.dataSync()[0]!);
          return {
            run: () => void step(),
            check: () => {
              step();
              return step();
            },
            dispose: () => {
              optimizer.dispose();
              tg.dispose([X, Y, ...params]);
            },
          };
        },
        tfjs: () => {
          const X = tfTensor(x, [BATCH, SIZES[0]!]);
          const Y = tfTensor(labels, [BATCH, SIZES[SIZES.length - 1]!]);
          const ws = tf.tidy(() =>
            init.weights.map((w) => tf.variable(tfTensor(w.values, w.shape))),
          );
          const bs = tf.tidy(() =>
            init.biases.map((b) => tf.variable(tfTensor(b.values, b.shape))),
          );
          const optimizer = tf.train.adam(LR, BETA1, BETA2, EPS);
          const loss = (): tf.Scalar => {
            let h: tf.Tensor = X;
            ws.forEach((w, l) => {
              h = tf.add(tf.matMul(h, w), bs[l]!);
              if (l < ws.length - 1) h = tf.relu(h);
            });
            return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(Y, h);
          };
          const step = (): number =>
            tf.tidy(() => optimizer.minimize(loss, true, [...ws, ...bs])!.dataSync()[0]!);
          return {
            run: () => void step(),
            check: () => {
              step();
              return step();
            },
            dispose: () => {
              optimizer.dispose();
              tf.dispose([X, Y, ...ws, ...bs]);
            },
          };
        },
      },
    },
  ];
}
