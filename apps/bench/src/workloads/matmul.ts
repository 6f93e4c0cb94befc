/**
 * (a) matMul of square float32 matrices: A·B at n = 256, 512, 1024, and the transposed
 * products that backprop needs (Aᵀ·B, A·Bᵀ, Aᵀ·Bᵀ) at n = 512.
 */
import { randomArray } from '../harness.js';
import {
  jxArray,
  jxData,
  maybeJit,
  np,
  sumSq,
  tf,
  tfRead,
  tfTensor,
  tg,
  tgTensor,
} from '../libs.js';
import type { jax } from '../libs.js';
import { matMul } from 'tapegrad';
import type { Workload } from '../workload.js';

function matMulWorkload(n: number, transposeA = false, transposeB = false): Workload {
  const a = randomArray(n * n, 1000 + n);
  const b = randomArray(n * n, 2000 + n);
  const t = (name: string, transposed: boolean) => (transposed ? `${name}ᵀ` : name);
  const op = `${t('A', transposeA)}·${t('B', transposeB)}`;
  return {
    group: 'matMul',
    name: `${op} ${n}x${n}`,
    flops: 2 * n * n * n,
    torch: `matmul_${n}${transposeA || transposeB ? `_${transposeA ? 't' : 'n'}${transposeB ? 't' : 'n'}` : ''}`,
    rtol: 1e-4,
    inputs: { a: { values: a, shape: [n, n] }, b: { values: b, shape: [n, n] } },
    setup: {
      tapegrad: () => {
        const A = tgTensor(a, [n, n]);
        const B = tgTensor(b, [n, n]);
        const once = () => tg.tidy(() => matMul(A, B, transposeA, transposeB).dataSync());
        return {
          run: () => void once(),
          check: () => sumSq(once()),
          dispose: () => tg.dispose([A, B]),
        };
      },
      tfjs: () => {
        const A = tfTensor(a, [n, n]);
        const B = tfTensor(b, [n, n]);
        const once = () => tfRead(() => tf.matMul(A, B, transposeA, transposeB));
        return {
          run: () => void once(),
          check: () => sumSq(once()),
          dispose: () => tf.dispose([A, B]),
        };
      },
      jax: (jit) => {
        const A = jxArray(a, [n, n]);
        const B = jxArray(b, [n, n]);
        const f = maybeJit(
          (x: jax.Array, y: jax.Array) =>
            np.matmul(transposeA ? x.transpose() : x, transposeB ? y.transpose() : y),
          jit,
        );
        const once = () => jxData(f.fn(A.ref, B.ref));
        return {
          run: () => void once(),
          check: () => sumSq(once()),
          dispose: () => {
            f.dispose();
            A.dispose();
            B.dispose();
          },
        };
      },
    },
  };
}

export function matMulWorkloads(): Workload[] {
  return [
    ...[256, 512, 1024].map((n) => matMulWorkload(n)),
    matMulWorkload(512, true, false),
    matMulWorkload(512, false, true),
    matMulWorkload(512, true, true),
  ];
}
