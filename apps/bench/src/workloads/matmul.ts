/** (a) matMul of square float32 matrices. */
import { randomArray } from '../harness.js';
import { sumSq, tf, tfTensor, tg, tgTensor } from '../libs.js';
import { matMul } from 'tapegrad';
import type { Workload } from '../workload.js';

function matMulWorkload(n: number): Workload {
  const a = randomArray(n * n, 1000 + n);
  const b = randomArray(n * n, 2000 + n);
  return {
    group: 'matMul',
    name: `${n}x${n} · ${n}x${n}`,
    flops: 2 * n * n * n,
    torch: `matmul_${n}`,
    rtol: 1e-4,
    inputs: { a: { values: a, shape: [n, n] }, b: { values: b, shape: [n, n] } },
    setup: {
      tapegrad: () => {
        const A = tgTensor(a, [n, n]);
        const B = tgTensor(b, [n, n]);
        const once = () => tg.tidy(() => matMul(A, B).dataSync());
        return {
          run: () => void once(),
          check: () => sumSq(once()),
          dispose: () => tg.dispose([A, B]),
        };
      },
      tfjs: () => {
        const A = tfTensor(a, [n, n]);
        const B = tfTensor(b, [n, n]);
        const once = () => tf.tidy(() => tf.matMul(A, B).dataSync());
        return {
          run: () => void once(),
          check: () => sumSq(once()),
          dispose: () => tf.dispose([A, B]),
        };
      },
    },
  };
}

export function matMulWorkloads(): Workload[] {
  return [256, 512, 1024].map(matMulWorkload);
}
