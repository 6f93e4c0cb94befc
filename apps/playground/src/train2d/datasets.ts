import { Random } from 'tapegrad';

/** Two-class point sets in [-1, 1]², as in the TensorFlow playground. */
export const datasetNames = ['spiral', 'circles', 'xor', 'gaussian'] as const;
export type DatasetName = (typeof datasetNames)[number];

export interface Points {
  /** Coordinates, [x0, y0, x1, y1, ...]. */
  xy: Float32Array;
  /** Class of each point: 0 or 1. */
  labels: Int32Array;
  count: number;
}

export interface Dataset {
  train: Points;
  test: Points;
}

type Generator = (
  rng: Random,
  n: number,
  noise: number,
) => { x: number; y: number; label: number }[];

const generators: Record<DatasetName, Generator> = {
  // Two interleaved arms, r from 0 to 1 over 1.75 turns; noise jitters each point.
  spiral: (rng, n, noise) =>
    Array.from({ length: n }, (_, i) => {
      const label = i % 2;
      const r = Math.floor(i / 2) / (n / 2);
      const angle = 1.75 * 2 * Math.PI * r + label * Math.PI;
      return {
        x: r * Math.sin(angle) + noise * rng.normal(),
        y: r * Math.cos(angle) + noise * rng.normal(),
        label,
      };
    }),
  // A disc (r < 0.5) inside a ring (0.7 < r < 1).
  circles: (rng, n, noise) =>
    Array.from({ length: n }, (_, i) => {
      const label = i % 2;
      const r = label === 0 ? 0.5 * rng.uniform() : 0.7 + 0.3 * rng.uniform();
      const angle = 2 * Math.PI * rng.uniform();
      return {
        x: r * Math.sin(angle) + noise * rng.normal(),
        y: r * Math.cos(angle) + noise * rng.normal(),
        label,
      };
    }),
  // Quadrants: the class is whether x and y have the same sign (kept off the axes).
  xor: (rng, n, noise) =>
    Array.from({ length: n }, () => {
      const pad = (v: number) => (v > 0 ? v + 0.05 : v - 0.05);
      const x = pad(1.9 * rng.uniform() - 0.95);
      const y = pad(1.9 * rng.uniform() - 0.95);
      return { x: x + noise * rng.normal(), y: y + noise * rng.normal(), label: x * y > 0 ? 1 : 0 };
    }),
  // Two blobs around (0.4, 0.4) and (-0.4, -0.4).
  gaussian: (rng, n, noise) =>
    Array.from({ length: n }, (_, i) => {
      const label = i % 2;
      const c = label === 1 ? 0.4 : -0.4;
      const std = 0.2 + noise;
      return { x: c + std * rng.normal(), y: c + std * rng.normal(), label };
    }),
};

function toPoints(list: { x: number; y: number; label: number }[]): Points {
  const xy = new Float32Array(2 * list.length);
  const labels = new Int32Array(list.length);
  list.forEach((p, i) => {
    xy[2 * i] = p.x;
    xy[2 * i + 1] = p.y;
    labels[i] = p.label;
  });
  return { xy, labels, count: list.length };
}

/**
 * `count` points of `name` with Gaussian jitter of std `noise`, shuffled with `seed` and split
 * into train and test (`testFraction` of them).
 */
export function makeDataset(
  name: DatasetName,
  options: { count: number; noise: number; seed: number; testFraction: number },
): Dataset {
  const rng = new Random(options.seed);
  const points = generators[name](rng, options.count, options.noise);
  for (let i = points.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [points[i], points[j]] = [points[j]!, points[i]!];
  }
  const testCount = Math.round(points.length * options.testFraction);
  return { test: toPoints(points.slice(0, testCount)), train: toPoints(points.slice(testCount)) };
}
