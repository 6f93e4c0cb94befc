import type { Tensor } from 'tapegrad';
import type { OptimizerName } from '../optimizers.js';

/** A 2-D loss surface for the optimizer race, written once with tensor ops (map and race both use it). */
export interface Surface {
  id: string;
  title: string;
  /** f(x, y), elementwise over tensors of one shape. */
  f(x: Tensor, y: Tensor): Tensor;
  /** The plotted window: [xMin, xMax] × [yMin, yMax]. */
  x: [number, number];
  y: [number, number];
  start: [number, number];
  /** Where the global minimum is, if there is one (drawn as a star). */
  minimum: [number, number] | null;
  /** Default learning rates (these surfaces' gradients differ by orders of magnitude). */
  learningRates: Record<OptimizerName, number>;
  /** Colour bands: a log scale for the steep valleys, linear for the saddle. */
  logScale: boolean;
}

export const surfaces: readonly Surface[] = [
  {
    id: 'rosenbrock',
    title: 'Rosenbrock (1 − x)² + 100 (y − x²)²',
    f: (x, y) => x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)),
    x: [-2, 2],
    y: [-1, 3],
    start: [-1.2, 1],
    minimum: [1, 1],
    learningRates: { sgd: 0.002, momentum: 0.0005, adam: 0.1, rmsprop: 0.01 },
    logScale: true,
  },
  {
    id: 'beale',
    title: 'Beale (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    f: (x, y) => {
      const term = (c: number, yPower: Tensor) => x.mul(yPower).sub(x).add(c).square();
      return term(1.5, y)
        .add(term(2.25, y.square()))
        .add(term(2.625, y.square().mul(y)));
    },
    x: [-4.5, 4.5],
    y: [-4.5, 4.5],
    start: [1, 1.5],
    minimum: [3, 0.5],
    learningRates: { sgd: 0.001, momentum: 0.0005, adam: 0.05, rmsprop: 0.01 },
    logScale: true,
  },
  {
    id: 'saddle',
    title: 'saddle x² − y²',
    f: (x, y) => x.square().sub(y.square()),
    x: [-2, 2],
    y: [-2, 2],
    start: [-1.8, 0.02],
    minimum: null,
    learningRates: { sgd: 0.005, momentum: 0.0005, adam: 0.01, rmsprop: 0.01 },
    logScale: false,
  },
];

export function findSurface(id: string): Surface {
  return surfaces.find((s) => s.id === id) ?? surfaces[0]!;
}
