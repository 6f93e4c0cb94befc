/**
 * (f) 2-D convolution, channels-last (NHWC), and (g) one training step of the demo CNN
 * (apps/mnist/src/model.ts).
 *
 * conv2d: x 32×28×28×16, filter 3×3×16×32, stride 1, 'same'; forward, and forward +
 * backward (gradients w.r.t. x and the filter of conv2d(x, f) for a fixed random dy).
 *
 * CNN: x 32×28×28×1 → conv 3×3×1×16 'same' + bias, relu, maxPool 2 (stride 2, 'valid')
 * → conv 3×3×16×32 'same' + bias, relu, maxPool 2 → flatten 1568 → dense 10 (+ bias);
 * softmax cross-entropy; SGD (lr 0.01) via each library's optimizer
 * (`train.sgd(lr).minimize(loss, true, varList)`).
 *
 * PyTorch (python/bench_torch.py) works in its native NCHW layout: inputs, dy and weights
 * are permuted once, outside the timed region.
 */
import { oneHotArray, randomArray } from '../harness.js';
import { sumSq, tf, tfTensor, tg, tgTensor } from '../libs.js';
import { add, conv2d, losses, matMul, maxPool, relu, reshape, train } from 'tapegrad';
import type { Workload } from '../workload.js';

// conv2d workloads
const N = 32;
const H = 28;
const W = 28;
const CIN = 16;
const COUT = 32;
const K = 3;

// CNN workload
const CNN_BATCH = 32;
const IMAGE = 28;
const C1 = 16;
const C2 = 32;
const CLASSES = 10;
const FLAT = (IMAGE / 4) * (IMAGE / 4) * C2; // 7·7·32 = 1568
const LR = 0.01;

function convWorkloads2d(): Workload[] {
  const xShape = [N, H, W, CIN];
  const fShape = [K, K, CIN, COUT];
  const yShape = [N, H, W, COUT]; // 'same', stride 1
  const x = randomArray(N * H * W * CIN, 31, -1, 1);
  const limit = Math.sqrt(6 / (K * K * CIN));
  const f = randomArray(K * K * CIN * COUT, 32, -limit, limit);
  const dy = randomArray(N * H * W * COUT, 33, -1, 1);
  const macs = N * H * W * COUT * K * K * CIN;
  const shapes = `x ${xShape.join('x')}, f ${fShape.join('x')}, same`;
  return [
    {
      group: 'conv2d',
      name: `${shapes} fwd`,
      flops: 2 * macs,
      torch: 'conv2d_fwd',
      rtol: 1e-4,
      inputs: { x: { values: x, shape: xShape }, f: { values: f, shape: fShape } },
      setup: {
        tapegrad: () => {
          const X = tgTensor(x, xShape);
          const F = tgTensor(f, fShape);
          const once = () => tg.tidy(() => conv2d(X, F, 1, 'same').dataSync());
          return {
            run: () => void once(),
            check: () => sumSq(once()),
            dispose: () => tg.dispose([X, F]),
          };
        },
        tfjs: () => {
          const X = tfTensor(x, xShape) as tf.Tensor4D;
          const F = tfTensor(f, fShape) as tf.Tensor4D;
          const once = () => tf.tidy(() => tf.conv2d(X, F, 1, 'same').dataSync());
          return {
            run: () => void once(),
            check: () => sumSq(once()),
            dispose: () => tf.dispose([X, F]),
          };
        },
      },
    },
    {
      group: 'conv2d',
      name: `${shapes} fwd+bwd (dx, df)`,
      // forward 2·MACs, dx and df another 2·MACs each.
      flops: 6 * macs,
      torch: 'conv2d_grad',
      rtol: 1e-4,
      inputs: {
        x: { values: x, shape: xShape },
        f: { values: f, shape: fShape },
        dy: { values: dy, shape: yShape },
      },
      setup: {
        tapegrad: () => {
          const X = tgTensor(x, xShape);
          const F = tgTensor(f, fShape);
          const DY = tgTensor(dy, yShape);
          const g = tg.grads((x_: tg.Tensor, f_: tg.Tensor) => conv2d(x_, f_, 1, 'same'));
          const once = () =>
            tg.tidy(() => {
              const [dx, df] = g([X, F], DY);
              return sumSq(dx!.dataSync()) + sumSq(df!.dataSync());
            });
          return {
            run: () => void once(),
            check: once,
            dispose: () => tg.dispose([X, F, DY]),
          };
        },
        tfjs: () => {
          const X = tfTensor(x, xShape);
          const F = tfTensor(f, fShape);
          const DY = tfTensor(dy, yShape);
          const g = tf.grads((x_: tf.Tensor, f_: tf.Tensor) =>
            tf.conv2d(x_ as tf.Tensor4D, f_ as tf.Tensor4D, 1, 'same'),
          );
          const once = () =>
            tf.tidy(() => {
              const [dx, df] = g([X, F], DY);
              return sumSq(dx!.dataSync()) + sumSq(df!.dataSync());
            });
          return {
            run: () => void once(),
            check: once,
            dispose: () => tf.dispose([X, F, DY]),
          };
        },
      },
    },
  ];
}

interface Param {
  name: string;
  values: Float32Array;
  shape: number[];
}

