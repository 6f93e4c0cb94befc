/**
 * The WebGPU workloads, each written for tapegrad and for tfjs on the same inputs. A run
 * ends with an awaited read of a small result (the GPU work is then done) and returns a
 * number the two libraries must agree on.
 */
import type { Engine, Tensor } from 'tapegrad';
import {
  add,
  conv2d,
  createTensor,
  grads,
  losses,
  matMul,
  maxPool,
  mul,
  relu,
  reshape,
  sigmoid,
  sub,
  sum,
  tanh,
  valueAndGrads,
} from 'tapegrad';
import { randomArray } from '../harness.js';
import { tf } from './setup.js';

export interface GpuRunner {
  run: () => Promise<number>;
  dispose: () => void;
}

export interface GpuWorkload {
  group: string;
  name: string;
  /** Relative tolerance of the check values (float32 sums in different orders). */
  rtol: number;
  tapegrad: (e: Engine) => GpuRunner;
  tfjs: () => GpuRunner;
}

const tgT = (e: Engine, v: Float32Array, shape: number[]): Tensor => createTensor(e, v, shape);
const read = async (t: Tensor | tf.Tensor): Promise<number> => (await t.data())[0]!;

function oneHot(rows: number, classes: number): Float32Array {
  const v = new Float32Array(rows * classes);
  for (let i = 0; i < rows; i++) v[i * classes + (i % classes)] = 1;
  return v;
}

function matMuls(sizes: readonly number[]): GpuWorkload[] {
  return sizes.map((n) => {
    const a = randomArray(n * n, 1);
    const b = randomArray(n * n, 2);
    return {
      group: 'matMul',
      name: `matMul ${n}×${n} (+ sum to read)`,
      rtol: 1e-3,
      tapegrad: (e) => {
        const [A, B] = [tgT(e, a, [n, n]), tgT(e, b, [n, n])];
        return {
          run: () =>
            e
              .tidy(() => sum(matMul(A, B)))
              .data()
              .then((v) => v[0]!),
          dispose: () => e.dispose([A, B]),
        };
      },
      tfjs: () => {
        const [A, B] = [tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])];
        return {
          run: async () => {
            const s = tf.tidy(() => tf.sum(tf.matMul(A, B)));
            const v = await read(s);
            s.dispose();
            return v;
          },
          dispose: () => tf.dispose([A, B]),
        };
      },
    };
  });
}

function convs(batch: number, size: number, cin: number, cout: number): GpuWorkload[] {
  const xs = [batch, size, size, cin];
  const fs = [3, 3, cin, cout];
  const x = randomArray(
    xs.reduce((p, q) => p * q),
    3,
  );
  const f = randomArray(
    fs.reduce((p, q) => p * q),
    4,
    -0.2,
    0.2,
  );
  const label = `conv2d ${xs.join('×')} * 3×3×${cin}×${cout} same`;
  const tgRunner =
    (backward: boolean) =>
    (e: Engine): GpuRunner => {
      const [X, F] = [tgT(e, x, xs), tgT(e, f, fs)];
      const forward = (a: Tensor, b: Tensor) => sum(conv2d(a, b, 1, 'same'));
      return {
        run: async () => {
          const out = e.tidy(() => {
            if (!backward) return forward(X, F);
            const [gx, gf] = grads(forward)([X, F]);
            return add(sum(mul(gx!, gx!)), sum(mul(gf!, gf!)));
          });
          const v = await read(out);
          out.dispose();
          return v;
        },
        dispose: () => e.dispose([X, F]),
      };
    };
  const tfRunner = (backward: boolean) => (): GpuRunner => {
    const X = tf.tensor4d(x, xs as [number, number, number, number]);
    const F = tf.tensor4d(f, fs as [number, number, number, number]);
    const forward = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
    return {
      run: async () => {
        const out = tf.tidy(() => {
          if (!backward) return forward(X, F);
          const [gx, gf] = tf.grads(forward)([X, F]);
          return tf.add(tf.sum(tf.mul(gx!, gx!)), tf.sum(tf.mul(gf!, gf!)));
        });
        const v = await read(out);
        out.dispose();
        return v;
      },
      dispose: () => tf.dispose([X, F]),
    };
  };
  return [
    {
      group: 'conv',
      name: `${label} fwd`,
      rtol: 1e-3,
      tapegrad: tgRunner(false),
      tfjs: tfRunner(false),
    },
    {
      group: 'conv',
      name: `${label} fwd+bwd`,
      rtol: 1e-3,
      tapegrad: tgRunner(true),
      tfjs: tfRunner(true),
    },
  ];
}

/**
 * A training step: loss of `params` on fixed data, SGD with lr 0.1 (written out the same way
 * in both libraries: gradients, then params ← params − lr·grad).
 */
