import * as tg from 'tapegrad';
import type { Tensor, Variable } from 'tapegrad';
import type { Classifier } from '../classifier.js';

export const activations = ['tanh', 'relu', 'sigmoid'] as const;
export type Activation = (typeof activations)[number];

export interface MlpConfig {
  hiddenLayers: number;
  width: number;
  activation: Activation;
  seed: number;
}

/**
 * A 2 → width × hiddenLayers → 2 perceptron, initialized with seeded Glorot-normal weights
 * (std √(2 / (fanIn + fanOut))) and zero biases.
 */
export function createMlp(config: MlpConfig): Classifier {
  const sizes = [2, ...Array<number>(config.hiddenLayers).fill(config.width), 2];
  const layers: { w: Variable; b: Variable }[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [fanIn, fanOut] = [sizes[i]!, sizes[i + 1]!];
    layers.push(
      tg.tidy(() => ({
        w: tg.variable(
          tg.randomNormal([fanIn, fanOut], 0, Math.sqrt(2 / (fanIn + fanOut)), config.seed + i),
        ),
        b: tg.variable(tg.zeros([fanOut])),
      })),
    );
  }
  const activate = (x: Tensor): Tensor => tg[config.activation](x);
  return {
    params: layers.flatMap((l) => [l.w, l.b]),
    predict(x) {
      return layers.reduce((h, { w, b }, i) => {
        const z = h.matMul(w).add(b);
        return i + 1 < layers.length ? activate(z) : z;
      }, x);
    },
  };
}
