/**
 * (c) One training step of an MLP 784-256-128-10 (relu), batch 128, softmax
 * cross-entropy, Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8).
 *
 * tapegrad and tfjs use their library's optimizer the same way: `train.adam(...).minimize(loss,
 * true, varList)` (tapegrad's follows torch.optim.Adam's rule; tfjs's is tf.train.adam).
 * jax-js has no optimizer in its core package (they are in @jax-js/optax): its step is
 * written out, `valueAndGrad` of the loss then torch.optim.Adam's update, as a pure
 * function of (params, moments, inputs), wrapped whole in `jax.jit` for the jit column.
 */
import { oneHotArray, randomArray } from '../harness.js';
import { jax, jxArray, jxData, np, tf, tfTensor, tg, tgTensor } from '../libs.js';
import { add, losses, matMul, relu, train } from 'tapegrad';
import type { Workload } from '../workload.js';
import { trainingRunner } from '../workload.js';

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

/** MLP parameters (and Adam moments) for jax-js: a pytree. */
type JaxParams = { w: jax.Array[]; b: jax.Array[] };

/** Softmax cross-entropy with one-hot labels, mean over the batch (as tfjs's and tapegrad's). */
export function jaxSoftmaxCrossEntropy(labels: jax.Array, logits: jax.Array): jax.Array {
  return np.mean(np.sum(np.multiply(labels, jax.nn.logSoftmax(logits, -1)), -1)).neg();
}

function jaxMlpStep(jit: boolean) {
  const loss = (p: JaxParams, x: jax.Array, y: jax.Array): jax.Array => {
    let h = x;
    p.w.forEach((w, l) => {
      h = np.add(np.matmul(h, w), p.b[l]!);
      if (l < p.w.length - 1) h = jax.nn.relu(h);
    });
    return jaxSoftmaxCrossEntropy(y, h);
  };
  // alpha = lr / (1 - β1^t), rc2 = 1 / sqrt(1 - β2^t): the bias corrections, as arrays so
  // that a jitted step is traced once, not once per step.
  const step = (
    p: JaxParams,
    m: JaxParams,
    v: JaxParams,
    x: jax.Array,
    y: jax.Array,
    alpha: jax.Array,
    rc2: jax.Array,
  ): [jax.Array, JaxParams, JaxParams, JaxParams] => {
    const [value, g] = jax.valueAndGrad(loss)(jax.tree.ref(p), x, y);
    const update = (p_: jax.Array, g_: jax.Array, m_: jax.Array, v_: jax.Array) => {
      const m2 = m_.mul(BETA1).add(g_.ref.mul(1 - BETA1));
      const v2 = v_.mul(BETA2).add(g_.ref.mul(g_).mul(1 - BETA2));
      const denom = np.sqrt(v2.ref).mul(rc2.ref).add(EPS);
      const p2 = p_.sub(m2.ref.mul(alpha.ref).div(denom));
      return [p2, m2, v2] as const;
    };
    const out = { p: { w: [], b: [] }, m: { w: [], b: [] }, v: { w: [], b: [] } } as {
      p: { w: jax.Array[]; b: jax.Array[] };
      m: { w: jax.Array[]; b: jax.Array[] };
      v: { w: jax.Array[]; b: jax.Array[] };
    };
    for (const key of ['w', 'b'] as const) {
      p[key].forEach((p_, i) => {
        const [p2, m2, v2] = update(p_, g[key][i]!, m[key][i]!, v[key][i]!);
        out.p[key].push(p2);
        out.m[key].push(m2);
        out.v[key].push(v2);
      });
    }
    alpha.dispose();
    rc2.dispose();
    return [value, out.p, out.m, out.v];
  };
  if (!jit) return { step, dispose: () => {} };
  const jitted = jax.jit(step);
  return { step: jitted as unknown as typeof step, dispose: () => jitted.dispose() };
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
          return trainingRunner(step, () => {
            optimizer.dispose();
            tg.dispose([X, Y, ...params]);
          });
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
          return trainingRunner(step, () => {
            optimizer.dispose();
            tf.dispose([X, Y, ...ws, ...bs]);
          });
        },
        jax: (jit) => {
          const X = jxArray(x, [BATCH, SIZES[0]!]);
          const Y = jxArray(labels, [BATCH, SIZES[SIZES.length - 1]!]);
          const zeros = (shape: number[]) => np.zeros(shape);
          let p: JaxParams = {
            w: init.weights.map((w) => jxArray(w.values, w.shape)),
            b: init.biases.map((b) => jxArray(b.values, b.shape)),
          };
          let m: JaxParams = {
            w: init.weights.map((w) => zeros(w.shape)),
            b: init.biases.map((b) => zeros(b.shape)),
          };
          let v: JaxParams = {
            w: init.weights.map((w) => zeros(w.shape)),
            b: init.biases.map((b) => zeros(b.shape)),
          };
          let t = 0;
          const { step, dispose } = jaxMlpStep(jit);
          const once = (): number => {
            t++;
            const alpha = np.array(LR / (1 - BETA1 ** t));
            const rc2 = np.array(1 / Math.sqrt(1 - BETA2 ** t));
            const [loss, p2, m2, v2] = step(p, m, v, X.ref, Y.ref, alpha, rc2);
            [p, m, v] = [p2, m2, v2];
            return jxData(loss)[0]!;
          };
          return trainingRunner(once, () => {
            dispose();
            jax.tree.dispose([X, Y, p, m, v]);
          });
        },
      },
    },
  ];
}
