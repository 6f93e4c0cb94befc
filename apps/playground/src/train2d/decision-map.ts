import type { Points } from './datasets.js';

/** Colours of class 0 and class 1 (RGB). */
const CLASS_RGB = [
  [245, 158, 11],
  [37, 99, 235],
] as const;

/** The grid's cell centres in [-1, 1]², row-major from the top-left: [x0, y0, x1, y1, ...]. */
export function gridPoints(size: number): Float32Array {
  const xy = new Float32Array(2 * size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const k = row * size + col;
      xy[2 * k] = -1 + (2 * (col + 0.5)) / size;
      xy[2 * k + 1] = 1 - (2 * (row + 0.5)) / size;
    }
  }
  return xy;
}

/**
 * Paints P(class 1) on the grid as a heatmap (blended towards white where the model is unsure),
 * then the points: training points filled, test points with a dark outline.
 */
export function drawDecisionMap(
  canvas: HTMLCanvasElement,
  probabilities: ArrayLike<number>,
  gridSize: number,
  sets: { train: Points; test: Points },
): void {
  const ctx = canvas.getContext('2d')!;
  const image = new ImageData(gridSize, gridSize);
  for (let k = 0; k < gridSize * gridSize; k++) {
    const p = probabilities[k]!;
    const rgb = CLASS_RGB[p >= 0.5 ? 1 : 0];
    const confidence = Math.abs(2 * p - 1);
    const alpha = 0.15 + 0.6 * confidence;
    for (let c = 0; c < 3; c++) image.data[4 * k + c] = Math.round(255 + (rgb[c]! - 255) * alpha);
    image.data[4 * k + 3] = 255;
  }
  // Scale the grid up smoothly: draw it on a small canvas, then stretch.
  const small = document.createElement('canvas');
  small.width = small.height = gridSize;
  small.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);

  const toPixel = (v: number, extent: number) => ((v + 1) / 2) * extent;
  const drawSet = ({ xy, labels, count }: Points, outline: string) => {
    for (let i = 0; i < count; i++) {
      const rgb = CLASS_RGB[labels[i] === 1 ? 1 : 0];
      ctx.beginPath();
      ctx.arc(
        toPixel(xy[2 * i]!, canvas.width),
        toPixel(-xy[2 * i + 1]!, canvas.height),
        3.5,
        0,
        2 * Math.PI,
      );
      ctx.fillStyle = `rgb(${rgb.join(',')})`;
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = outline;
      ctx.stroke();
    }
  };
  drawSet(sets.train, '#fff');
  drawSet(sets.test, '#111');
}
