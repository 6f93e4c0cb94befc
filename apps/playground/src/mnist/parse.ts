export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Images scaled to [0, 1], row-major [count, 28, 28], and their labels. */
export interface Split {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

/**
 * Parses the bundled subset (see scripts/make-mnist-subset.mjs): "TGMN", u32 train and test
 * counts, the labels, then the 28×28 byte images.
 */
export function parseSubset(bytes: Uint8Array): { train: Split; test: Split } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  const [trainCount, testCount] = [view.getUint32(4, true), view.getUint32(8, true)];
  const total = trainCount + testCount;
  if (magic !== 'TGMN' || bytes.length !== 12 + total * (1 + PIXELS)) {
    throw new Error(`mnist subset: malformed file (magic ${magic}, ${bytes.length} bytes)`);
  }
  const labelsAt = 12;
  const imagesAt = labelsAt + total;
  const split = (first: number, count: number): Split => ({
    labels: Int32Array.from(bytes.subarray(labelsAt + first, labelsAt + first + count)),
    images: Float32Array.from(
      bytes.subarray(imagesAt + first * PIXELS, imagesAt + (first + count) * PIXELS),
      (v) => v / 255,
    ),
    count,
  });
  return { train: split(0, trainCount), test: split(trainCount, testCount) };
}
