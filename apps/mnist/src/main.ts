/**
 * Trains the demo CNN on MNIST and prints the test accuracy.
 *
 *   npm run demo -- --epochs 2 --batch 64 --lr 0.001 --limit 10000 --backend cpu
 */
import { parseArgs } from 'node:util';
import { train } from './train.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string' },
    epochs: { type: 'string', default: '1' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string', default: '0.002' },
    limit: { type: 'string' },
    'test-limit': { type: 'string' },
    seed: { type: 'string', default: '1' },
    checkpoint: { type: 'string', default: 'results/mnist.safetensors' },
    resume: { type: 'boolean', default: false },
    'min-accuracy': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run demo -- [options]
  --backend NAME      backend to train on (default: the fastest available)
  --epochs N          passes over the training data (default 1)
  --batch N           minibatch size (default 32)
  --lr X              Adam learning rate (default 0.002)
  --limit N           use only the first N training examples
  --test-limit N      evaluate on the first N test examples
  --seed N            initialization and shuffling seed (default 1)
  --checkpoint PATH   safetensors file to save (default results/mnist.safetensors)
  --resume            continue from the checkpoint (weights and optimizer state)
  --min-accuracy X    exit with status 1 if the final test accuracy is below X (0..1)`);
  process.exit(0);
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

const lr = Number(values.lr);
if (!(lr > 0)) throw new Error(`--lr must be a positive number, got '${values.lr}'`);
const result = await train({
  backend: values.backend,
  epochs: int('epochs', values.epochs)!,
  batch: int('batch', values.batch)!,
  lr,
  limit: int('limit', values.limit),
  testLimit: int('test-limit', values['test-limit']),
  seed: int('seed', values.seed)!,
  checkpoint: values.checkpoint,
  resume: values.resume,
  progress: true,
  log: (line) => console.log(line),
});
console.log(`final test accuracy: ${(100 * result.testAccuracy).toFixed(2)}% on ${result.backend}`);
const minAccuracy =
  values['min-accuracy'] === undefined ? undefined : Number(values['min-accuracy']);
if (minAccuracy !== undefined && result.testAccuracy < minAccuracy) {
  console.error(`test accuracy ${result.testAccuracy} is below --min-accuracy ${minAccuracy}`);
  process.exit(1);
}
