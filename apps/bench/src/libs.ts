/** The libraries under comparison, initialised once, in this one process. */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tg from 'tapegrad';

// tfjs-core's Node entry registers no gradients (the union package @tensorflow/tfjs
// does). Its ESM build uses directory imports that Node's ESM loader refuses, so it is
// required (tsx transpiles it); the gradient registry is global, shared with tfjs-core.
createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients');

export { tf, tg };

/** tfjs on its CPU backend, in production mode (its fastest configuration). */
export async function initTfjs(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
}

/** tapegrad's default engine ('tapegrad' registers the cpu backend on import). */
export async function initTapegrad(): Promise<void> {
  await tg.ready();
}

export function tgTensor(values: Float32Array, shape: number[]): tg.Tensor {
  return tg.tensor(values, shape);
}

export function tfTensor(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(values, shape, 'float32');
}

/** Sum of squares in float64: a cancellation-free summary for cross-library checks. */
export function sumSq(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]! * values[i]!;
  return s;
}
