import * as tg from 'tapegrad';
import type { Tensor, Variable } from 'tapegrad';
import type { Classifier } from '../classifier.js';
import { IMAGE_SIZE } from './parse.js';

/** He-normal (std √(2 / fanIn)), seeded. */
const heNormal = (shape: number[], fanIn: number, seed: number): Variable =>
  tg.tidy(() => tg.variable(tg.randomNormal(shape, 0, Math.sqrt(2 / fanIn), seed)));

const zeros = (size: number): Variable => tg.tidy(() => tg.variable(tg.zeros([size])));

/**
 * A small CNN for the browser: [N,28,28,1] → conv 3×3×8 same, relu, maxPool 2 → conv 3×3×16
 * same, relu, maxPool 2 → flatten 7·7·16 = 784 → dense 10 (logits).
 */
export function createCnn(seed: number): Classifier {
  const flat = (IMAGE_SIZE / 4) * (IMAGE_SIZE / 4) * 16;
  const k1 = heNormal([3, 3, 1, 8], 9, seed);
  const b1 = zeros(8);
  const k2 = heNormal([3, 3, 8, 16], 9 * 8, seed + 1);
  const b2 = zeros(16);
  const w = heNormal([flat, 10], flat, seed + 2);
  const b = zeros(10);
  const block = (x: Tensor, kernel: Tensor, bias: Tensor) =>
    tg.maxPool(tg.relu(tg.conv2d(x, kernel, 1, 'same').add(bias)), 2, 2, 'valid');
  return {
    params: [k1, b1, k2, b2, w, b],
    predict: (images) =>
      block(block(images, k1, b1), k2, b2)
        .reshape([-1, flat])
        .matMul(w)
        .add(b),
  };
}
