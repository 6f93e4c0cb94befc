import { IMAGE_SIZE } from './parse.js';

/** The digit box MNIST fits each digit into, inside the 28×28 image. */
const DIGIT_BOX = 20;

/** A canvas to draw a digit on with the mouse, a pen or a finger (pointer events). */
export interface DrawPad {
  clear(): void;
  /** The drawing as an MNIST image (28×28, ink = 1), or null when the pad is empty. */
  toImage(): Float32Array | null;
}

export function createDrawPad(canvas: HTMLCanvasElement, onStroke: () => void): DrawPad {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  let drawing = false;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [
      ((e.clientX - r.left) / r.width) * canvas.width,
      ((e.clientY - r.top) / r.height) * canvas.height,
    ];
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 14;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...at(e));
    ctx.lineTo(...at(e));
    ctx.stroke();
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    ctx.lineTo(...at(e));
    ctx.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    onStroke();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  return {
    clear,
    toImage() {
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let [left, top, right, bottom] = [canvas.width, canvas.height, -1, -1];
      for (let y = 0; y < canvas.height; y++) {
        for (let x = 0; x < canvas.width; x++) {
          if (data[4 * (y * canvas.width + x)]! > 0) {
            [left, right] = [Math.min(left, x), Math.max(right, x)];
            [top, bottom] = [Math.min(top, y), Math.max(bottom, y)];
          }
        }
      }
      if (right < 0) return null;
      // As MNIST was made: the digit's box scaled to fit 20×20, then centred by its centre of mass.
      const [w, h] = [right - left + 1, bottom - top + 1];
      const scale = DIGIT_BOX / Math.max(w, h);
      const small = document.createElement('canvas');
      small.width = small.height = IMAGE_SIZE;
      const sctx = small.getContext('2d', { willReadFrequently: true })!;
      sctx.imageSmoothingQuality = 'high';
      const render = (dx: number, dy: number) => {
        sctx.fillStyle = '#000';
        sctx.fillRect(0, 0, IMAGE_SIZE, IMAGE_SIZE);
        sctx.drawImage(canvas, left, top, w, h, dx, dy, w * scale, h * scale);
        const pixels = sctx.getImageData(0, 0, IMAGE_SIZE, IMAGE_SIZE).data;
        return Float32Array.from(
          { length: IMAGE_SIZE * IMAGE_SIZE },
          (_, k) => pixels[4 * k]! / 255,
        );
      };
      const first = render(0, 0);
      let [mass, mx, my] = [0, 0, 0];
      first.forEach((v, k) => {
        mass += v;
        mx += v * (k % IMAGE_SIZE);
        my += v * Math.floor(k / IMAGE_SIZE);
      });
      const centre = (IMAGE_SIZE - 1) / 2;
      return render(Math.round(centre - mx / mass), Math.round(centre - my / mass));
    },
  };
}
