/**
 * The demo CNN: two conv + pool blocks and a dense head.
 * [N,28,28,1] → conv 3×3×16 same, relu, maxPool 2 → conv 3×3×32 same, relu, maxPool 2
 * → flatten 7·7·32 = 1568 → dense 10 (logits).
 */
import type { Tensor, Variable } from 'tapegrad';
import * as tg from 'tapegrad';
import { IMAGE_SIZE, NUM_CLASSES } from './data.js';

export interface Model {
  /** Trainable variables, named for checkpoints. */
  params: Variable[];
  /** Logits [N, 10] for images [N, 28, 28, 1]. */
  predict(images: Tensor): Tensor;
}

/** He-normal initialization: std √(2 / fanIn), seeded. */
function heNormal(name: string, shape: number[], fanIn: number, seed: number): Variable {
  // tidy frees the initial tensor; the variable keeps its own reference to the data.
  return tg.tidy(() =>
    tg.variable(tg.randomNormal(shape, 0, Math.sqrt(2 / fanIn), seed), true, name),
  );
}

function zeros(name: string, size: number): Variable {
  return tg.tidy(() => tg.variable(tg.zeros([size]), true, name));
}

export function createModel(seed = 1): Model {
  const flat = (IMAGE_SIZE / 4) * (IMAGE_SIZE / 4) * 32;
  const k1 = heNormal('conv1/kernel', [3, 3, 1, 16], 9, seed);
  const b1 = zeros('conv1/bias', 16);
  const k2 = heNormal('conv2/kernel', [3, 3, 16, 32], 9 * 16, seed + 1);
  const b2 = zeros('conv2/bias', 32);
  const w = heNormal('dense/kernel', [flat, NUM_CLASSES], flat, seed + 2);
  const b = zeros('dense/bias', NUM_CLASSES);
  return {
    params: [k1, b1, k2, b2, w, b],
    predict(images) {
      const block = (x: Tensor, kernel: Tensor, bias: Tensor) =>
        tg.maxPool(tg.relu(tg.conv2d(x, kernel, 1, 'same').add(bias)), 2, 2, 'valid');
      const features = block(block(images, k1, b1), k2, b2);
      return features.reshape([-1, flat]).matMul(w).add(b);
    },
  };
}