function trainStep(
  name: string,
  shapes: number[][],
  tgLoss: (e: Engine) => (...params: Tensor[]) => Tensor,
  tfLoss: () => (...params: tf.Tensor[]) => tf.Tensor,
): GpuWorkload {
  const init = shapes.map((s, i) =>
    randomArray(
      s.reduce((p, q) => p * q),
      10 + i,
      -0.1,
      0.1,
    ),
  );
  return {
    group: 'training step',
    name,
    rtol: 1e-3,
    tapegrad: (e) => {
      const params = shapes.map((s, i) => e.variable(tgT(e, init[i]!, s), true));
      const loss = tgLoss(e);
      return {
        run: async () => {
          const value = e.tidy(() => {
            const { value: l, grads: g } = valueAndGrads(loss)(params);
            params.forEach((p, i) => p.assign(sub(p, mul(g[i]!, 0.1))));
            return l;
          });
          const v = await read(value);
          value.dispose();
          return v;
        },
        dispose: () => e.dispose(params),
      };
    },
    tfjs: () => {
      const params = shapes.map((s, i) => tf.variable(tf.tensor(init[i]!, s)));
      const loss = tfLoss();
      return {
        run: async () => {
          const value = tf.tidy(() => {
            const { value: l, grads: g } = tf.valueAndGrads(
              (...p: tf.Tensor[]) => loss(...p) as tf.Scalar,
            )(params);
            params.forEach((p, i) => p.assign(tf.sub(p, tf.mul(g[i]!, 0.1))));
            return l;
          });
          const v = await read(value);
          value.dispose();
          return v;
        },
        dispose: () => tf.dispose(params),
      };
    },
  };
}

function mlp(batch: number): GpuWorkload {
  const x = randomArray(batch * 784, 20, 0, 1);
  const y = oneHot(batch, 10);
  return trainStep(
    `MLP step 784→128→10, batch ${batch}, SGD`,
    [[784, 128], [128], [128, 10]],
    (e) => {
      const [X, Y] = [tgT(e, x, [batch, 784]), tgT(e, y, [batch, 10])];
      return (w1, b1, w2) =>
        losses.softmaxCrossEntropy(Y, matMul(relu(add(matMul(X, w1), b1)), w2));
    },
    () => {
      const [X, Y] = [tf.tensor2d(x, [batch, 784]), tf.tensor2d(y, [batch, 10])];
      return (w1, b1, w2) =>
        tf.losses.softmaxCrossEntropy(Y, tf.matMul(tf.relu(tf.add(tf.matMul(X, w1), b1)), w2));
    },
  );
}

function cnn(batch: number): GpuWorkload {
  const x = randomArray(batch * 28 * 28, 21, 0, 1);
  const y = oneHot(batch, 10);
  return trainStep(
    `CNN step conv 3×3×1×8 → relu → maxPool 2 → dense 10, batch ${batch}, SGD`,
    [
      [3, 3, 1, 8],
      [14 * 14 * 8, 10],
    ],
    (e) => {
      const [X, Y] = [tgT(e, x, [batch, 28, 28, 1]), tgT(e, y, [batch, 10])];
      return (f, w) => {
        const h = maxPool(relu(conv2d(X, f, 1, 'same')), 2, 2, 'valid');
        return losses.softmaxCrossEntropy(Y, matMul(reshape(h, [batch, 14 * 14 * 8]), w));
      };
    },
    () => {
      const [X, Y] = [tf.tensor4d(x, [batch, 28, 28, 1]), tf.tensor2d(y, [batch, 10])];
      return (f, w) => {
        const h = tf.maxPool(tf.relu(tf.conv2d(X, f as tf.Tensor4D, 1, 'same')), 2, 2, 'valid');
        return tf.losses.softmaxCrossEntropy(Y, tf.matMul(tf.reshape(h, [batch, 14 * 14 * 8]), w));
      };
    },
  );
}

/** The bench's elementwise chain sum(tanh(x*x + 0.5*x) * sigmoid(x)), value and gradient. */
function chain(n: number): GpuWorkload {
  const x = randomArray(n, 31, -2, 2);
  return {
    group: 'elementwise',
    name: `sum(tanh(x*x+0.5*x)*sigmoid(x)) fwd+grad, ${n}`,
    rtol: 1e-3,
    tapegrad: (e) => {
      const X = tgT(e, x, [n]);
      const f = (t: Tensor) => sum(mul(tanh(add(mul(t, t), mul(t, 0.5))), sigmoid(t)));
      return {
        run: async () => {
          const out = e.tidy(() => {
            const { value, grads: g } = valueAndGrads(f)([X]);
            return add(value, sum(mul(g[0]!, g[0]!)));
          });
          const v = await read(out);
          out.dispose();
          return v;
        },
        dispose: () => X.dispose(),
      };
    },
    tfjs: () => {
      const X = tf.tensor1d(x);
      const f = (t: tf.Tensor) =>
        tf.sum<tf.Scalar>(tf.mul(tf.tanh(tf.add(tf.mul(t, t), tf.mul(t, 0.5))), tf.sigmoid(t)));
      return {
        run: async () => {
          const out = tf.tidy(() => {
            const { value, grads: g } = tf.valueAndGrads(f)([X]);
            return tf.add(value, tf.sum(tf.mul(g[0]!, g[0]!)));
          });
          const v = await read(out);
          out.dispose();
          return v;
        },
        dispose: () => X.dispose(),
      };
    },
  };
}

/** Every workload; `quick` shrinks them for a smoke run on a software adapter. */
export function webgpuWorkloads(quick: boolean): GpuWorkload[] {
  return [
    ...matMuls(quick ? [128, 256] : [256, 512, 1024, 2048]),
    ...(quick ? convs(2, 8, 4, 8) : convs(16, 32, 16, 32)),
    mlp(quick ? 16 : 64),
    cnn(quick ? 4 : 32),
    chain(quick ? 1 << 14 : 1 << 20),
  ];
}