/** He-uniform kernels, zero biases (seeded): identical starting points for every library. */
function cnnParams(): Param[] {
  const heUniform = (name: string, shape: number[], fanIn: number, seed: number): Param => {
    const limit = Math.sqrt(6 / fanIn);
    const size = shape.reduce((a, b) => a * b, 1);
    return { name, values: randomArray(size, seed, -limit, limit), shape };
  };
  const zeros = (name: string, size: number): Param => ({
    name,
    values: new Float32Array(size),
    shape: [size],
  });
  return [
    heUniform('k1', [3, 3, 1, C1], 9, 41),
    zeros('b1', C1),
    heUniform('k2', [3, 3, C1, C2], 9 * C1, 42),
    zeros('b2', C2),
    heUniform('w', [FLAT, CLASSES], FLAT, 43),
    zeros('b', CLASSES),
  ];
}

/** Variable names are unique per engine: one suffix per setup. */
let instance = 0;

function cnnWorkload(): Workload {
  const xShape = [CNN_BATCH, IMAGE, IMAGE, 1];
  const x = randomArray(CNN_BATCH * IMAGE * IMAGE, 44, 0, 1);
  const labels = oneHotArray(CNN_BATCH, CLASSES, 45);
  const params = cnnParams();
  const macs =
    CNN_BATCH * IMAGE * IMAGE * C1 * 9 * 1 +
    CNN_BATCH * (IMAGE / 2) * (IMAGE / 2) * C2 * 9 * C1 +
    CNN_BATCH * FLAT * CLASSES;
  return {
    group: 'cnn',
    name: `demo CNN 28x28x1 c16-pool-c32-pool-dense10 train step (batch ${CNN_BATCH}, SGD)`,
    // check: the loss of the second step, so it tests the gradients and the first SGD update.
    // forward 2·MACs; backward ≈ 2× forward (the first conv's dx is skipped by good engines).
    flops: 6 * macs,
    torch: 'cnn_step',
    rtol: 1e-4,
    inputs: {
      x: { values: x, shape: xShape },
      labels: { values: labels, shape: [CNN_BATCH, CLASSES] },
      ...Object.fromEntries(params.map((p) => [p.name, { values: p.values, shape: p.shape }])),
    },
    setup: {
      tapegrad: () => {
        const id = instance++;
        const X = tgTensor(x, xShape);
        const Y = tgTensor(labels, [CNN_BATCH, CLASSES]);
        // Variables survive tidy; the temporaries they are made from do not.
        const vars = tg.tidy(() =>
          params.map((p) =>
            tg.variable(tgTensor(p.values, p.shape), true, `bench_cnn${id}_${p.name}`),
          ),
        );
        const [k1, b1, k2, b2, w, b] = vars as [
          tg.Variable,
          tg.Variable,
          tg.Variable,
          tg.Variable,
          tg.Variable,
          tg.Variable,
        ];
        const optimizer = train.sgd(LR);
        const block = (h: tg.Tensor, kernel: tg.Tensor, bias: tg.Tensor) =>
          maxPool(relu(add(conv2d(h, kernel, 1, 'same'), bias)), 2, 2, 'valid');
        const loss = (): tg.Tensor => {
          const features = block(block(X, k1, b1), k2, b2);
          const logits = add(matMul(reshape(features, [CNN_BATCH, FLAT]), w), b);
          return losses.softmaxCrossEntropy(Y, logits);
        };
        const step = (): number =>
          tg.tidy(() => optimizer.minimize(loss, true, vars)!.dataSync()[0]!);
        return {
          run: () => void step(),
          check: () => {
            step();
            return step();
          },
          dispose: () => {
            optimizer.dispose();
            tg.dispose([X, Y, ...vars]);
          },
        };
      },
      tfjs: () => {
        const X = tfTensor(x, xShape) as tf.Tensor4D;
        const Y = tfTensor(labels, [CNN_BATCH, CLASSES]);
        const vars = tf.tidy(() => params.map((p) => tf.variable(tfTensor(p.values, p.shape))));
        const [k1, b1, k2, b2, w, b] = vars as [
          tf.Variable,
          tf.Variable,
          tf.Variable,
          tf.Variable,
          tf.Variable,
          tf.Variable,
        ];
        const optimizer = tf.train.sgd(LR);
        const block = (h: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor): tf.Tensor4D =>
          tf.maxPool(
            tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(h, kernel as tf.Tensor4D, 1, 'same'), bias)),
            2,
            2,
            'valid',
          );
        const loss = (): tf.Scalar => {
          const features = block(block(X, k1, b1), k2, b2);
          const logits = tf.add(tf.matMul(tf.reshape(features, [CNN_BATCH, FLAT]), w), b);
          return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(Y, logits);
        };
        const step = (): number =>
          tf.tidy(() => optimizer.minimize(loss, true, vars)!.dataSync()[0]!);
        return {
          run: () => void step(),
          check: () => {
            step();
            return step();
          },
          dispose: () => {
            optimizer.dispose();
            tf.dispose([X, Y, ...vars]);
          },
        };
      },
    },
  };
}

export function convWorkloads(): Workload[] {
  return [...convWorkloads2d(), cnnWorkload()];
}
