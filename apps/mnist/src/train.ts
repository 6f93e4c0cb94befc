/** The training loop of the demo: minibatch Adam, progress, evaluation, checkpoints. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import * as tg from 'tapegrad';
import type { Split } from './data.js';
import { IMAGE_SIZE, NUM_CLASSES, gatherBatch, loadSplit, shuffledIndices } from './data.js';
import type { Model } from './model.js';
import { createModel } from './model.js';

export interface TrainOptions {
  /** Backend name (default: the fastest registered one). */
  backend?: string;
  epochs: number;
  batch: number;
  lr: number;
  /** Use only the first `limit` training examples. */
  limit?: number;
  /** Evaluate on the first `testLimit` test examples. */
  testLimit?: number;
  seed: number;
  /** Where to save the checkpoint (safetensors); none when undefined. */
  checkpoint?: string;
  /** Continue from `checkpoint` (weights and optimizer state). */
  resume?: boolean;
  /** Show a progress bar (when stdout is a terminal) and per-epoch lines. */
  log?: (line: string) => void;
  progress?: boolean;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  testAccuracy: number;
  examplesPerSecond: number;
}

export interface TrainResult {
  backend: string;
  epochs: EpochReport[];
  testAccuracy: number;
  /** Live tensors and bytes after the first step and after the last one (must be equal). */
  memory: { afterFirstStep: tg.MemoryInfo; atEnd: tg.MemoryInfo };
}

/** Fraction of correctly classified examples, in batches (no gradients). */
export function evaluate(model: Model, split: Split, batch = 500): number {
  let correct = 0;
  const all = Int32Array.from({ length: split.count }, (_, i) => i);
  for (let start = 0; start < split.count; start += batch) {
    const size = Math.min(batch, split.count - start);
    const { images, labels } = gatherBatch(split, all, start, size);
    correct += tg.tidy(() =>
      tg.noGrad(() => {
        const predicted = tg.argMax(
          model.predict(tg.tensor(images, [size, IMAGE_SIZE, IMAGE_SIZE, 1])),
          -1,
        );
        return tg.sum(tg.equal(predicted, tg.tensor(labels, [size], 'int32'))).dataSync()[0]!;
      }),
    );
  }
  return correct / split.count;
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? (() => undefined);
  if (options.backend) await tg.setBackend(options.backend);
  await tg.ready();
  const [trainSet, testSet] = await Promise.all([
    loadSplit('train', options.limit),
    loadSplit('t10k', options.testLimit),
  ]);
  const model = createModel(options.seed);
  const optimizer = tg.train.adam(options.lr);
  if (options.resume) {
    if (!options.checkpoint || !existsSync(options.checkpoint)) {
      throw new Error(`--resume: no checkpoint at ${options.checkpoint ?? '(none given)'}`);
    }
    await tg.io.loadVariables(options.checkpoint, model.params, { optimizer });
    log(`resumed from ${options.checkpoint} (step ${optimizer.iterations})`);
  }
  log(
    `backend ${tg.getBackend()} | ${trainSet.count} training / ${testSet.count} test examples | ` +
      `batch ${options.batch} | Adam lr ${options.lr}`,
  );

  const stepsPerEpoch = Math.floor(trainSet.count / options.batch);
  const bar =
    options.progress && process.stdout.isTTY
      ? new cliProgress.SingleBar(
          {
            format:
              'epoch {epoch} {bar} {value}/{total} | loss {loss} | {speed} ex/s | ETA {eta_formatted}',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  const epochs: EpochReport[] = [];
  let afterFirstStep: tg.MemoryInfo | null = null;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const order = shuffledIndices(
      trainSet.count,
      options.seed * 1000 + epoch + optimizer.iterations,
    );
    const started = performance.now();
    let lossSum = 0;
    bar?.start(stepsPerEpoch, 0, { epoch, loss: '-', speed: '-' });
    for (let step = 0; step < stepsPerEpoch; step++) {
      const { images, labels } = gatherBatch(trainSet, order, step * options.batch, options.batch);
      const loss = tg.tidy(() => {
        const x = tg.tensor(images, [options.batch, IMAGE_SIZE, IMAGE_SIZE, 1]);
        const y = tg
          .oneHot(tg.tensor(labels, [options.batch], 'int32'), NUM_CLASSES)
          .cast('float32');
        const cost = optimizer.minimize(
          () => tg.losses.softmaxCrossEntropy(y, model.predict(x)),
          true,
          model.params,
        )!;
        return cost.dataSync()[0]!;
      });
      lossSum += loss;
      afterFirstStep ??= tg.memory();
      const seconds = (performance.now() - started) / 1000;
      bar?.update(step + 1, {
        loss: (lossSum / (step + 1)).toFixed(4),
        speed: Math.round(((step + 1) * options.batch) / seconds),
      });
    }
    bar?.stop();
    const seconds = (performance.now() - started) / 1000;
    const testAccuracy = evaluate(model, testSet);
    const report = {
      epoch,
      loss: lossSum / stepsPerEpoch,
      testAccuracy,
      examplesPerSecond: (stepsPerEpoch * options.batch) / seconds,
    };
    epochs.push(report);
    log(
      `epoch ${epoch}: loss ${report.loss.toFixed(4)} | test accuracy ${(100 * testAccuracy).toFixed(2)}% | ` +
        `${Math.round(report.examplesPerSecond)} examples/s`,
    );
  }
  if (options.checkpoint) {
    await mkdir(dirname(options.checkpoint), { recursive: true });
    await tg.io.saveVariables(model.params, options.checkpoint, { optimizer });
    log(`checkpoint saved to ${options.checkpoint}`);
  }
  const atEnd = tg.memory();
  const result: TrainResult = {
    backend: tg.getBackend(),
    epochs,
    testAccuracy: epochs[epochs.length - 1]?.testAccuracy ?? evaluate(model, testSet),
    memory: { afterFirstStep: afterFirstStep ?? atEnd, atEnd },
  };
  optimizer.dispose();
  tg.dispose(model.params);
  return result;
}
