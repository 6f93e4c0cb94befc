import * as tg from 'tapegrad';
import { withSyncReads } from '../backends.js';
import type { Surface } from './surfaces.js';

const BANDS = 16;

/** Viridis stops, low to high. */
const STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
] as const;

/** The colour at t ∈ [0, 1], interpolated between the stops. */
function bandColour(t: number): [number, number, number] {
  const at = t * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(at));
  const f = at - i;
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!];
  return [0, 1, 2].map((c) => Math.round(a[c]! + (b[c]! - a[c]!) * f)) as [number, number, number];
}

/** Canvas pixel of a point of the surface's window. */
export function toCanvas(
  surface: Surface,
  canvas: HTMLCanvasElement,
  x: number,
  y: number,
): [number, number] {
  const [x0, x1] = surface.x;
  const [y0, y1] = surface.y;
  return [((x - x0) / (x1 - x0)) * canvas.width, ((y1 - y) / (y1 - y0)) * canvas.height];
}

/**
 * A filled contour map of the surface: f on a grid (evaluated by tapegrad), cut into equal bands
 * (of log(1 + f − min) for the steep surfaces), each band a colour, band edges drawn dark.
 */
export function drawContourMap(canvas: HTMLCanvasElement, surface: Surface): void {
  const [w, h] = [canvas.width, canvas.height];
  const values = withSyncReads(() =>
    tg.tidy(() => {
      const col = tg.linspace(surface.x[0], surface.x[1], w).reshape([1, w]);
      const row = tg.linspace(surface.y[1], surface.y[0], h).reshape([h, 1]);
      return surface.f(col.add(tg.zeros([h, 1])), row.add(tg.zeros([1, w]))).dataSync();
    }),
  );
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const scale = (v: number) => (surface.logScale ? Math.log1p(v - lo) : v - lo);
  const top = scale(hi) || 1;
  const band = Int32Array.from(values, (v) =>
    Math.min(BANDS - 1, Math.floor((scale(v) / top) * BANDS)),
  );
  const image = new ImageData(w, h);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const k = i * w + j;
      const b = band[k]!;
      const edge = (j + 1 < w && band[k + 1] !== b) || (i + 1 < h && band[k + w] !== b);
      const [r, g, bl] = edge ? [70, 70, 90] : bandColour(b / (BANDS - 1));
      image.data.set([r, g, bl, 255], 4 * k);
    }
  }
  canvas.getContext('2d')!.putImageData(image, 0, 0);
}
