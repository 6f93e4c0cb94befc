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
 * PyTorch (python/bench_torch.py) and jax-js (`lax.conv`, whose operands are [N, C, H, W]
 * and [Cout, Cin, kh, kw]) work in NCHW: inputs, dy and weights are permuted once,
 * outside the timed region (the CNN's dense weight rows too, to match the channels-first
 * flatten). jax-js has no maxPool op: `lax.reduceWindow(x, max, [2, 2], [2, 2])` is its
 * JAX-style equivalent.
 */
import { oneHotArray, randomArray } from '../harness.js';
import {
  jax,
  jxArray,
  jxData,
  maybeJit,
  np,
  permute,
  sumSq,
  tf,
  tfRead,
  tfTensor,
  tg,
  tgTensor,
} from '../libs.js';
import { jaxSoftmaxCrossEntropy } from './mlp.js';
import { add, conv2d, losses, matMul, maxPool, relu, reshape, train } from 'tapegrad';
import type { Workload } from '../workload.js';
import { trainingRunner } from '../workload.js';

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

/** NHWC → NCHW shape. */
const nchw = (s: number[]) => [s[0]!, s[3]!, s[1]!, s[2]!];
/** [kh, kw, in, out] → [out, in, kh, kw] shape. */
const oihw = (s: number[]) => [s[3]!, s[2]!, s[0]!, s[1]!];

function convWorkloads2d(): Workload[] {
  const xShape = [N, H, W, CIN];
  const fShape = [K, K, CIN, COUT];
  const yShape = [N, H, W, COUT]; // 'same', stride 1
  const x = randomArray(N * H * W * CIN, 31, -1, 1);
  const limit = Math.sqrt(6 / (K * K * CIN));
  const f = randomArray(K * K * CIN * COUT, 32, -limit, limit);
  const dy = randomArray(N * H * W * COUT, 33, -1, 1);
  const macs = N * H * W * COUT * K * K * CIN;
  const xNchw = permute(x, xShape, [0, 3, 1, 2]);
  const fOihw = permute(f, fShape, [3, 2, 0, 1]);
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
          const once = () => tfRead(() => tf.conv2d(X, F, 1, 'same'));
          return {
            run: () => void once(),
            check: () => sumSq(once()),
            dispose: () => tf.dispose([X, F]),
          };
        },
        jax: (jit) => {
          const X = jxArray(xNchw, nchw(xShape));
          const F = jxArray(fOihw, oihw(fShape));
          const f = maybeJit(
            (x_: jax.Array, f_: jax.Array) => jax.lax.conv(x_, f_, [1, 1], 'SAME'),
            jit,
          );
          const once = () => jxData(f.fn(X.ref, F.ref));
          return {
            run: () => void once(),
            check: () => sumSq(once()),
            dispose: () => {
              f.dispose();
              jax.tree.dispose([X, F]);
            },
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
        jax: (jit) => {
          const X = jxArray(xNchw, nchw(xShape));
          const F = jxArray(fOihw, oihw(fShape));
          const DY = jxArray(permute(dy, yShape, [0, 3, 1, 2]), nchw(yShape));
          // dx and df: the vjp of conv(x, f) at dy.
          const f = maybeJit((x_: jax.Array, f_: jax.Array, dy_: jax.Array) => {
            const [y, back] = jax.vjp(
              (a: jax.Array, b: jax.Array) => jax.lax.conv(a, b, [1, 1], 'SAME'),
              [x_, f_],
            );
            y.dispose();
            const grads = back(dy_);
            back.dispose();
            return grads;
          }, jit);
          const once = () => {
            const [dx, df] = f.fn(X.ref, F.ref, DY.ref);
            return sumSq(jxData(dx)) + sumSq(jxData(df));
          };
          return {
            run: () => void once(),
            check: once,
            dispose: () => {
              f.dispose();
              jax.tree.dispose([X, F, DY]);
            },
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
        return trainingRunner(step, () => {
          optimizer.dispose();
          tg.dispose([X, Y, ...vars]);
        });
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
        return trainingRunner(step, () => {
          optimizer.dispose();
          tf.dispose([X, Y, ...vars]);
        });
      },
      jax: (jit) => {
        const X = jxArray(permute(x, xShape, [0, 3, 1, 2]), nchw(xShape));
        const Y = jxArray(labels, [CNN_BATCH, CLASSES]);
        const byName = Object.fromEntries(params.map((p) => [p.name, p]));
        const kernel = (name: string) => {
          const p = byName[name]!;
          return jxArray(permute(p.values, p.shape, [3, 2, 0, 1]), oihw(p.shape));
        };
        // NHWC flatten is (h, w, c); NCHW's is (c, h, w): permute the dense weight's rows.
        const side = IMAGE / 4;
        const wRows = permute(byName['w']!.values, [side, side, C2, CLASSES], [2, 0, 1, 3]);
        let vars: jax.Array[] = [
          kernel('k1'),
          jxArray(byName['b1']!.values, [1, C1, 1, 1]),
          kernel('k2'),
          jxArray(byName['b2']!.values, [1, C2, 1, 1]),
          jxArray(wRows, [FLAT, CLASSES]),
          jxArray(byName['b']!.values, [CLASSES]),
        ];
        const block = (h: jax.Array, k: jax.Array, b: jax.Array) =>
          jax.lax.reduceWindow(
            jax.nn.relu(np.add(jax.lax.conv(h, k, [1, 1], 'SAME'), b)),
            (window: jax.Array) => np.max(window),
            [2, 2],
            [2, 2],
          );
        const loss = (p: jax.Array[], x_: jax.Array, y_: jax.Array): jax.Array => {
          const [k1, b1, k2, b2, w, b] = p as [
            jax.Array,
            jax.Array,
            jax.Array,
            jax.Array,
            jax.Array,
            jax.Array,
          ];
          const features = block(block(x_, k1, b1), k2, b2);
          const logits = np.add(np.matmul(features.reshape([CNN_BATCH, FLAT]), w), b);
          return jaxSoftmaxCrossEntropy(y_, logits);
        };
        const { fn: step, dispose } = maybeJit((...args: jax.Array[]) => {
          const p = args.slice(0, 6);
          const [x_, y_] = args.slice(6) as [jax.Array, jax.Array];
          const [value, g] = jax.valueAndGrad(loss)(jax.tree.ref(p), x_, y_);
          return [value, p.map((p_, i) => p_.sub(g[i]!.mul(LR)))];
        }, jit);
        const once = (): number => {
          const [value, next] = step(...vars, X.ref, Y.ref) as [jax.Array, jax.Array[]];
          vars = next;
          return jxData(value)[0]!;
        };
        return trainingRunner(once, () => {
          dispose();
          jax.tree.dispose([X, Y, vars]);
        });
      },
    },
  };
}

export function convWorkloads(): Workload[] {
  return [...convWorkloads2d(), cnnWorkload()];
}
